// POST /mfa/primary and POST /mfa/reset: the primary method, and resetting every method of a user.
import type { CompatRoute } from './compat.js'
import { reauthenticationMessage, REAUTHENTICATION_REQUIRED } from '../graphql/denials.js'
import { errorEnvelope, messageEnvelope, responses } from './schemas.js'

const TAGS = ['MFA']
const MFA_TYPES = ['GOOGLE_AUTH', 'MAGIC_LINK', 'PASSKEY']

export const mfaRecoveryRoutes: CompatRoute[] = [
  {
    method: 'POST',
    url: '/mfa/primary',
    tags: TAGS,
    summary: 'Set Primary MFA Method',
    description:
      "Which of the caller's enabled methods login asks for first (GET /mfa/status: primaryMethod). 400 MFA_METHOD_NOT_ENABLED " +
      'for a method the caller has not enabled.',
    authenticated: true,
    operation: 'mutation RestSetPrimaryMfa($mfaType: MfaType!) { setPrimaryMfa(mfaType: $mfaType) { message } }',
    variables: (request) => ({ mfaType: (request.body as { mfaType?: string } | undefined)?.mfaType }),
    body: { type: 'object', properties: { mfaType: { type: 'string', enum: MFA_TYPES } }, required: ['mfaType'] },
    success: (data) => ({ status: 200, body: { success: true, message: data.setPrimaryMfa.message } }),
    response: responses({ 200: messageEnvelope }, [400, 401, 500]),
  },
  {
    method: 'POST',
    url: '/mfa/reset',
    tags: TAGS,
    summary: 'Reset MFA',
    description:
      'Removes every MFA method of a user (authenticator, backup codes) and the trust of its devices. Without resetUserId (or with ' +
      "the caller's own id): the caller's, with a current `code` or within RECENT_AUTH_SECONDS of the sign-in (403 " +
      "REAUTHENTICATION_REQUIRED). With another member's id: OWNER, or ADMINISTRATORS for a member below itself (403 otherwise, 404 " +
      'for a user outside the organization), signed in recently or with currentPassword. `enable`: the user must set MFA up again ' +
      '(mfaRequired stays true, as it does where the organization enforces MFA). Audited.',
    authenticated: true,
    operation: `mutation RestResetMfa($userId: ID, $enable: Boolean, $code: String, $currentPassword: String) {
      resetMfa(userId: $userId, enable: $enable, code: $code, currentPassword: $currentPassword) { message } }`,
    variables: (request) => {
      const { resetUserId, enable, code, currentPassword } = (request.body ?? {}) as Record<string, unknown>
      return { userId: resetUserId, enable, code, currentPassword }
    },
    body: {
      type: 'object',
      properties: {
        resetUserId: { type: ['string', 'null'], description: "Another member's id; absent or null: the caller's own MFA" },
        enable: { type: 'boolean', description: 'true: the user must set MFA up again (default false)' },
        code: { type: 'string', description: 'Own reset: a current TOTP code or a backup code, when the sign-in is not recent' },
        currentPassword: { type: 'string', description: "Another member's reset: the caller's password, when the sign-in is not recent" },
      },
    },
    success: (data) => ({ status: 200, body: { success: true, message: data.resetMfa.message } }),
    response: responses({ 200: messageEnvelope }, [400, 401, 403, 404, 429, 500], errorEnvelope, {
      403: { success: false, error_code: REAUTHENTICATION_REQUIRED, message: reauthenticationMessage('code') },
      404: { success: false, message: 'User not found' },
    }),
  },
]
