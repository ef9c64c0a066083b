// updateUser and updateUserRole: a member's own profile and password, and a member's role.
import type { Resolvers } from './schemaTypes.js'
import { revokeSessions } from '../db/repositories/sessions.js'
import { updateUser } from '../db/repositories/users.js'
import { changesBetween } from '../domain/audit.js'
import { fields } from '../domain/fields.js'
import { profileUpdateRefusal, roleChangeRefusal, type ProfileField } from '../domain/permissions.js'
import { activeRequester } from './context.js'
import { DENIALS } from './denials.js'
import { badInput } from './errors.js'
import { acceptFields } from './fieldInput.js'
import { inLockedOrganization, refuseIf } from './membership.js'
import { recordAudit } from '../db/repositories/auditEvents.js'
import { requireRecentAuthentication } from './recentAuth.js'

interface UserUpdateInput {
  name?: string | null
  lastName?: string | null
  password?: string | null
  /** Proof for a password change when the session's sign-in is not recent (src/graphql/recentAuth.ts). */
  currentPassword?: string | null
}

interface ProfileChange {
  fields: ProfileField[]
  name?: string
  lastName?: string
  password?: string
}

/** The fields an update asks for, as their rules store them; BAD_USER_INPUT names the first problem. */
function requestedProfileChange(input: UserUpdateInput): ProfileChange {
  const asked = (['name', 'lastName', 'password'] as const).filter((f) => input[f] !== undefined && input[f] !== null)
  if (asked.length === 0) throw badInput('Provide at least one of name, lastName, password')
  return acceptFields(() => ({
    fields: asked,
    name: input.name == null ? undefined : fields.personName(input.name, 'name'),
    lastName: input.lastName == null ? undefined : fields.personName(input.lastName, 'lastName'),
    password: input.password == null ? undefined : fields.password(input.password),
  }))
}

export const userUpdateResolvers: Resolvers = {
  Mutation: {
    async updateUser(_root, args: { id: string; input: UserUpdateInput }, ctx) {
      const requester = await activeRequester(ctx)
      const change = requestedProfileChange(args.input)
      const denials = DENIALS.updateUser
      // Check before hashing: argon2 is deliberately expensive, and must not be spent on a refusal.
      await inLockedOrganization(ctx, requester, args.id, async (_tx, { caller, target }) =>
        refuseIf(profileUpdateRefusal(caller, target, change.fields), denials),
      )
      // Only the owner changes a password: a stolen access token alone must not (recent authentication).
      if (change.password !== undefined) await requireRecentAuthentication(ctx, requester, args.input.currentPassword)
      const passwordHash = change.password === undefined ? undefined : await ctx.app.credentials.hash(change.password)
      await inLockedOrganization(ctx, requester, args.id, async (tx, { caller, target }) => {
        refuseIf(profileUpdateRefusal(caller, target, change.fields), denials)
        const data = { name: change.name, lastName: change.lastName, passwordHash }
        await updateUser(tx, target!.id, data)
        if (passwordHash) {
          // Only the owner changes a password, so the current session is the owner's: it stays.
          const current = ctx.request.auth.status === 'valid' ? ctx.request.auth.sessionId : undefined
          await revokeSessions(tx, { userId: target!.id, exceptSessionId: current }, 'password_changed')
        }
        const changes = changesBetween(target!, data)
        await recordAudit(tx, { actorId: caller.id, targetId: target!.id, orgId: target!.orgId, action: 'user.updated', changes })
      })
      return { success: true, message: 'User updated successfully' }
    },

    async updateUserRole(_root, args: { id: string; orgRole: number }, ctx) {
      const requester = await activeRequester(ctx)
      return inLockedOrganization(ctx, requester, args.id, async (tx, { caller, target, activeOwners }) => {
        refuseIf(roleChangeRefusal(caller, target, args.orgRole, activeOwners), DENIALS.updateUserRole)
        const previousRole = target!.orgRole!
        if (previousRole !== args.orgRole) {
          await updateUser(tx, target!.id, { orgRole: args.orgRole })
          await recordAudit(tx, {
            actorId: caller.id,
            targetId: target!.id,
            orgId: target!.orgId,
            action: 'user.role_changed',
            changes: { orgRole: { old: previousRole, new: args.orgRole } },
          })
        }
        return { userId: target!.id, previousRole, newRole: args.orgRole, message: 'User role updated successfully' }
      })
    },
  },
}
