// The organization's users, as WORKSPACES+ manage them: list, create, update, deactivate, reactivate.
import type { Resolvers } from './schemaTypes.js'
import { revokeSessions } from '../db/repositories/sessions.js'
import { createOrganizationUser, findIdByEmail, listOrganizationUsers, setDeletedAt, updateUser } from '../db/repositories/users.js'
import { isUniqueViolation } from '../db/repositories/transaction.js'
import { organizationUserReadRefusal } from '../domain/access.js'
import { changesBetween } from '../domain/audit.js'
import { activationRefusal, creationRefusal, deletionRefusal, managedProfileRefusal, roleChangeRefusal } from '../domain/permissions.js'
import { fields } from '../domain/fields.js'
import { ORGANIZATION_USERS_MAX_PAGE, UNPAGED_LIMIT } from '../domain/listBounds.js'
import { OrgRole } from '../domain/roles.js'
import { activeRequester } from './context.js'
import { badInput, deny } from './errors.js'
import { DENIALS, ORGANIZATION_USER_DENIALS } from './denials.js'
import { acceptFields } from './fieldInput.js'
import { inLockedOrganization, refuseIf } from './membership.js'
import { recordAudit } from '../db/repositories/auditEvents.js'
import { toOrganizationUser } from './users.js'
import { countInvitationMail, prepareInvitationMail, requireMailFeature, requireVerifiedSender } from './accountMail.js'

export const EMAIL_TAKEN = 'A user with this email already exists'

interface CreateInput {
  email: string
  password: string
  firstName: string
  lastName: string
  orgRole?: number | null
  sendInvite?: boolean | null
  authMethod?: 'LOCAL' | 'GOOGLE' | 'GITHUB' | 'MICROSOFT' | null
  provider?: string | null
}

/** An identity provider's name is a word, not a document. */
const MAX_PROVIDER_LENGTH = 100

interface UpdateInput {
  name?: string | null
  lastName?: string | null
  orgRole?: number | null
}

