// POST /auth/{google,github,microsoft}[/exchange|/refresh], POST /auth/web3[/challenge]: the public client's
// authenticate, exchangeCode, refreshToken and web3Authenticate (docs/sign-in.md).
import type { CompatRoute } from './compat.js'
import { omitNulls, type ErrorBody, type RestError } from './envelope.js'
import { authFlowErrorBody } from './auth.js'
import { MAX_DEVICE_INFO_BYTES, MAX_DEVICE_INFO_DEPTH } from '../domain/fields.js'
import { authUser, named, nullable, responses, uuid } from './schemas.js'

const TAGS = ['Sign-in']
const PROVIDERS = ['GOOGLE', 'GITHUB', 'MICROSOFT'] as const
const DISPLAY: Record<(typeof PROVIDERS)[number], string> = { GOOGLE: 'Google', GITHUB: 'GitHub', MICROSOFT: 'Microsoft' }

/** The auth flows' own 401 codes, and a provider out of reach as 502 PROVIDER_UNAVAILABLE with its message. */
function signInErrorBody(error: RestError, standard: ErrorBody): ErrorBody {
  if (error.extensions.errorCode === 'PROVIDER_UNAVAILABLE')
    return { success: false, error_code: 'PROVIDER_UNAVAILABLE', message: error.message }
  return authFlowErrorBody(error, standard)
}

const deviceInfo = {
  type: 'object',
  description: `Stored with the session (at most ${MAX_DEVICE_INFO_DEPTH} levels deep, ${MAX_DEVICE_INFO_BYTES} bytes); userAgent defaults to the User-Agent header`,
}

const SIGN_IN_FIELDS =
  'accessToken refreshToken tokenId mfaRequired expiresAt outcome user { id email name orgId orgRole } authState { user { email name imageUrl } token accessToken refreshToken expiresAt provider }'

const signInResponse = named('ProviderSignInResponse', {
  type: 'object',
  properties: {
    success: { type: 'boolean', const: true },
    accessToken: {
      type: 'string',
      description: 'A JWT for Authorization: Bearer; with mfaRequired, a limited token for POST /mfa/verify-login',
    },
    expiresAt: { type: 'integer', description: "The access token's expiry, in seconds since the epoch" },
    mfaRequired: { type: 'boolean' },
    user: authUser,
    outcome: {
      type: 'string',
      enum: ['SIGNED_IN', 'CREATED', 'LINKED'],
      description: 'SIGNED_IN: a known identity; CREATED: a new account; LINKED: the identity was linked to an existing account',
    },
    authState: {
      type: 'object',
      description: "The public client's OAuth2ResponseDTO.authState: the same session",
      properties: {
        user: {
          type: 'object',
          properties: { email: { type: 'string' }, name: { type: 'string' }, imageUrl: nullable('string') },
          required: ['email', 'name', 'imageUrl'],
        },
        token: { type: 'string' },
        accessToken: { type: 'string' },
        refreshToken: nullable('string'),
        expiresAt: { type: 'integer' },
        provider: { type: 'string' },
      },
      required: ['user', 'token', 'accessToken', 'refreshToken', 'expiresAt', 'provider'],
    },
    refreshToken: { type: 'string', description: 'Left out while mfaRequired' },
    tokenId: { ...uuid, description: 'The session id (see GET /token); left out while mfaRequired' },
  },
  required: ['success', 'accessToken', 'expiresAt', 'mfaRequired', 'user', 'outcome', 'authState'],
})

const startResponse = named('ProviderSignInStartResponse', {
  type: 'object',
  properties: {
    success: { type: 'boolean', const: true },
    authorizationUrl: { type: 'string', description: "Send the user's browser here" },
    state: { type: 'string', description: 'Single use; comes back with the code on the redirect' },
    expiresAt: { type: 'integer', description: 'Seconds since the epoch: the code must be exchanged before' },
    linking: { type: 'boolean', description: 'Whether completing it links the identity to the caller' },
  },
  required: ['success', 'authorizationUrl', 'state', 'expiresAt', 'linking'],
  examples: [
    {
      success: true,
      authorizationUrl: 'https://accounts.google.com/o/oauth2/v2/auth?client_id=…&state=…&nonce=…&code_challenge=…',
      state: 'p1Wk…',
      expiresAt: 1764950700,
      linking: false,
    },
  ],
})

