// The API's words for the domain's refusals: each one's extensions.code (so its REST status), its message,
// and the 403-vs-404 choice per operation. The domain (src/domain/) returns reasons only.
import type { ReadRefusal } from '../domain/access.js'
import type { Refusal } from '../domain/permissions.js'
import type { SettingsRefusal } from '../domain/settings.js'
import type { TrustRefusal } from '../domain/devices.js'

export type Denial = { code: 'FORBIDDEN' | 'NOT_FOUND' | 'BAD_USER_INPUT'; message: string }

export const USER_NOT_FOUND: Denial = { code: 'NOT_FOUND', message: 'User not found' }
export const NO_ORGANIZATION: Denial = { code: 'FORBIDDEN', message: 'User not associated with any organization' }
const CANNOT_VIEW_USERS: Denial = { code: 'FORBIDDEN', message: 'Insufficient permissions to view users' }

/** user(id): another organization's user does not exist for the caller (no cross-org existence leak). */
export const MEMBER_ROLE_DENIALS: Record<ReadRefusal, Denial> = {
  NO_ORGANIZATION,
  NOT_PERMITTED: NO_ORGANIZATION,
  NOT_FOUND: USER_NOT_FOUND,
  OTHER_ORGANIZATION: USER_NOT_FOUND,
}

/** organizationUser(id): another organization's user is forbidden, as documented. */
export const ORGANIZATION_USER_DENIALS: Record<ReadRefusal, Denial> = {
  NO_ORGANIZATION: CANNOT_VIEW_USERS,
  NOT_PERMITTED: CANNOT_VIEW_USERS,
  NOT_FOUND: USER_NOT_FOUND,
  OTHER_ORGANIZATION: CANNOT_VIEW_USERS,
}

/** The organization's settings. */
export const SETTINGS_DENIALS: Record<SettingsRefusal, Denial> = {
  NO_ORGANIZATION,
  NOT_PERMITTED: { code: 'FORBIDDEN', message: 'Insufficient permissions to update organization settings' },
}

export const LAST_OWNER_MESSAGE = 'Cannot remove the last owner of the organization'

interface DenialTexts {
  forbidden: string
  invalidRole?: string
  /** The org routes answer 403 for another organization's user (as documented); /user/… routes 404. */
  otherOrganization: 'FORBIDDEN' | 'NOT_FOUND'
}

function denials({ forbidden, invalidRole = 'Invalid role', otherOrganization }: DenialTexts): Record<Refusal, Denial> {
  const notFound: Denial = { code: 'NOT_FOUND', message: 'User not found' }
  const refused: Denial = { code: 'FORBIDDEN', message: forbidden }
  return {
    INVALID_ROLE: { code: 'BAD_USER_INPUT', message: invalidRole },
    NOT_PERMITTED: refused,
    NOT_FOUND: notFound,
    OTHER_ORGANIZATION: otherOrganization === 'FORBIDDEN' ? refused : notFound,
    LAST_OWNER: { code: 'BAD_USER_INPUT', message: LAST_OWNER_MESSAGE },
    SELF: { code: 'BAD_USER_INPUT', message: 'Cannot delete yourself' },
    ALREADY_DELETED: { code: 'BAD_USER_INPUT', message: 'User is already deleted' },
    NOT_DELETED: { code: 'BAD_USER_INPUT', message: 'User is not deleted' },
  }
}

/** The documented status and message of each refusal, by operation. */
export const DENIALS = {
  updateUser: denials({ forbidden: 'Insufficient permissions to update user', otherOrganization: 'NOT_FOUND' }),
  updateUserRole: denials({ forbidden: 'Insufficient permissions to update user role', otherOrganization: 'NOT_FOUND' }),
  createOrganizationUser: denials({ forbidden: 'Insufficient permissions to create users', otherOrganization: 'FORBIDDEN' }),
  updateOrganizationUser: denials({
    forbidden: 'Insufficient permissions to update users',
    invalidRole: 'Invalid role combination',
    otherOrganization: 'FORBIDDEN',
  }),
  deleteOrganizationUser: denials({ forbidden: 'Insufficient permissions to delete users', otherOrganization: 'FORBIDDEN' }),
  activateOrganizationUser: denials({ forbidden: 'Insufficient permissions to activate users', otherOrganization: 'FORBIDDEN' }),
  resendInvitation: denials({ forbidden: 'Insufficient permissions to invite users', otherOrganization: 'FORBIDDEN' }),
} as const

/** What a client is told to do when the proof is too old: the REST error_code and the message. */
export const REAUTHENTICATION_REQUIRED = 'REAUTHENTICATION_REQUIRED'
export const reauthenticationMessage = (proof: 'currentPassword' | 'code') =>
  proof === 'currentPassword'
    ? 'Recent authentication required: sign in again or send currentPassword'
    : 'Recent authentication required: sign in again or send a current MFA code'

/** Why a device cannot be trusted (POST /devices/trust): 400 TRUSTED_DEVICES_DISABLED with these words. */
export const TRUST_REFUSALS: Record<TrustRefusal, string> = {
  TRUST_OFF: 'Trusted devices are turned off on this server',
  MFA_ENFORCED: 'Your organization enforces MFA: devices cannot be trusted to skip it',
}
