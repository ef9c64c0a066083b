// MFA beyond setting up one method: the primary method (which enrolled method login asks for first) and the
// reset of every method — the caller's own, or, by OWNER or ADMINISTRATORS, a member who lost every factor.
// Written over "the enrolled methods" (enrolledMfaMethods), whichever methods the server offers.
import type { Resolvers } from './schemaTypes.js'
import { recordAudit } from '../db/repositories/auditEvents.js'
import { untrustDevices } from '../db/repositories/devices.js'
import { enrolledMfaMethods, findMfaCredential, findMfaPrimaryChoice, resetMfa, setMfaPrimaryMethod } from '../db/repositories/mfa.js'
import { inTransaction, type Tx } from '../db/repositories/transaction.js'
import { findMember } from '../db/repositories/users.js'
import { isUuid } from '../domain/fields.js'
import { mayResetMfaOf, primaryMethodOf } from '../domain/mfaMethods.js'
import { OrgRole } from '../domain/roles.js'
import { activeRequester } from './context.js'
import { NO_ORGANIZATION, USER_NOT_FOUND } from './denials.js'
import { badInput, deny, GatewayError } from './errors.js'
import { spendCode } from './mfa.js'
import { mfaSubject } from './mfaSubject.js'
import { recordProof, requireRecentAuthentication, requireRecentSession } from './recentAuth.js'

const RESET_FORBIDDEN = 'Insufficient permissions to reset MFA'

/** Removes every method of `userId` and the trust of its devices, audited as mfa.reset by `actorId`. Run in a transaction. */
async function resetAll(tx: Tx, actor: { id: string; orgId: string | null }, userId: string, requireAgain: boolean) {
  const methods = await enrolledMfaMethods(tx, userId)
  const required = await resetMfa(tx, userId, requireAgain)
  const untrusted = await untrustDevices(tx, userId)
  await recordAudit(tx, {
    actorId: actor.id,
    targetId: userId,
    orgId: actor.orgId,
    action: 'mfa.reset',
    changes: {
      mfaMethods: { old: methods, new: [] },
      ...(required.before !== required.after && { mfaRequired: { old: required.before, new: required.after } }),
      ...(untrusted > 0 && { trustedDevices: { old: untrusted, new: 0 } }),
    },
  })
}

export const mfaRecoveryResolvers: Resolvers = {
  Mutation: {
    async setPrimaryMfa(_root, args: { mfaType: string }, ctx) {
      const subject = await mfaSubject(ctx, false)
      const { prisma } = ctx.app.db
      const [enrolled, chosen] = await Promise.all([enrolledMfaMethods(prisma, subject.id), findMfaPrimaryChoice(prisma, subject.id)])
      if (!(enrolled as readonly string[]).includes(args.mfaType)) {
        throw badInput(`MFA method ${args.mfaType} is not enabled for this account`, 'MFA_METHOD_NOT_ENABLED')
      }
      await inTransaction(prisma, async (tx) => {
        await setMfaPrimaryMethod(tx, subject.id, args.mfaType)
        await recordAudit(tx, {
          actorId: subject.id,
          targetId: subject.id,
          orgId: subject.orgId,
          action: 'mfa.primary_changed',
          changes:
            primaryMethodOf(enrolled, chosen) === args.mfaType
              ? {}
              : { primaryMethod: { old: primaryMethodOf(enrolled, chosen), new: args.mfaType } },
        })
      })
      return { success: true, message: 'Primary MFA method updated successfully' }
    },

    async resetMfa(
      _root,
      args: { userId?: string | null; enable?: boolean | null; code?: string | null; currentPassword?: string | null },
      ctx,
    ) {
      const { app } = ctx
      const requireAgain = args.enable ?? false
      const caller = await activeRequester(ctx)
      if (args.userId == null || args.userId === caller.id) {
        // The caller's own: a current code (or backup code) is its proof; without one, the sign-in must be recent.
        if (args.code == null) await requireRecentSession(ctx, caller, 'code')
        else {
          const credential = await findMfaCredential(app.db.prisma, caller.id)
          if (!credential?.enabledAt) throw badInput('MFA is not enabled', 'MFA_NOT_ENABLED')
          await spendCode(app, caller.id, credential, args.code, true)
          await recordProof(ctx, caller)
        }
        await inTransaction(app.db.prisma, (tx) => resetAll(tx, caller, caller.id, requireAgain))
        return { success: true, message: 'MFA reset successfully' }
      }
      // Another member's: someone who lost every factor, reset by OWNER or ADMINISTRATORS of the organization.
      if (caller.orgId === null) throw deny(NO_ORGANIZATION)
      if (caller.orgRole === null || caller.orgRole < OrgRole.ADMINISTRATORS) throw new GatewayError('FORBIDDEN', RESET_FORBIDDEN)
      if (!isUuid(args.userId)) throw deny(USER_NOT_FOUND)
      const target = await findMember(app.db.prisma, args.userId)
      if (!target || target.deletedAt !== null || target.orgId !== caller.orgId) throw deny(USER_NOT_FOUND)
      if (!mayResetMfaOf(caller.orgRole, target.orgRole)) throw new GatewayError('FORBIDDEN', RESET_FORBIDDEN)
      await requireRecentAuthentication(ctx, caller, args.currentPassword)
      await inTransaction(app.db.prisma, (tx) => resetAll(tx, caller, target.id, requireAgain))
      return { success: true, message: 'MFA reset successfully for the user' }
    },
  },
}
