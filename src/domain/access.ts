// Who may read what. Pure functions over the caller and target as read from the database.
import { OrgRole } from './roles.js'

export interface Member {
  id: string
  orgId: string | null
  orgRole: number | null
  deletedAt: Date | null
}

export type Denial = { code: 'FORBIDDEN' | 'NOT_FOUND' | 'BAD_USER_INPUT'; message: string }

export const USER_NOT_FOUND: Denial = { code: 'NOT_FOUND', message: 'User not found' }
export const NO_ORGANIZATION: Denial = { code: 'FORBIDDEN', message: 'User not associated with any organization' }
export const CANNOT_VIEW_USERS: Denial = { code: 'FORBIDDEN', message: 'Insufficient permissions to view users' }

/** WORKSPACES and above manage the users of their own organization. */
export function managesUsers(caller: Member): boolean {
  return caller.orgId !== null && caller.orgRole !== null && caller.orgRole >= OrgRole.WORKSPACES
}

/** Before any lookup: may the caller read members' roles at all? */
export function memberRoleReadDenial(caller: Member): Denial | null {
  return caller.orgId === null ? NO_ORGANIZATION : null
}

/** Any member reads the role of any active member of the same organization; others do not exist. */
export function memberRoleDenial(caller: Member, target: Member | null): Denial | null {
  const before = memberRoleReadDenial(caller)
  if (before) return before
  if (!target || target.deletedAt !== null || target.orgId !== caller.orgId) return USER_NOT_FOUND
  return null
}

/** Before any lookup: may the caller view organization users at all? */
export function organizationUserReadDenial(caller: Member): Denial | null {
  return managesUsers(caller) ? null : CANNOT_VIEW_USERS
}

/** WORKSPACES+ view users of their organization, deactivated ones too; another org's is forbidden. */
export function organizationUserDenial(caller: Member, target: Member | null): Denial | null {
  const before = organizationUserReadDenial(caller)
  if (before) return before
  if (!target) return USER_NOT_FOUND
  if (target.orgId !== caller.orgId) return CANNOT_VIEW_USERS
  return null
}