const refreshResponse = named('ProviderRefreshResponse', {
  type: 'object',
  properties: {
    success: { type: 'boolean', const: true },
    token: { type: 'string', description: 'The same as accessToken' },
    accessToken: { type: 'string' },
    refreshToken: { type: 'string', description: 'Opaque; the presented one is spent' },
    expiresAt: { type: 'integer' },
  },
  required: ['success', 'token', 'accessToken', 'refreshToken', 'expiresAt'],
})

const signInBody = (data: Record<string, unknown>) => ({
  success: true,
  ...omitNulls(data as { refreshToken: unknown; tokenId: unknown }, ['refreshToken', 'tokenId']),
})

const codeProperties = {
  code: { type: 'string', description: "The authorization code from the provider's redirect" },
  state: { type: 'string', description: 'The state from the same redirect (single use)' },
  iss: { type: 'string', description: 'The iss parameter of the redirect (RFC 9207), when the provider sends one' },
  deviceInfo,
}

const ERRORS = [400, 401, 403, 404, 429, 500, 502, 503]
const errorExamples = (provider: string) => ({
  400: { success: false, error_code: 'INVALID_STATE', message: 'Unknown, spent or expired state: start the sign-in again' },
  403: {
    success: false,
    error_code: 'EMAIL_NOT_VERIFIED',
    message: 'An account with this email exists and the provider has not verified the email: sign in to it and link the provider',
  },
  404: { success: false, error_code: 'PROVIDER_NOT_CONFIGURED', message: `Sign-in with ${provider} is not configured on this server` },
  429: { success: false, error_code: 'TOO_MANY_ATTEMPTS', message: 'Too many attempts, try again later' },
  502: { success: false, error_code: 'PROVIDER_UNAVAILABLE', message: 'The sign-in provider could not be reached, try again later' },
})

