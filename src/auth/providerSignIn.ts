// Sign-in with an OpenID Connect provider (Google, Microsoft) or GitHub's plain OAuth 2.0, by openid-client:
// the authorization code flow with PKCE, state and (OpenID Connect) nonce. Only who the user is comes back;
// the provider's tokens are used once, here, and never stored. Also an ID token the frontend got from the provider
// itself (Google Identity Services, MSAL), checked by jose against the provider's JWKS (docs/sign-in.md).
import * as oidc from 'openid-client'
import { createRemoteJWKSet, customFetch, jwtVerify, type JWTPayload } from 'jose'
import type { OAuthProviderConfig, OAuthProviderName } from '../config.js'

/** A request to the provider (discovery, token, userinfo, GitHub's API) gives up after this long. */
const PROVIDER_TIMEOUT_SECONDS = 10
/** The largest provider answer read (GitHub's /user and /user/emails). */
const MAX_PROVIDER_ANSWER_BYTES = 256 * 1024

export interface ProviderProfile {
  /** The provider's stable id of the user (OpenID Connect `sub`, GitHub's numeric id). */
  subject: string
  email: string | null
  /** Only a provider's explicit `email_verified: true` (GitHub: a verified primary address) counts. */
  emailVerified: boolean
  givenName: string | null
  familyName: string | null
  picture: string | null
}

export interface AuthorizationRequest {
  url: string
  state: string
  codeVerifier: string
  /** null for GitHub (no ID token, so nothing to carry a nonce). */
  nonce: string | null
}

export type RefusalReason = 'INVALID_GRANT' | 'INVALID_ID_TOKEN' | 'PROVIDER_UNAVAILABLE'

/** Why a sign-in with the provider failed; the message is fixed (the provider's own text is only logged). */
export class ProviderRefusal extends Error {
  readonly reason: RefusalReason
  readonly detail: string

  constructor(reason: RefusalReason, detail: string) {
    super(reason)
    this.reason = reason
    this.detail = detail
    this.name = 'ProviderRefusal'
  }
}

/** The signature algorithms an ID token may use: asymmetric only (never `none`, never HS* with the client secret). */
const ID_TOKEN_ALGORITHMS = ['RS256', 'ES256']
/** Leeway for the provider's clock on exp, nbf and iat (openid-client's own default for the code flow). */
export const ID_TOKEN_CLOCK_TOLERANCE_SECONDS = 30

const configurations = new WeakMap<OAuthProviderConfig, Promise<oidc.Configuration>>()

async function discover(name: OAuthProviderName, p: OAuthProviderConfig): Promise<oidc.Configuration> {
  const execute = p.allowHttp ? [oidc.allowInsecureRequests] : []
  if (name === 'GITHUB') {
    // GitHub has no discovery document and no ID token: its endpoints, as documented by GitHub.
    const server = {
      issuer: p.issuer,
      authorization_endpoint: `${p.issuer}/login/oauth/authorize`,
      token_endpoint: `${p.issuer}/login/oauth/access_token`,
    }
    const config = new oidc.Configuration(server, p.clientId, p.clientSecret)
    for (const apply of execute) apply(config)
    return config
  }
  return oidc.discovery(new URL(p.issuer), p.clientId, p.clientSecret, undefined, { execute, timeout: PROVIDER_TIMEOUT_SECONDS })
}

/** The provider's configuration, discovered once per process; a failed discovery is tried again next time. */
function configurationOf(name: OAuthProviderName, p: OAuthProviderConfig): Promise<oidc.Configuration> {
  let found = configurations.get(p)
  if (!found) {
    found = discover(name, p).then((config) => {
      config.timeout = PROVIDER_TIMEOUT_SECONDS
      return config
    })
    configurations.set(p, found)
    found.catch(() => configurations.delete(p))
  }
  return found.catch((err: unknown) => {
    throw refusalOf(err)
  })
}

