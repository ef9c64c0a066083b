// POST /user/register, /user/login, /user/refresh, /user/logout; GET /token, DELETE /token/{tokenId}.
import type { CompatRoute } from './compat.js'
import { omitNulls, type ErrorBody, type RestError } from './envelope.js'
import { MAX_DEVICE_INFO_BYTES, MAX_DEVICE_INFO_DEPTH } from '../domain/fields.js'
import { authUser, errorEnvelope, messageEnvelope, named, nullable, registeredUser, responses, uuid } from './schemas.js'
import { sessionPageQuery, sessionPageVariables } from './sessions.js'

const TAGS = ['User Account']

/** The auth flows answer 401 with their own error_code (INVALID_PASSWORD …), not the generic NO_AUTH_USER. */
export function authFlowErrorBody(error: RestError, standard: ErrorBody): ErrorBody {
  const { code, errorCode } = error.extensions
  if (code === 'UNAUTHENTICATED' && errorCode && errorCode !== 'NO_AUTH_USER')
    return { success: false, error_code: errorCode, message: error.message }
  return standard
}

const tokenFields = {
  accessToken: { type: 'string', description: 'A JWT for Authorization: Bearer' },
  refreshToken: { type: 'string', description: 'Opaque; spent by its first use at POST /user/refresh' },
  expiresAt: { type: 'integer', description: "The access token's expiry, in seconds since the epoch" },
}

const registerPayload = {
  type: 'object',
  properties: {
    success: { type: 'boolean', const: true },
    ...tokenFields,
    tokenId: { ...uuid, description: 'The session id (see GET /token)' },
    verificationTokenId: {
      ...nullable('string'),
      format: 'uuid',
      description: 'For POST /user/resend-verification/{id}; null when no mail was sent',
    },
    user: registeredUser,
  },
  required: ['success', 'accessToken', 'refreshToken', 'expiresAt', 'tokenId', 'verificationTokenId', 'user'],
}

// While mfaRequired, login leaves refreshToken and tokenId out (the client's LoginResponse declares them
// optional). Optional fields come last: the serializer writes the required ones first, so this is the order sent.
const loginPayload = {
  type: 'object',
  properties: {
    success: { type: 'boolean', const: true },
    accessToken: {
      type: 'string',
      description: 'A JWT for Authorization: Bearer; with mfaRequired, a limited token for POST /mfa/verify-login',
    },
    expiresAt: tokenFields.expiresAt,
    mfaRequired: { type: 'boolean', description: 'true: send a TOTP code to POST /mfa/verify-login with accessToken' },
    user: authUser,
    refreshToken: { ...tokenFields.refreshToken, description: 'Left out while mfaRequired: POST /mfa/verify-login answers it' },
    tokenId: { ...uuid, description: 'The session id (see GET /token); left out while mfaRequired' },
  },
  required: ['success', 'accessToken', 'expiresAt', 'mfaRequired', 'user'],
}

/** Either spelling of the refresh token: the public client sends refresh_token. */
const refreshTokenBody = {
  type: 'object',
  properties: { refreshToken: { type: 'string' }, refresh_token: { type: 'string' } },
  anyOf: [{ required: ['refreshToken'] }, { required: ['refresh_token'] }],
}
const presentedRefreshToken = (request: { body: unknown }) => {
  const body = request.body as { refreshToken?: string; refresh_token?: string }
  return { refreshToken: body.refreshToken ?? body.refresh_token }
}

const AUTH_FIELDS = 'accessToken refreshToken tokenId expiresAt'
const SESSION_FIELDS = 'tokenId createdAt lastUsedAt expiresAt ipAddress userAgent deviceInfo current'

const session = named('TokenSession', {
  type: 'object',
  properties: {
    tokenId: uuid,
    createdAt: { type: 'string', format: 'date-time' },
    lastUsedAt: { type: 'string', format: 'date-time' },
    expiresAt: { type: 'string', format: 'date-time' },
    ipAddress: nullable('string'),
    userAgent: nullable('string'),
    deviceInfo: { type: ['object', 'null'], additionalProperties: true, description: 'What the client reported at login, with userAgent' },
    current: { type: 'boolean', description: "Whether the request's own access token belongs to this session" },
  },
  required: ['tokenId', 'createdAt', 'lastUsedAt', 'expiresAt', 'ipAddress', 'userAgent', 'deviceInfo', 'current'],
})

