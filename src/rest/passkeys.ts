// Passkeys and magic links as second factors: /mfa/passkey/*, /mfa/passkeys, /mfa/magic-link/*.
import type { CompatRoute } from './compat.js'
import { mfaLoginResponse, passkeyCreationOptions, pick, reauthentication } from './mfa.js'
import { errorEnvelope, messageEnvelope, named, responses, successEnvelope, uuid } from './schemas.js'

const TAGS = ['MFA']
const currentPassword = {
  type: 'string',
  description: "The caller's password, when the sign-in is older than RECENT_AUTH_SECONDS (403 REAUTHENTICATION_REQUIRED otherwise)",
}
const credential = { type: 'object', description: 'The PublicKeyCredential as JSON (id, rawId, type, response with base64url fields)' }

// WebAuthn's own names (rpId, allowCredentials[].id: base64url, not UUIDs) pass through as the browser reads them.
const requestOptions = named('PasskeyAuthenticationOptions', {
  type: 'object',
  description:
    'PublicKeyCredentialRequestOptionsJSON for navigator.credentials.get: challenge, rpId, allowCredentials ({id, type, transports}), timeout, userVerification',
  properties: { challenge: { type: 'string' } },
  required: ['challenge'],
  additionalProperties: true,
})

const passkey = named('Passkey', {
  type: 'object',
  properties: {
    id: uuid,
    name: { type: 'string' },
    transports: { type: 'array', items: { type: 'string' } },
    createdAt: { type: 'string', format: 'date-time' },
    lastUsedAt: { type: ['string', 'null'], format: 'date-time' },
  },
  required: ['id', 'name', 'transports', 'createdAt', 'lastUsedAt'],
})