/** What went wrong, in three kinds: the provider refused the code, its answer failed a check, or it could not be reached. */
function refusalOf(err: unknown): ProviderRefusal {
  if (err instanceof ProviderRefusal) return err
  const detail = err instanceof Error ? `${err.name}: ${err.message}` : String(err)
  if (err instanceof oidc.ResponseBodyError) {
    return new ProviderRefusal(err.status >= 500 ? 'PROVIDER_UNAVAILABLE' : 'INVALID_GRANT', `${err.error}: ${err.error_description ?? ''}`)
  }
  if (err instanceof oidc.AuthorizationResponseError) return new ProviderRefusal('INVALID_GRANT', detail)
  const code = (err as { code?: unknown })?.code
  if (typeof code === 'string' && /^OAUTH_(JWT_|JWS_|JSON_ATTRIBUTE|KEY_SELECTION|INVALID_RESPONSE)/.test(code))
    return new ProviderRefusal('INVALID_ID_TOKEN', detail)
  return new ProviderRefusal('PROVIDER_UNAVAILABLE', detail)
}

/** Starts a sign-in: the provider's authorization URL and the secrets to keep until the code comes back. */
export async function authorizationRequest(name: OAuthProviderName, p: OAuthProviderConfig): Promise<AuthorizationRequest> {
  const config = await configurationOf(name, p)
  const codeVerifier = oidc.randomPKCECodeVerifier()
  const state = oidc.randomState()
  const nonce = name === 'GITHUB' ? null : oidc.randomNonce()
  const parameters: Record<string, string> = {
    redirect_uri: p.redirectUri,
    scope: name === 'GITHUB' ? 'read:user user:email' : 'openid email profile',
    code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
    code_challenge_method: 'S256',
    state,
    ...(nonce && { nonce }),
  }
  return { url: oidc.buildAuthorizationUrl(config, parameters).href, state, codeVerifier, nonce }
}

/** Trades the code for tokens (PKCE verifier, state, nonce and the ID token checked) and says who signed in. */
export async function completeAuthorization(
  name: OAuthProviderName,
  p: OAuthProviderConfig,
  pending: { state: string; codeVerifier: string; nonce: string | null },
  callback: { code: string; iss?: string | null },
): Promise<ProviderProfile> {
  const config = await configurationOf(name, p)
  try {
    const current = new URL(p.redirectUri)
    current.searchParams.set('code', callback.code)
    current.searchParams.set('state', pending.state)
    // RFC 9207: the client forwards `iss` from the redirect; each provider has its own redirect URI, so
    // without it the expected issuer stands in (no mix-up is possible between providers).
    const iss = callback.iss ?? (config.serverMetadata().authorization_response_iss_parameter_supported ? p.issuer : undefined)
    if (iss) current.searchParams.set('iss', iss)
    const tokens = await oidc.authorizationCodeGrant(config, current, {
      pkceCodeVerifier: pending.codeVerifier,
      expectedState: pending.state,
      expectedNonce: pending.nonce ?? undefined,
      idTokenExpected: name !== 'GITHUB',
    })
    if (name === 'GITHUB') return await gitHubProfile(config, p, tokens.access_token)
    const claims = tokens.claims()
    if (!claims) throw new ProviderRefusal('INVALID_ID_TOKEN', 'no ID token')
    let profile: Record<string, unknown> = claims
    // Some providers put email and name only in userinfo (a code-flow ID token may leave them out).
    if (claims.email === undefined && config.serverMetadata().userinfo_endpoint) {
      profile = { ...(await oidc.fetchUserInfo(config, tokens.access_token, claims.sub)), ...claims }
    }
    return profileOf(claims.sub, profile)
  } catch (err) {
    throw refusalOf(err)
  }
}

/** What an ID token from the frontend proves: who, and the key under which its single use is recorded, until when. */
export interface VerifiedIdToken {
  profile: ProviderProfile
  /** Names this token (its issuer and signed claims) and no other; a signature variant of it names the same. */
  replayKey: string
  /** After this the token is refused anyway (its exp, or its iat plus the maximum age, whichever comes first). */
  refusedAfter: Date
}