export const authRoutes: CompatRoute[] = [
  {
    method: 'POST',
    url: '/user/register',
    tags: TAGS,
    summary: 'Register',
    description: 'Creates a user and a new organization (the user is its OWNER) with a free-trial subscription, and logs the user in.',
    authenticated: false,
    operation: `mutation RestRegister($input: RegisterInput!) { register(input: $input) { ${AUTH_FIELDS} verificationTokenId user { id email name orgId orgRole image_url } } }`,
    variables: (request) => {
      const { email, password, firstName, lastName, companyName, isBusiness, companyWebsite } = request.body as Record<string, unknown>
      return { input: { email, password, firstName, lastName, companyName, isBusiness, companyWebsite } }
    },
    body: {
      type: 'object',
      properties: {
        email: { type: 'string' },
        password: { type: 'string', description: 'At least 8 characters with an upper-case letter, a lower-case letter and a digit' },
        firstName: { type: 'string' },
        lastName: { type: 'string' },
        companyName: { type: 'string', description: "The new organization's name" },
        isBusiness: { type: 'boolean' },
        companyWebsite: nullable('string'),
      },
      required: ['email', 'password', 'firstName', 'lastName', 'companyName', 'isBusiness'],
    },
    invalidRequestCode: 'INVALID_REQUEST',
    success: (data) => ({ status: 201, body: { success: true, ...data.register } }),
    errorBody: authFlowErrorBody,
    response: responses({ 201: named('RegisterResponse', registerPayload) }, [400, 429, 500, 503]),
  },
  {
    method: 'POST',
    url: '/user/login',
    tags: TAGS,
    summary: 'Login',
    description: 'Starts a session. An unknown email, a wrong password and an account without a password all answer INVALID_PASSWORD.',
    authenticated: false,
    operation: `mutation RestLogin($email: String!, $password: String!, $deviceInfo: JSONObject, $deviceToken: String) {
      login(email: $email, password: $password, deviceInfo: $deviceInfo, deviceToken: $deviceToken) {
        ${AUTH_FIELDS} mfaRequired user { id email name orgId orgRole } } }`,
    variables: (request) => {
      const { email, password, deviceInfo, deviceToken } = request.body as Record<string, unknown>
      return { email, password, deviceInfo, deviceToken }
    },
    body: {
      type: 'object',
      properties: {
        email: { type: 'string' },
        password: { type: 'string' },
        deviceInfo: {
          type: 'object',
          description: `Stored with the session (at most ${MAX_DEVICE_INFO_DEPTH} levels deep, ${MAX_DEVICE_INFO_BYTES} bytes); userAgent defaults to the User-Agent header; fingerprint recognizes the device (GET /devices)`,
        },
        deviceToken: {
          type: 'string',
          description:
            'What POST /devices/trust answered for this device (or the X-Device-Token header): while trusted, no MFA code is asked',
        },
      },
      required: ['email', 'password'],
    },
    invalidRequestCode: 'INVALID_REQUEST',
    success: (data) => ({ status: 200, body: { success: true, ...omitNulls(data.login, ['refreshToken', 'tokenId']) } }),
    errorBody: authFlowErrorBody,
    response: responses({ 200: named('LoginResponse', loginPayload) }, [400, 401, 429, 500, 503]),
  },
  {
    method: 'POST',
    url: '/user/refresh',
    tags: TAGS,
    summary: 'Refresh Token',
    description: 'Spends a refresh token and returns a new access token and refresh token. Reusing a spent token revokes its session.',
    authenticated: false,
    operation:
      'mutation RestRefresh($refreshToken: String!) { refresh(refreshToken: $refreshToken) { token accessToken refreshToken expiresAt } }',
    variables: presentedRefreshToken,
    body: refreshTokenBody,
    invalidRequestCode: 'INVALID_REQUEST',
    success: (data) => ({ status: 200, body: { success: true, ...data.refresh } }),
    errorBody: authFlowErrorBody,
    response: responses(
      {
        200: named('RefreshResponse', {
          type: 'object',
          properties: {
            success: { type: 'boolean', const: true },
            token: { type: 'string', description: 'The same as accessToken' },
            ...tokenFields,
          },
          required: ['success', 'token', 'accessToken', 'refreshToken', 'expiresAt'],
        }),
      },
      [400, 401, 429, 500, 503],
    ),
  },
  {
    method: 'POST',
    url: '/user/logout',
    tags: TAGS,
    summary: 'Logout',
    description:
      "Ends the session that the refresh token belongs to. No access token is needed (an expired one must not keep a client from logging out); with a valid one, the refresh token must be its user's.",
    authenticated: false,
    operation: 'mutation RestLogout($refreshToken: String!) { logout(refreshToken: $refreshToken) { success message } }',
    variables: presentedRefreshToken,
    body: refreshTokenBody,
    invalidRequestCode: 'INVALID_REQUEST',
    success: (data) => ({ status: 200, body: data.logout }),
    response: responses({ 200: messageEnvelope }, [400, 429, 500], errorEnvelope, {
      400: { success: false, error_code: 'INVALID_REFRESH_TOKEN', message: 'Invalid refresh token' },
      429: { success: false, error_code: 'TOO_MANY_ATTEMPTS', message: 'Too many attempts, try again later' },
    }),
  },
  {
    method: 'GET',
    url: '/token',
    tags: TAGS,
    summary: 'List Tokens',
    description:
      "The caller's active sessions, newest first, as `tokens` (the public client's name) and as `data` (the documented one). At most 100 per page (`limit`, `offset`).",
    authenticated: true,
    operation: `query RestSessions($limit: Int, $offset: Int) { sessions(limit: $limit, offset: $offset) { ${SESSION_FIELDS} } }`,
    variables: sessionPageVariables,
    querystring: sessionPageQuery,
    success: (data) => ({ status: 200, body: { success: true, tokens: data.sessions, data: data.sessions } }),
    response: responses(
      {
        200: named('TokenList', {
          type: 'object',
          properties: {
            success: { type: 'boolean', const: true },
            tokens: { type: 'array', items: session },
            data: { type: 'array', items: session, description: 'The same list as tokens' },
          },
          required: ['success', 'tokens', 'data'],
        }),
      },
      [400, 401, 500],
    ),
  },
  {
    method: 'DELETE',
    url: '/token/:tokenId',
    tags: TAGS,
    summary: 'Revoke Token',
    description: "Ends one of the caller's sessions; its access and refresh tokens stop working.",
    authenticated: true,
    operation: 'mutation RestRevokeSession($tokenId: ID!) { revokeSession(tokenId: $tokenId) { success message } }',
    variables: (request) => ({ tokenId: (request.params as { tokenId: string }).tokenId }),
    params: { type: 'object', properties: { tokenId: { type: 'string', description: 'The session id' } }, required: ['tokenId'] },
    success: (data) => ({ status: 200, body: data.revokeSession }),
    response: responses({ 200: messageEnvelope }, [401, 404, 500], errorEnvelope),
  },
]
