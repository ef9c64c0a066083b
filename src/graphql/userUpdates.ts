// updateUser and updateUserRole: a member's own profile and password, and a member's role.
import type { IResolvers } from '@graphql-tools/utils'
import { hashPassword } from '../auth/passwords.js'
import { revokeSessions } from '../db/repositories/sessions.js'
import { updateUser } from '../db/repositories/users.js'
import { changesBetween } from '../domain/audit.js'
import { passwordMessage } from '../domain/credentials.js'
import { DENIALS, profileUpdateRefusal, roleChangeRefusal, type ProfileField } from '../domain/permissions.js'
import { nameProblem } from '../domain/profile.js'
import { activeRequester, type GatewayContext } from './context.js'
import { badInput } from './errors.js'
import { inLockedOrganization, refuseIf } from './membership.js'
import { recordAudit } from '../db/repositories/auditEvents.js'

interface UserUpdateInput {
  name?: string | null
  lastName?: string | null
  password?: string | null
}

/** The fields an update asks for, after checking each; BAD_USER_INPUT names the first problem. */
function requestedProfileFields(input: UserUpdateInput): ProfileField[] {
  const fields = (['name', 'lastName', 'password'] as const).filter((f) => input[f] !== undefined && input[f] !== null)
  if (fields.length === 0) throw badInput('Provide at least one of name, lastName, password')
  for (const field of fields) {
    const problem = field === 'password' ? passwordMessage(input.password) : nameProblem(field, input[field])
    if (problem) throw badInput(problem)
  }
  return fields
}

export const userUpdateResolvers: IResolvers<unknown, GatewayContext> = {
  Mutation: {
    async updateUser(_root, args: { id: string; input: UserUpdateInput }, ctx) {
      const requester = await activeRequester(ctx)
      const fields = requestedProfileFields(args.input)
      const denials = DENIALS.updateUser
      // Check before hashing: argon2 is deliberately expensive, and must not be spent on a refusal.
      await inLockedOrganization(ctx, requester, args.id, async (_tx, { caller, target }) =>
        refuseIf(profileUpdateRefusal(caller, target, fields), denials),
      )
      const passwordHash = fields.includes('password') ? await hashPassword(args.input.password!) : undefined
      await inLockedOrganization(ctx, requester, args.id, async (tx, { caller, target }) => {
        refuseIf(profileUpdateRefusal(caller, target, fields), denials)
        const data = { name: args.input.name ?? undefined, lastName: args.input.lastName ?? undefined, passwordHash }
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