function providerRoutes(provider: (typeof PROVIDERS)[number]): CompatRoute[] {
  const path = `/auth/${provider.toLowerCase()}`
  const name = DISPLAY[provider]
  const op = (suffix: string) => `Rest${name.replace(/[^A-Za-z]/g, '')}${suffix}`
  const idTokens = provider !== 'GITHUB'
  const completeVariables = (request: { body: unknown }) => {
    const { code, state, iss, token, deviceInfo } = (request.body ?? {}) as Record<string, unknown>
    const withToken = token !== undefined
    return {
      provider,
      code: code ?? '',
      state: state ?? '',
      iss,
      idToken: token ?? '',
      deviceInfo,
      begin: code === undefined && !withToken,
      withCode: code !== undefined,
      withToken,
    }
  }
  return [
    {
      method: 'POST',
      url: path,
      tags: TAGS,
      summary: `Sign in with ${name}`,
      description:
        `Without \`code\` or \`token\` (no body, or \`{}\`): starts a sign-in with ${name} (authorization code flow with PKCE, state and nonce) and answers the authorization URL to send the user to; with an access token, the identity will be linked to the caller. With \`code\` and \`state\`${idTokens ? '' : " (the public client's GitHub call)"}: the same as ${path}/exchange.` +
        (idTokens
          ? ` With \`token\` (the public client's authenticate): an ID token the frontend got from ${name} itself, checked here against ${name}'s JWKS — signature (RS256/ES256), issuer, audience (and azp) this server's client id, expiry, issued at most AUTH_ID_TOKEN_MAX_AGE seconds ago (default 600) — and single use (401 ID_TOKEN_REUSED the second time); then the same accounts and answer as the exchange. An \`Authorization\` header carrying that ID token is ignored; one with this server's access token links a new identity to the caller.`
          : ' GitHub issues no ID tokens: a `token` is refused (400 Unknown field).'),
      authenticated: false,
      operation: `mutation ${op('SignIn')}($provider: SignInProvider!, $begin: Boolean!, $withCode: Boolean!, $withToken: Boolean!, $code: String!, $state: String!, $iss: String, $idToken: String!, $deviceInfo: JSONObject) {
        start: beginProviderSignIn(provider: $provider) @include(if: $begin) { authorizationUrl state expiresAt linking }
        signIn: completeProviderSignIn(provider: $provider, code: $code, state: $state, iss: $iss, deviceInfo: $deviceInfo) @include(if: $withCode) { ${SIGN_IN_FIELDS} }
        idTokenSignIn: signInWithIdToken(provider: $provider, idToken: $idToken, deviceInfo: $deviceInfo) @include(if: $withToken) { ${SIGN_IN_FIELDS} } }`,
      variables: completeVariables,
      body: {
        type: ['object', 'null'],
        properties: idTokens
          ? {
              ...codeProperties,
              token: {
                type: 'string',
                description: `An ID token obtained by the frontend from ${name} (Google Identity Services, MSAL) for this server's client id; single use. Not with code, state or iss.`,
              },
            }
          : codeProperties,
        additionalProperties: false,
        // A token excludes the code flow's fields (OpenAPI 3.0 has no if/then: spelled with not).
        ...(idTokens && { not: { anyOf: ['code', 'state', 'iss'].map((field) => ({ type: 'object', required: ['token', field] })) } }),
      },
      invalidRequestCode: 'INVALID_REQUEST',
      success: (data) => ({
        status: 200,
        body: data.start ? { success: true, ...data.start } : signInBody(data.signIn ?? data.idTokenSignIn),
      }),
      errorBody: signInErrorBody,
      response: responses({ 200: { anyOf: [startResponse, signInResponse] } }, ERRORS, undefined, errorExamples(provider.toLowerCase())),
    },
    {
      method: 'POST',
      url: `${path}/exchange`,
      tags: TAGS,
      summary: `Exchange a ${name} code`,
      description: `Trades the code and state of ${name}'s redirect for a session (login's answer, with the client's authState). The state is single use; the code is checked by ${name} with the PKCE verifier, and the ID token's signature, issuer, audience, expiry and nonce by the gateway. A new identity creates an account, or links to the account whose email the provider says is verified, or to the caller who started the sign-in with an access token.`,
      authenticated: false,
      operation: `mutation ${op('ExchangeCode')}($provider: SignInProvider!, $code: String!, $state: String!, $iss: String, $deviceInfo: JSONObject) {
        completeProviderSignIn(provider: $provider, code: $code, state: $state, iss: $iss, deviceInfo: $deviceInfo) { ${SIGN_IN_FIELDS} } }`,
      variables: (request) => {
        const { code, state, iss, deviceInfo } = request.body as Record<string, unknown>
        return { provider, code, state, iss, deviceInfo }
      },
      body: { type: 'object', properties: codeProperties, required: ['code', 'state'], additionalProperties: false },
      invalidRequestCode: 'INVALID_REQUEST',
      success: (data) => ({ status: 200, body: signInBody(data.completeProviderSignIn) }),
      errorBody: signInErrorBody,
      response: responses({ 200: signInResponse }, ERRORS, undefined, errorExamples(provider.toLowerCase())),
    },
    {
      method: 'POST',
      url: `${path}/refresh`,
      tags: TAGS,
      summary: `Refresh a ${name} session`,
      description:
        "The gateway's own refresh, for a session begun with the provider: the refresh token rotates as at POST /user/refresh (reuse revokes the session). The provider's tokens are never kept, so none are refreshed.",
      authenticated: false,
      operation: `mutation ${op('RefreshSession')}($provider: SignInProvider!, $refreshToken: String!) {
        refreshProviderSession(provider: $provider, refreshToken: $refreshToken) { token accessToken refreshToken expiresAt } }`,
      variables: (request) => {
        const body = request.body as { refreshToken?: string; refresh_token?: string }
        return { provider, refreshToken: body.refreshToken ?? body.refresh_token }
      },
      body: {
        type: 'object',
        properties: { refreshToken: { type: 'string' }, refresh_token: { type: 'string' } },
        anyOf: [{ required: ['refreshToken'] }, { required: ['refresh_token'] }],
      },
      invalidRequestCode: 'INVALID_REQUEST',
      success: (data) => ({ status: 200, body: { success: true, ...data.refreshProviderSession } }),
      errorBody: signInErrorBody,
      response: responses({ 200: refreshResponse }, [400, 401, 404, 429, 500, 503], undefined, {
        404: errorExamples(provider.toLowerCase())[404],
      }),
    },
  ]
}

