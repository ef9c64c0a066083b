// The read side of users: me, user(id), organizationUser(id).
import type { Resolvers } from './schemaTypes.js'
import { memberRoleRefusal, memberRoleReadRefusal, organizationUserRefusal, organizationUserReadRefusal } from '../domain/access.js'
import { orgRoleDescription, orgRolesFor } from '../domain/roles.js'
import type { Requester } from '../auth/requester.js'
import { findMember, findOrganizationUser, type OrganizationUserRow } from '../db/repositories/users.js'
import { activeRequester, requesterProfile } from './context.js'
import { deny } from './errors.js'
import { MEMBER_ROLE_DENIALS, ORGANIZATION_USER_DENIALS, USER_NOT_FOUND } from './denials.js'
import { isUuid } from '../domain/fields.js'

type UserRow = OrganizationUserRow

export function toProfile(user: Requester) {
  return {
    id: user.id,
    name: user.name,
    lastName: user.lastName,
    email: user.email,
    orgId: user.orgId,
    orgRole: user.orgRole,
    orgRoleDescription: orgRoleDescription(user.orgRole),
    orgRoles: orgRolesFor(user.orgRole),
    validated: user.validated,
    mfaRequired: user.mfaRequired,
    isBusiness: user.isBusiness,
  }
}

export function toOrganizationUser(user: UserRow) {
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    lastName: user.lastName,
    orgId: user.orgId,
    orgRole: user.orgRole,
    validated: user.validated,
    deletedAt: user.deletedAt,
    orgRoleDescription: orgRoleDescription(user.orgRole),
    orgRoles: orgRolesFor(user.orgRole),
  }
}

export const userResolvers: Resolvers = {
  Query: {
    async me(_root, _args, ctx) {
      return toProfile(await requesterProfile(ctx))
    },

    async user(_root, args: { id: string }, ctx) {
      const caller = await activeRequester(ctx)
      const early = memberRoleReadRefusal(caller)
      if (early) throw deny(MEMBER_ROLE_DENIALS[early])
      if (!isUuid(args.id)) throw deny(USER_NOT_FOUND)
      const target = await findMember(ctx.app.db.prisma, args.id)
      const refusal = memberRoleRefusal(caller, target)
      if (refusal) throw deny(MEMBER_ROLE_DENIALS[refusal])
      return {
        userId: target!.id,
        orgRole: target!.orgRole,
        orgRoleDescription: orgRoleDescription(target!.orgRole),
        orgRoles: orgRolesFor(target!.orgRole),
      }
    },

    async organizationUser(_root, args: { id: string }, ctx) {
      const caller = await activeRequester(ctx)
      const early = organizationUserReadRefusal(caller)
      if (early) throw deny(ORGANIZATION_USER_DENIALS[early])
      if (!isUuid(args.id)) throw deny(USER_NOT_FOUND)
      const target = await findOrganizationUser(ctx.app.db.prisma, args.id)
      const refusal = organizationUserRefusal(caller, target)
      if (refusal) throw deny(ORGANIZATION_USER_DENIALS[refusal])
      return toOrganizationUser(target!)
    },
  },
}
