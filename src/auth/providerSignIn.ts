// Sign-in with an OpenID Connect provider (Google, Microsoft) or GitHub's plain OAuth 2.0, by openid-client:
// the authorization code flow with PKCE, state and (OpenID Connect) nonce. Only who the user is comes back;
// the provider's tokens are used once, here, and never stored.
import * as oidc from 'openid-client'
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
  constructor(
    readonly reason: RefusalReason,
    readonly detail: string,
  ) {
    super(reason)
    this.name = 'ProviderRefusal'
  }
}

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
    return {
      subject: claims.sub,
      email: typeof profile.email === 'string' ? profile.email : null,
      emailVerified: profile.email_verified === true,
      givenName: text(profile.given_name) ?? text(profile.name),
      familyName: text(profile.family_name),
      picture: text(profile.picture),
    }
  } catch (err) {
    throw refusalOf(err)
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
