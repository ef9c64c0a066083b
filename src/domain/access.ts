// Who may read what. Pure functions over the caller and target as read from the database.
import { OrgRole } from './roles.js'

export interface Member {
  id: string
  orgId: string | null
  orgRole: number | null
  deletedAt: Date | null
}

/** Why a read is refused; the API layer (src/graphql/denials.ts) words each one and picks its status. */
export type ReadRefusal = 'NO_ORGANIZATION' | 'NOT_PERMITTED' | 'NOT_FOUND' | 'OTHER_ORGANIZATION'

/** WORKSPACES and above manage the users of their own organization. */
export function managesUsers(caller: Member): boolean {
  return caller.orgId !== null && caller.orgRole !== null && caller.orgRole >= OrgRole.WORKSPACES
}

/** Before any lookup: may the caller read members' roles at all? */
export function memberRoleReadRefusal(caller: Member): ReadRefusal | null {
  return caller.orgId === null ? 'NO_ORGANIZATION' : null
}

/** Any member reads the role of any active member of the same organization. */
export function memberRoleRefusal(caller: Member, target: Member | null): ReadRefusal | null {
  const before = memberRoleReadRefusal(caller)
  if (before) return before
  if (!target || target.deletedAt !== null) return 'NOT_FOUND'
  if (target.orgId !== caller.orgId) return 'OTHER_ORGANIZATION'
  return null
}

/** Before any lookup: may the caller view organization users at all? */
export function organizationUserReadRefusal(caller: Member): ReadRefusal | null {
  return managesUsers(caller) ? null : 'NOT_PERMITTED'
}

/** WORKSPACES+ view users of their organization, deactivated ones too. */
export function organizationUserRefusal(caller: Member, target: Member | null): ReadRefusal | null {
  const before = organizationUserReadRefusal(caller)
  if (before) return before
  if (!target) return 'NOT_FOUND'
  if (target.orgId !== caller.orgId) return 'OTHER_ORGANIZATION'
  return null
}