const keySets = new WeakMap<OAuthProviderConfig, ReturnType<typeof createRemoteJWKSet>>()

/** A JWKS answer is read up to MAX_PROVIDER_ANSWER_BYTES: a provider gone wrong cannot make the gateway hold more. */
async function boundedFetch(url: string, init: RequestInit): Promise<Response> {
  const res = await fetch(url, init)
  const chunks: Uint8Array[] = []
  let size = 0
  const reader = res.body?.getReader()
  for (let read = await reader?.read(); read && !read.done; read = await reader!.read()) {
    size += read.value.byteLength
    if (size > MAX_PROVIDER_ANSWER_BYTES) {
      await reader!.cancel()
      throw new ProviderRefusal('PROVIDER_UNAVAILABLE', `JWKS answer over ${MAX_PROVIDER_ANSWER_BYTES} bytes`)
    }
    chunks.push(read.value)
  }
  return new Response(Buffer.concat(chunks), { status: res.status, headers: { 'content-type': 'application/json' } })
}

/**
 * The provider's signing keys (jwks_uri of its discovery document), one cached set per provider: jose keeps them
 * up to 10 minutes and fetches again for an unknown key id at most every 30 seconds, so a flood of forged key
 * ids costs the provider nothing.
 */
function keySetOf(p: OAuthProviderConfig, config: oidc.Configuration) {
  let found = keySets.get(p)
  if (!found) {
    const jwksUri = config.serverMetadata().jwks_uri
    if (!jwksUri) throw new ProviderRefusal('PROVIDER_UNAVAILABLE', 'the discovery document has no jwks_uri')
    found = createRemoteJWKSet(new URL(jwksUri), {
      timeoutDuration: PROVIDER_TIMEOUT_SECONDS * 1000,
      cooldownDuration: 30_000,
      cacheMaxAge: 600_000,
      [customFetch]: boundedFetch,
    })
    keySets.set(p, found)
  }
  return found
}

/** A jose failure: the token failed a check, or the keys could not be had. */
function idTokenRefusalOf(err: unknown): ProviderRefusal {
  if (err instanceof ProviderRefusal) return err
  const detail = err instanceof Error ? `${err.name}: ${err.message}` : String(err)
  const code = (err as { code?: unknown })?.code
  if (
    typeof code === 'string' &&
    /^ERR_(JWT_|JWS_|JOSE_ALG_NOT_ALLOWED|JOSE_NOT_SUPPORTED|JWKS_NO_MATCHING_KEY|JWKS_MULTIPLE_MATCHING_KEYS)/.test(code)
  )
    return new ProviderRefusal('INVALID_ID_TOKEN', detail)
  return new ProviderRefusal('PROVIDER_UNAVAILABLE', detail)
}

/** Google's ID tokens name their issuer with or without the scheme (Google's own guidance accepts both). */
function acceptedIssuers(issuer: string): string[] {
  return issuer === 'https://accounts.google.com' ? [issuer, 'accounts.google.com'] : [issuer]
}

/**
 * Checks an ID token the frontend obtained from the provider (no nonce of ours in it): the signature by a key of
 * the provider's JWKS with an asymmetric algorithm, `iss` the provider's, `aud` our client id (and `azp`, when
 * present, ours too), `exp` to come, `iat` at most `maxAgeSeconds` ago. Single use is the caller's (replayKey).
 */
