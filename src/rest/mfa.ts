// The MFA routes: /mfa/status, /mfa/methods, /mfa/setup, /mfa/verify-setup, /mfa/enable, /mfa/disable,
// /mfa/verify-login, /mfa/organization/enforce (passkeys and magic links: passkeys.ts).
import type { CompatRoute } from './compat.js'
import { omitNulls } from './envelope.js'
import { reauthenticationMessage, REAUTHENTICATION_REQUIRED } from '../graphql/denials.js'
import { errorEnvelope, messageEnvelope, named, responses, successEnvelope, messageEnvelopeWith, uuid } from './schemas.js'

const TAGS = ['MFA']
const MFA_TYPES = ['GOOGLE_AUTH', 'MAGIC_LINK', 'PASSKEY']
const mfaType = { type: 'string', enum: MFA_TYPES, description: 'GOOGLE_AUTH (TOTP), PASSKEY or MAGIC_LINK' }
const code = { type: 'string', description: 'A 6-digit TOTP code (or, where said, a backup code)' }
const withType = (extra: Record<string, object> = {}, required: string[] = []) => ({
  type: 'object',
  properties: { mfaType, ...extra },
  required: ['mfaType', ...required],
})
const message = (field: string) => (data: Record<string, { message: string }>) => ({
  status: 200,
  body: { success: true, message: data[field]!.message },
})
const currentPassword = {
  type: 'string',
  description: "The caller's password, when the sign-in is older than RECENT_AUTH_SECONDS (403 REAUTHENTICATION_REQUIRED otherwise)",
}
/** The body's fields the operation takes, and nothing else. */
export const pick =
  (...names: string[]) =>
  (request: { body: unknown }) => {
    const body = request.body as Record<string, unknown>
    return Object.fromEntries(names.map((name) => [name, body[name]]))
  }
const typeAndCode = pick('mfaType', 'code')
/** Recent authentication's refusal (src/graphql/recentAuth.ts), as the API docs show it. */
export const reauthentication = (proof: 'currentPassword' | 'code') => ({
  403: { success: false, error_code: REAUTHENTICATION_REQUIRED, message: reauthenticationMessage(proof) },
})

const status = named('MfaStatus', {
  type: 'object',
  properties: {
    isEnabled: { type: 'boolean' },
    isRequired: { type: 'boolean', description: 'Enabled, enforced by the organization, or asked again by POST /mfa/reset with enable' },
    isEnforced: { type: 'boolean' },
    enabledMethods: { type: 'array', items: { type: 'string' } },
    sessionVerified: { type: 'boolean', description: 'false with the limited token of an MFA login' },
    // Optional, so last: the serializer writes the required fields first.
    primaryMethod: { type: 'string', description: 'Left out while no method is enabled' },
  },
  required: ['isEnabled', 'isRequired', 'isEnforced', 'enabledMethods', 'sessionVerified'],
})

/** navigator.credentials.create's options as JSON (base64url): PublicKeyCredentialCreationOptionsJSON. */
export const passkeyCreationOptions = named('PasskeyRegistrationOptions', {
  type: 'object',
  description: 'PublicKeyCredentialCreationOptionsJSON (challenge, rp, user, pubKeyCredParams, timeout, excludeCredentials, …)',
  properties: { challenge: { type: 'string' }, rp: { type: 'object', additionalProperties: true } },
  required: ['challenge', 'rp'],
  additionalProperties: true,
})

/** What a login's second factor answers: the session (verify-login, magic-link activate). */
export const mfaLoginResponse = named(
  'MfaLoginResponse',
  messageEnvelopeWith({
    fullAccessToken: { type: 'string' },
    refreshToken: { type: 'string' },
    tokenId: uuid,
    expiresAt: { type: 'integer' },
  }),
)