export const passkeyRoutes: CompatRoute[] = [
  {
    method: 'POST',
    url: '/mfa/passkey/registration-options',
    tags: TAGS,
    summary: 'Passkey Registration Options',
    description:
      'The options for navigator.credentials.create (a new passkey for the caller; its challenge works once, for 5 minutes). ' +
      'Recent authentication as POST /mfa/setup; 400 PASSKEY_LIMIT with 10 passkeys already.',
    authenticated: true,
    operation:
      'mutation RestPasskeyRegistrationOptions($currentPassword: String) { passkeyRegistrationOptions(currentPassword: $currentPassword) }',
    variables: (request) => pick('currentPassword')({ body: request.body ?? {} }),
    body: { type: ['object', 'null'], properties: { currentPassword } },
    success: (data) => ({ status: 200, body: { success: true, data: data.passkeyRegistrationOptions } }),
    response: responses(
      { 200: successEnvelope(passkeyCreationOptions) },
      [400, 401, 403, 429, 500],
      errorEnvelope,
      reauthentication('currentPassword'),
    ),
  },
  {
    method: 'POST',
    url: '/mfa/passkey/complete-registration',
    tags: TAGS,
    summary: 'Complete Passkey Registration',
    description:
      "Stores the passkey navigator.credentials.create made: `credential` (its JSON), `challenge` (the options' challenge, checked against " +
      "the credential's), optional `name`. From then on PASSKEY is enabled: login asks for a second factor. 400 INVALID_PASSKEY when the " +
      'challenge (spent, expired, another user’s), origin (RP_ORIGIN), RP ID (RP_ID) or attestation does not check out.',
    authenticated: true,
    operation: `mutation RestCompletePasskeyRegistration($credential: JSONObject!, $challenge: String, $name: String) {
      completePasskeyRegistration(credential: $credential, challenge: $challenge, name: $name) { message } }`,
    variables: pick('credential', 'challenge', 'name'),
    body: {
      type: 'object',
      properties: {
        credential,
        challenge: { type: 'string' },
        name: { type: 'string', description: 'Shown in the passkey list (default "Passkey")' },
      },
      required: ['credential'],
    },
    success: (data) => ({ status: 200, body: { success: true, message: data.completePasskeyRegistration.message } }),
    response: responses({ 200: messageEnvelope }, [400, 401, 429, 500]),
  },
  {
    method: 'POST',
    url: '/mfa/passkey/auth-options',
    tags: TAGS,
    summary: 'Passkey Authentication Options',
    description:
      'With the limited token login answered: the options for navigator.credentials.get, bound to that login (the challenge works once, ' +
      "for 5 minutes). Then POST /mfa/verify-login with mfaType PASSKEY and the browser's credential.",
    authenticated: true,
    operation: 'mutation RestPasskeyAuthOptions { passkeyAuthOptions }',
    success: (data) => ({ status: 200, body: { success: true, data: data.passkeyAuthOptions } }),
    response: responses({ 200: successEnvelope(requestOptions) }, [400, 401, 500]),
  },
  {
    method: 'GET',
    url: '/mfa/passkeys',
    tags: TAGS,
    summary: 'List Passkeys',
    description: "The caller's passkeys, oldest first (at most 10).",
    authenticated: true,
    operation: 'query RestPasskeys { passkeys { id name transports createdAt lastUsedAt } }',
    success: (data) => ({ status: 200, body: { success: true, data: data.passkeys } }),
    response: responses({ 200: successEnvelope({ type: 'array', items: passkey }) }, [401, 500]),
  },
  {
    method: 'DELETE',
    url: '/mfa/passkeys/:id',
    tags: TAGS,
    summary: 'Remove Passkey',
    description:
      'Removes one of the caller’s passkeys (404 for an unknown id or another user’s). Recent authentication as POST /mfa/setup. ' +
      'The last passkey gone, PASSKEY is no longer enabled.',
    authenticated: true,
    operation:
      'mutation RestRemovePasskey($id: ID!, $currentPassword: String) { removePasskey(id: $id, currentPassword: $currentPassword) { message } }',
    variables: (request) => ({
      id: (request.params as { id: string }).id,
      currentPassword: (request.body as { currentPassword?: string } | undefined)?.currentPassword,
    }),
    params: { type: 'object', properties: { id: { type: 'string', description: 'The passkey id (a UUID)' } }, required: ['id'] },
    body: { type: ['object', 'null'], properties: { currentPassword } },
    success: (data) => ({ status: 200, body: { success: true, message: data.removePasskey.message } }),
    response: responses({ 200: messageEnvelope }, [400, 401, 403, 404, 429, 500], errorEnvelope, reauthentication('currentPassword')),
  },
  {
    method: 'POST',
    url: '/mfa/magic-link/send',
    tags: TAGS,
    summary: 'Send Magic Link',
    description:
      'With the limited token login answered, for an account with MAGIC_LINK enabled: mails a single-use link for this login ' +
      '(PUBLIC_URL/mfa/magic-link?token=…), valid while the limited token is (at most 5 minutes); a new one replaces the last. ' +
      '429 after 3 mails per 15 minutes (RATE_LIMIT_MFA_MAGIC_LINK_PER_USER).',
    authenticated: true,
    operation: 'mutation RestSendMagicLink { sendMfaMagicLink { message } }',
    success: (data) => ({
      status: 200,
      body: { success: true, message: data.sendMfaMagicLink.message, data: { message: data.sendMfaMagicLink.message } },
    }),
    response: responses(
      {
        200: named('MagicLinkSendResponse', {
          type: 'object',
          properties: {
            success: { type: 'boolean', const: true },
            message: { type: 'string' },
            data: { type: 'object', properties: { message: { type: 'string' } }, required: ['message'] },
          },
          required: ['success', 'message', 'data'],
        }),
      },
      [400, 401, 429, 500],
    ),
  },
  {
    method: 'POST',
    url: '/mfa/magic-link/activate',
    tags: TAGS,
    summary: 'Activate Magic Link',
    description:
      "With the same limited token the link was sent for: the link's `token` starts the session (as verify-login). " +
      '400 INVALID_MAGIC_LINK when unknown, spent, expired or sent for another login; 429 as codes.',
    authenticated: true,
    operation: `mutation RestActivateMagicLink($token: String!) {
      activateMfaMagicLink(token: $token) { message fullAccessToken refreshToken tokenId expiresAt } }`,
    variables: pick('token'),
    body: { type: 'object', properties: { token: { type: 'string' } }, required: ['token'] },
    success: (data) => ({ status: 200, body: { success: true, ...data.activateMfaMagicLink } }),
    response: responses({ 200: mfaLoginResponse }, [400, 401, 429, 500]),
  },
]