export async function verifyIdToken(
  name: OAuthProviderName,
  p: OAuthProviderConfig,
  idToken: string,
  maxAgeSeconds: number,
): Promise<VerifiedIdToken> {
  if (name === 'GITHUB') throw new ProviderRefusal('INVALID_ID_TOKEN', 'GitHub issues no ID tokens')
  const config = await configurationOf(name, p)
  let claims: JWTPayload
  try {
    const supported = config.serverMetadata().id_token_signing_alg_values_supported
    const algorithms = supported ? ID_TOKEN_ALGORITHMS.filter((alg) => supported.includes(alg)) : ID_TOKEN_ALGORITHMS
    ;({ payload: claims } = await jwtVerify(idToken, keySetOf(p, config), {
      algorithms,
      issuer: acceptedIssuers(config.serverMetadata().issuer),
      audience: p.clientId,
      maxTokenAge: maxAgeSeconds,
      clockTolerance: ID_TOKEN_CLOCK_TOLERANCE_SECONDS,
      requiredClaims: ['sub', 'exp', 'iat'],
    }))
  } catch (err) {
    throw idTokenRefusalOf(err)
  }
  const audiences = Array.isArray(claims.aud) ? claims.aud : [claims.aud]
  // OpenID Connect Core 3.1.3.7: azp, when present, is the party the token was issued to; with several
  // audiences it must be present. Either way it must be us.
  if (claims.azp !== undefined ? claims.azp !== p.clientId : audiences.length > 1)
    throw new ProviderRefusal('INVALID_ID_TOKEN', `azp ${String(claims.azp)} is not this client`)
  if (typeof claims.sub !== 'string' || claims.sub === '') throw new ProviderRefusal('INVALID_ID_TOKEN', 'no subject')
  const signedClaims = idToken.split('.')[1]!
  const refusedAfterSeconds = Math.min(claims.exp!, claims.iat! + maxAgeSeconds) + ID_TOKEN_CLOCK_TOLERANCE_SECONDS
  return {
    profile: profileOf(claims.sub, claims),
    replayKey: `${claims.iss}\n${signedClaims}`,
    refusedAfter: new Date(refusedAfterSeconds * 1000),
  }
}

const text = (value: unknown): string | null => (typeof value === 'string' && value.trim() !== '' ? value.trim() : null)

async function gitHubJson(config: oidc.Configuration, accessToken: string, url: URL): Promise<unknown> {
  const headers = new Headers({ accept: 'application/vnd.github+json' })
  const res = await oidc.fetchProtectedResource(config, accessToken, url, 'GET', undefined, headers)
  const body = await res.text()
  if (!res.ok || body.length > MAX_PROVIDER_ANSWER_BYTES)
    throw new ProviderRefusal('PROVIDER_UNAVAILABLE', `GitHub API ${url.pathname}: ${res.status}`)
  return JSON.parse(body) as unknown
}

/** GitHub's user (/user) and its verified primary email (/user/emails, scope user:email). */
async function gitHubProfile(config: oidc.Configuration, p: OAuthProviderConfig, accessToken: string): Promise<ProviderProfile> {
  const user = (await gitHubJson(config, accessToken, new URL(`${p.apiUrl}/user`))) as Record<string, unknown>
  if (typeof user.id !== 'number' && typeof user.id !== 'string')
    throw new ProviderRefusal('PROVIDER_UNAVAILABLE', 'GitHub user without id')
  const emails = (await gitHubJson(config, accessToken, new URL(`${p.apiUrl}/user/emails`))) as unknown
  const primary = Array.isArray(emails)
    ? (emails as Record<string, unknown>[]).find((e) => e.primary === true && typeof e.email === 'string')
    : undefined
  const [given, ...family] = (text(user.name) ?? text(user.login) ?? '').split(/\s+/)
  return {
    subject: String(user.id),
    email: (primary?.email as string | undefined) ?? null,
    emailVerified: primary?.verified === true,
    givenName: given || null,
    familyName: family.join(' ') || null,
    picture: text(user.avatar_url),
  }
}

/** The profile an OpenID provider's claims (ID token, or ID token and userinfo) describe. */
function profileOf(subject: string, claims: Record<string, unknown>): ProviderProfile {
  return {
    subject,
    email: typeof claims.email === 'string' ? claims.email : null,
    emailVerified: claims.email_verified === true,
    givenName: text(claims.given_name) ?? text(claims.name),
    familyName: text(claims.family_name),
    picture: text(claims.picture),
  }
}