export const mfaRoutes: CompatRoute[] = [
  {
    method: 'GET',
    url: '/mfa/status',
    tags: TAGS,
    summary: 'MFA Status',
    description: "The caller's MFA state. Accepts the limited token of an MFA login.",
    authenticated: true,
    operation: 'query RestMfaStatus { mfaStatus { isEnabled isRequired isEnforced enabledMethods primaryMethod sessionVerified } }',
    // The client's MFAStatus declares primaryMethod optional: left out rather than null.
    success: (data) => ({ status: 200, body: { success: true, data: omitNulls(data.mfaStatus, ['primaryMethod']) } }),
    response: responses({ 200: successEnvelope(status, 'MfaStatusResponse') }, [401, 500]),
  },
  {
    method: 'GET',
    url: '/mfa/methods',
    tags: TAGS,
    summary: 'MFA Methods',
    description: 'The MFA methods this server offers: GOOGLE_AUTH (TOTP, with an MFA key), PASSKEY, MAGIC_LINK (with mail).',
    authenticated: true,
    operation: 'query RestMfaMethods { mfaMethods }',
    success: (data) => ({ status: 200, body: { success: true, data: data.mfaMethods } }),
    response: responses({ 200: successEnvelope({ type: 'array', items: { type: 'string' } }) }, [401, 500]),
  },
  {
    method: 'POST',
    url: '/mfa/setup',
    tags: TAGS,
    summary: 'Set Up MFA',
    description:
      'A new authenticator: its secret, otpauth:// URI, a QR code (PNG data URL) and ten backup codes, shown once. Then verify-setup and enable. ' +
      'GOOGLE_AUTH only: passkeys are registered with POST /mfa/passkey/registration-options and complete-registration, magic links ' +
      'need no setup (POST /mfa/enable); both answer 400 UNSUPPORTED_MFA_METHOD here, saying so.',
    authenticated: true,
    operation: `mutation RestSetupMfa($mfaType: MfaType!, $currentPassword: String) {
      setupMfa(mfaType: $mfaType, currentPassword: $currentPassword) { secret otpauthUrl qrCode backupCodes } }`,
    variables: pick('mfaType', 'currentPassword'),
    body: withType({ email: { type: 'string' }, deviceInfo: { type: 'object' }, currentPassword }),
    success: (data) => ({ status: 200, body: { success: true, data: data.setupMfa } }),
    response: responses(
      {
        200: successEnvelope(
          {
            anyOf: [
              named('MfaSetup', {
                type: 'object',
                properties: {
                  secret: { type: 'string' },
                  otpauthUrl: { type: 'string' },
                  qrCode: { type: 'string', description: 'data:image/png;base64,…' },
                  backupCodes: { type: 'array', items: { type: 'string' } },
                },
                required: ['secret', 'otpauthUrl', 'qrCode', 'backupCodes'],
              }),
              passkeyCreationOptions,
            ],
          },
          'MfaSetupResponse',
        ),
      },
      [400, 401, 403, 429, 500],
      errorEnvelope,
      reauthentication('currentPassword'),
    ),
  },
  {
    method: 'POST',
    url: '/mfa/verify-setup',
    tags: TAGS,
    summary: 'Verify MFA Setup',
    description: 'Checks a first code from the new authenticator (400 INVALID_MFA_CODE; 429 after too many attempts).',
    authenticated: true,
    operation: `mutation RestVerifyMfaSetup($mfaType: MfaType!, $code: String!, $currentPassword: String) {
      verifyMfaSetup(mfaType: $mfaType, code: $code, currentPassword: $currentPassword) { message } }`,
    variables: pick('mfaType', 'code', 'currentPassword'),
    body: withType({ code, currentPassword }, ['code']),
    success: message('verifyMfaSetup'),
    response: responses({ 200: messageEnvelope }, [400, 401, 403, 429, 500], errorEnvelope, reauthentication('currentPassword')),
  },
  {
    method: 'POST',
    url: '/mfa/enable',
    tags: TAGS,
    summary: 'Enable MFA',
    description:
      'Turns MFA on after verify-setup: from the next login on, login answers a limited token and verify-login finishes it. ' +
      'Setup, verify-setup and enable need a sign-in within RECENT_AUTH_SECONDS or currentPassword (403 REAUTHENTICATION_REQUIRED).',
    authenticated: true,
    operation:
      'mutation RestEnableMfa($mfaType: MfaType!, $currentPassword: String) { enableMfa(mfaType: $mfaType, currentPassword: $currentPassword) { message } }',
    variables: pick('mfaType', 'currentPassword'),
    body: withType({ currentPassword }),
    success: message('enableMfa'),
    response: responses({ 200: messageEnvelope }, [400, 401, 403, 429, 500], errorEnvelope, reauthentication('currentPassword')),
  },
  {
    method: 'POST',
    url: '/mfa/disable',
    tags: TAGS,
    summary: 'Disable MFA',
    description:
      'Turns MFA off: with a current code or a backup code at any time; without one (as the public client sends it) only ' +
      'within RECENT_AUTH_SECONDS of the sign-in, else 403 REAUTHENTICATION_REQUIRED.',
    authenticated: true,
    operation: 'mutation RestDisableMfa($mfaType: MfaType!, $code: String) { disableMfa(mfaType: $mfaType, code: $code) { message } }',
    variables: typeAndCode,
    body: withType({ code }),
    success: message('disableMfa'),
    response: responses({ 200: messageEnvelope }, [400, 401, 403, 429, 500], errorEnvelope, reauthentication('code')),
  },
  {
    method: 'POST',
    url: '/mfa/verify-login',
    tags: TAGS,
    summary: 'Verify MFA Login',
    description:
      'With the limited token login answered (Authorization: Bearer), the second factor starts the session (fullAccessToken and refreshToken): ' +
      "GOOGLE_AUTH with `code` (or a backup code), PASSKEY with `credential` (navigator.credentials.get's answer to POST /mfa/passkey/auth-options), " +
      "MAGIC_LINK with `token` (the mailed link's). 400 INVALID_MFA_CODE / INVALID_PASSKEY / INVALID_MAGIC_LINK.",
    authenticated: true,
    operation: `mutation RestVerifyMfaLogin($mfaType: MfaType!, $code: String, $token: String, $credential: JSONObject) {
      verifyMfaLogin(mfaType: $mfaType, code: $code, token: $token, credential: $credential) { message fullAccessToken refreshToken tokenId expiresAt } }`,
    variables: pick('mfaType', 'code', 'token', 'credential'),
    body: withType({
      code,
      token: { type: 'string', description: "MAGIC_LINK: the mailed link's token" },
      credential: { type: 'object', description: 'PASSKEY: the PublicKeyCredential as JSON (base64url fields)' },
      sessionId: { type: 'string' },
      ipAddress: { type: 'string' },
      userAgent: { type: 'string' },
    }),
    success: (data) => ({ status: 200, body: { success: true, ...data.verifyMfaLogin } }),
    response: responses({ 200: mfaLoginResponse }, [400, 401, 429, 500]),
  },
  {
    method: 'POST',
    url: '/mfa/organization/enforce',
    tags: TAGS,
    summary: 'Enforce Organization MFA',
    description: "OWNER only: whether the organization requires MFA of its members (their profiles' mfaRequired).",
    authenticated: true,
    operation: 'mutation RestEnforceMfa($enforced: Boolean!) { enforceOrganizationMfa(enforced: $enforced) { message } }',
    variables: (request) => ({ enforced: (request.body as { enforced: boolean }).enforced }),
    body: { type: 'object', properties: { enforced: { type: 'boolean' } }, required: ['enforced'] },
    success: message('enforceOrganizationMfa'),
    response: responses({ 200: messageEnvelope }, [400, 401, 403, 500]),
  },
]