export const organizationUserResolvers: Resolvers = {
  Query: {
    async organizationUsers(_root, args: { limit?: number | null; offset?: number | null }, ctx) {
      const caller = await activeRequester(ctx)
      const refusal = organizationUserReadRefusal(caller)
      if (refusal) throw deny(ORGANIZATION_USER_DENIALS[refusal])
      const limit = args.limit ?? UNPAGED_LIMIT
      const offset = args.offset ?? 0
      if (args.limit != null && (limit < 1 || limit > ORGANIZATION_USERS_MAX_PAGE))
        throw badInput(`limit must be between 1 and ${ORGANIZATION_USERS_MAX_PAGE}`)
      if (offset < 0) throw badInput('offset must not be negative')
      const { rows, total } = await listOrganizationUsers(ctx.app.db.prisma, caller.orgId!, { limit, offset })
      return { data: rows.map(toOrganizationUser), total }
    },
  },

  Mutation: {
    async createOrganizationUser(_root, { input }: { input: CreateInput }, ctx) {
      const requester = await activeRequester(ctx)
      const { email, password, firstName, lastName } = acceptFields(() => ({
        email: fields.email(input.email),
        password: fields.password(input.password),
        firstName: fields.personName(input.firstName, 'firstName'),
        lastName: fields.personName(input.lastName, 'lastName'),
      }))
      const authMethod = input.authMethod ?? 'LOCAL'
      if (authMethod !== 'LOCAL') {
        throw badInput(
          `authMethod ${authMethod} cannot be created here: only LOCAL (email and password) users can be added; ${authMethod} users join by signing in with ${authMethod}`,
        )
      }
      if (input.provider != null && input.provider.length > MAX_PROVIDER_LENGTH)
        throw badInput(`provider must be at most ${MAX_PROVIDER_LENGTH} characters long`)
      const orgRole = input.orgRole ?? OrgRole.USER
      if (input.sendInvite) requireMailFeature(ctx.app, 'invitations')
      const denials = DENIALS.createOrganizationUser
      refuseIf(creationRefusal(requester, orgRole), denials)
      if (input.sendInvite) requireVerifiedSender(requester)
      // Checked before hashing so a taken address costs no argon2; the unique index settles races.
      if ((await findIdByEmail(ctx.app.db.prisma, email)) !== null) throw badInput(EMAIL_TAKEN)
      // The mail is counted before anything is created: over a limit, the user is not created either.
      if (input.sendInvite) await countInvitationMail(ctx.app, requester, email)
      const passwordHash = await ctx.app.credentials.hash(password)
      try {
        const { user: created, invite } = await inLockedOrganization(ctx, requester, null, async (tx, { caller }) => {
          refuseIf(creationRefusal(caller, orgRole), denials)
          const data = { email, name: firstName, lastName, orgId: caller.orgId, orgRole }
          const user = await createOrganizationUser(tx, { ...data, passwordHash })
          const changes = {
            ...changesBetween({}, data),
            ...(input.sendInvite != null && { sendInvite: { old: null, new: input.sendInvite } }),
            ...(input.authMethod != null && { authMethod: { old: null, new: input.authMethod } }),
            ...(input.provider != null && { provider: { old: null, new: input.provider } }),
          }
          await recordAudit(tx, { actorId: caller.id, targetId: user.id, orgId: caller.orgId, action: 'user.created', changes })
          const invite = input.sendInvite ? await prepareInvitationMail(ctx.app, tx, user) : null
          return { user, invite }
        })
        invite?.(ctx.requestId)
        return toOrganizationUser(created)
      } catch (err) {
        if (isUniqueViolation(err)) throw badInput(EMAIL_TAKEN)
        throw err
      }
    },

    async updateOrganizationUser(_root, args: { id: string; input: UpdateInput }, ctx) {
      const requester = await activeRequester(ctx)
      const { orgRole } = args.input
      if (args.input.name == null && args.input.lastName == null && orgRole == null) {
        throw badInput('Provide at least one of name, lastName, orgRole')
      }
      const { name, lastName } = acceptFields(() => ({
        name: args.input.name == null ? undefined : fields.personName(args.input.name, 'name'),
        lastName: args.input.lastName == null ? undefined : fields.personName(args.input.lastName, 'lastName'),
      }))
      const denials = DENIALS.updateOrganizationUser
      const updated = await inLockedOrganization(ctx, requester, args.id, async (tx, { caller, target, activeOwners }) => {
        refuseIf(
          orgRole == null ? managedProfileRefusal(caller, target) : roleChangeRefusal(caller, target, orgRole, activeOwners),
          denials,
        )
        const profile = { name, lastName }
        const role = { orgRole: orgRole ?? undefined }
        const user = await updateUser(tx, target!.id, { ...profile, ...role })
        const audit = { actorId: caller.id, targetId: target!.id, orgId: target!.orgId }
        await recordAudit(tx, { ...audit, action: 'user.updated', changes: changesBetween(target!, profile) })
        await recordAudit(tx, { ...audit, action: 'user.role_changed', changes: changesBetween(target!, role) })
        return user
      })
      return toOrganizationUser(updated)
    },

    async deleteOrganizationUser(_root, args: { id: string }, ctx) {
      const requester = await activeRequester(ctx)
      await inLockedOrganization(ctx, requester, args.id, async (tx, { caller, target, activeOwners }) => {
        refuseIf(deletionRefusal(caller, target, activeOwners), DENIALS.deleteOrganizationUser)
        const deletedAt = new Date()
        await setDeletedAt(tx, target!.id, deletedAt)
        await revokeSessions(tx, { userId: target!.id }, 'user_deleted')
        const changes = changesBetween(target!, { deletedAt })
        await recordAudit(tx, { actorId: caller.id, targetId: target!.id, orgId: target!.orgId, action: 'user.deleted', changes })
      })
      return { success: true, message: 'User deleted successfully' }
    },

    async activateOrganizationUser(_root, args: { id: string }, ctx) {
      const requester = await activeRequester(ctx)
      await inLockedOrganization(ctx, requester, args.id, async (tx, { caller, target }) => {
        refuseIf(activationRefusal(caller, target), DENIALS.activateOrganizationUser)
        await setDeletedAt(tx, target!.id, null)
        const changes = changesBetween(target!, { deletedAt: null })
        await recordAudit(tx, { actorId: caller.id, targetId: target!.id, orgId: target!.orgId, action: 'user.activated', changes })
      })
      return { success: true, message: 'User activated successfully' }
    },
  },
}