const walletErrorExamples = {
  400: { success: false, error_code: 'INVALID_CHALLENGE', message: 'Unknown, spent or expired challenge: ask for a new one' },
  404: { success: false, error_code: 'PROVIDER_NOT_CONFIGURED', message: 'Sign-in with web3 is not configured on this server' },
  429: { success: false, error_code: 'TOO_MANY_ATTEMPTS', message: 'Too many attempts, try again later' },
}

const walletRoutes: CompatRoute[] = [
  {
    method: 'POST',
    url: '/auth/web3/challenge',
    tags: TAGS,
    summary: 'Wallet sign-in challenge',
    description:
      'A single-use challenge for a Stellar address (AUTH_CHALLENGE_TTL seconds, default 300): sign `message` with the wallet (SEP-53 message signing) and send the signature with `nonce` to POST /auth/web3. With an access token, the wallet will be linked to the caller.',
    authenticated: false,
    operation:
      'mutation RestWeb3Challenge($address: String!, $network: String) { web3Challenge(address: $address, network: $network) { nonce message expiresAt } }',
    variables: (request) => {
      const { address, network } = request.body as Record<string, unknown>
      return { address, network }
    },
    body: {
      type: 'object',
      properties: {
        address: { type: 'string', description: 'The Stellar account address (G…)' },
        network: { type: 'string', description: 'PUBLIC, TESTNET or FUTURENET (AUTH_WEB3_NETWORKS); default the first allowed' },
      },
      required: ['address'],
      additionalProperties: false,
      examples: [{ address: 'GBRPYHIL2CI3FNQ4BXLFMNDLFJUNPU2HY3ZMFSHONUCEOASW7QC7OX2H', network: 'PUBLIC' }],
    },
    invalidRequestCode: 'INVALID_REQUEST',
    success: (data) => ({ status: 200, body: { success: true, ...data.web3Challenge } }),
    errorBody: signInErrorBody,
    response: responses(
      {
        200: named('Web3ChallengeResponse', {
          type: 'object',
          properties: {
            success: { type: 'boolean', const: true },
            nonce: { type: 'string', description: "POST /auth/web3's nonce" },
            message: { type: 'string', description: 'The exact text to sign (SEP-53)' },
            expiresAt: { type: 'integer', description: 'Seconds since the epoch' },
          },
          required: ['success', 'nonce', 'message', 'expiresAt'],
        }),
      },
      [400, 404, 429, 500, 503],
      undefined,
      walletErrorExamples,
    ),
  },
  {
    method: 'POST',
    url: '/auth/web3',
    tags: TAGS,
    summary: 'Sign in with a Stellar wallet',
    description:
      "The public client's web3Authenticate (Web3RegisterBody): the wallet's SEP-53 signature of the challenge's message. The challenge is spent by this call whatever its outcome. A new wallet creates an account, or is linked to the caller who asked for the challenge with an access token.",
    authenticated: false,
    operation: `mutation RestWeb3SignIn($address: String!, $network: String!, $signature: String!, $nonce: String!, $deviceInfo: JSONObject) {
      web3SignIn(address: $address, network: $network, signature: $signature, nonce: $nonce, deviceInfo: $deviceInfo) { ${SIGN_IN_FIELDS} } }`,
    variables: (request) => {
      const { address, network, signature, nonce, deviceInfo } = request.body as Record<string, unknown>
      return { address, network, signature, nonce, deviceInfo }
    },
    body: {
      type: 'object',
      properties: {
        address: { type: 'string', description: 'The Stellar account address (G…)' },
        network: { type: 'string', description: "The challenge's network" },
        signature: { type: 'string', description: 'The 64-byte ed25519 signature, base64 (as SEP-53 wallets answer) or hex' },
        nonce: { type: 'string', description: "The challenge's nonce" },
        deviceInfo,
      },
      required: ['address', 'network', 'signature', 'nonce'],
      additionalProperties: false,
    },
    invalidRequestCode: 'INVALID_REQUEST',
    success: (data) => ({ status: 200, body: signInBody(data.web3SignIn) }),
    errorBody: signInErrorBody,
    response: responses({ 200: signInResponse }, [400, 401, 403, 404, 429, 500, 503], undefined, walletErrorExamples),
  },
]

export const signInRoutes: CompatRoute[] = [...walletRoutes, ...PROVIDERS.flatMap(providerRoutes)]
