// MFA beyond one method: which enrolled method login asks for first, and who may reset whose MFA. Pure:
// whatever methods exist, the primary is one of the user's enrolled methods.
import { outranks } from './permissions.js'
import { OrgRole } from './roles.js'

export type MfaMethod = 'GOOGLE_AUTH' | 'PASSKEY' | 'MAGIC_LINK'
/** The methods in the order lists name them (GET /mfa/methods, enabledMethods); the first enrolled is primary by default. */
export const MFA_METHOD_ORDER: readonly MfaMethod[] = ['GOOGLE_AUTH', 'PASSKEY', 'MAGIC_LINK']

/** The primary method: the chosen one while it is still enrolled, else the first enrolled; null when none is. */
export function primaryMethodOf<M extends string>(enrolled: readonly M[], chosen: string | null): M | null {
  const kept = enrolled.find((method) => method === chosen)
  return kept ?? enrolled[0] ?? null
}

/**
 * Whether `caller` may reset the MFA of `target`, another member of its organization who lost every factor:
 * ADMINISTRATORS or OWNER, and (below OWNER) only a member whose role is below its own.
 */
export function mayResetMfaOf(callerRole: number | null, targetRole: number | null): boolean {
  if (callerRole === null || callerRole < OrgRole.ADMINISTRATORS) return false
  return outranks(callerRole, targetRole)
}
