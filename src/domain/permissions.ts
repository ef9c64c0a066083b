// Who may change whom: profile updates, role changes, creating, deleting and reactivating users.
// Pure functions over rows read from the database (inside the write's transaction where it matters).
import { managesUsers, type Member } from './access.js'
import { isDefinedRole, OrgRole } from './roles.js'

/** Why a change is refused; the API layer (src/graphql/denials.ts) maps each to its documented status and message. */
export type Refusal =
  'INVALID_ROLE' | 'NOT_PERMITTED' | 'NOT_FOUND' | 'OTHER_ORGANIZATION' | 'LAST_OWNER' | 'SELF' | 'ALREADY_DELETED' | 'NOT_DELETED'

export type ProfileField = 'name' | 'lastName' | 'password'

/** OWNER hands out and takes away any role; everyone else only roles strictly below its own. */
export function outranks(callerRole: number | null, role: number | null): boolean {
  if (callerRole === null || role === null) return false
  return callerRole === OrgRole.OWNER || role < callerRole
}

const isActiveOwner = (member: Member) => member.orgRole === OrgRole.OWNER && member.deletedAt === null

/**
 * The target's lookup, shared by every rule below: gone, elsewhere, or here.
 * `includeDeleted`: the organization-user routes see deactivated users (to reactivate them).
 */
function targetRefusal(caller: Member, target: Member | null, includeDeleted: boolean): Refusal | null {
  if (!target || (!includeDeleted && target.deletedAt !== null)) return 'NOT_FOUND'
  if (caller.orgId === null || target.orgId !== caller.orgId) return 'OTHER_ORGANIZATION'
  return null
}

/** PUT /user/{id}: own name and last name always; others' (not password) with WORKSPACES+ in the same org. */
export function profileUpdateRefusal(caller: Member, target: Member | null, fields: readonly ProfileField[]): Refusal | null {
  if (target && target.deletedAt === null && target.id === caller.id) return null
  const lookup = targetRefusal(caller, target, false)
  if (lookup) return lookup
  if (!managesUsers(caller) || fields.includes('password')) return 'NOT_PERMITTED'
  return null
}

/**
 * Moving `target` from its current role to `requestedRole`. `activeOwners`: the organization's active
 * owners, counted under the organization's lock so that two concurrent demotions cannot both pass.
 */
export function roleChangeRefusal(caller: Member, target: Member | null, requestedRole: unknown, activeOwners: number): Refusal | null {
  if (!isDefinedRole(requestedRole)) return 'INVALID_ROLE'
  if (!managesUsers(caller)) return 'NOT_PERMITTED'
  const lookup = targetRefusal(caller, target, false)
  if (lookup) return lookup
  if (!outranks(caller.orgRole, target!.orgRole) || !outranks(caller.orgRole, requestedRole)) return 'NOT_PERMITTED'
  if (isActiveOwner(target!) && requestedRole !== OrgRole.OWNER && activeOwners <= 1) return 'LAST_OWNER'
  return null
}

/** PUT /organization/users/{id} without a role: a manager edits names of any active user of its org. */
export function managedProfileRefusal(caller: Member, target: Member | null): Refusal | null {
  if (!managesUsers(caller)) return 'NOT_PERMITTED'
  return targetRefusal(caller, target, false)
}

/** POST /organization/users: a manager adds a user to its own organization with a role it may hand out. */
export function creationRefusal(caller: Member, requestedRole: unknown): Refusal | null {
  if (!isDefinedRole(requestedRole)) return 'INVALID_ROLE'
  if (!managesUsers(caller)) return 'NOT_PERMITTED'
  if (!outranks(caller.orgRole, requestedRole)) return 'NOT_PERMITTED'
  return null
}

/** DELETE /organization/users/{id}: a soft delete of a user the caller outranks, never itself or the last owner. */
export function deletionRefusal(caller: Member, target: Member | null, activeOwners: number): Refusal | null {
  if (!managesUsers(caller)) return 'NOT_PERMITTED'
  const lookup = targetRefusal(caller, target, true)
  if (lookup) return lookup
  if (target!.id === caller.id) return 'SELF'
  if (!outranks(caller.orgRole, target!.orgRole)) return 'NOT_PERMITTED'
  if (target!.deletedAt !== null) return 'ALREADY_DELETED'
  if (isActiveOwner(target!) && activeOwners <= 1) return 'LAST_OWNER'
  return null
}

/** POST /organization/users/{id}/activate: undoes a soft delete, under the same rank rule as deleting. */
export function activationRefusal(caller: Member, target: Member | null): Refusal | null {
  if (!managesUsers(caller)) return 'NOT_PERMITTED'
  const lookup = targetRefusal(caller, target, true)
  if (lookup) return lookup
  if (!outranks(caller.orgRole, target!.orgRole)) return 'NOT_PERMITTED'
  if (target!.deletedAt === null) return 'NOT_DELETED'
  return null
}

/**
 * POST /organization/users/{id}/resend-invitation: mails a member a new invitation, under the same rank rule
 * as deleting or reactivating one (a manager never acts on a member of its own rank or above). Deactivated
 * and accepted members are the resolver's to refuse, after this.
 */
export function invitationRefusal(caller: Member, target: Member | null): Refusal | null {
  if (!managesUsers(caller)) return 'NOT_PERMITTED'
  const lookup = targetRefusal(caller, target, true)
  if (lookup) return lookup
  if (!outranks(caller.orgRole, target!.orgRole)) return 'NOT_PERMITTED'
  return null
}
