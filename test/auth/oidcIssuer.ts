// A real OpenID provider for the sign-in tests: oidc-provider on a loopback port, its dev interactions (login and
// consent pages) driven over HTTP like a browser would. An account's claims are spelled in its login name,
// "<name>|<email>|<yes|no: email_verified>", and its subject is that whole name. Run as a script (a child process)
// it can keep a clock that is behind: its ID tokens are then already expired when the gateway reads them.
import { spawn } from 'node:child_process'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { createInterface } from 'node:readline'
import Provider from 'oidc-provider'

export interface IssuerOptions {
  clientId: string
  clientSecret: string
  redirectUris: string[]
  /** Plays GitHub's OAuth 2.0 endpoints (/login/oauth/authorize, /login/oauth/access_token) and token introspection. */
  gitHub?: boolean
  /** Seconds the issuer's clock is behind the real one (child process only). */
  clockBehindSeconds?: number
  /**
   * The client gets its ID tokens in the browser instead (response type id_token, as Google Identity Services
   * and MSAL do): redirectUris must then be https and not localhost (oidc-provider's rule for such clients).
   */
  implicit?: boolean
  /** More clients like that one (other applications: their ID tokens are for another audience). */
  otherClientIds?: string[]
  /** Seconds an ID token is good for (default 600). */
  idTokenTtlSeconds?: number
}

export interface TestIssuer {
  issuer: string
  close(): Promise<void>
}

/** The login name of a test account (see the file's comment). */
export const accountLogin = (name: string, email: string, verified: boolean) => `${name}|${email}|${verified ? 'yes' : 'no'}`

export function claimsOf(id: string) {
  const [name, email, verified] = id.split('|')
  return { sub: id, email, email_verified: verified === 'yes', given_name: name, family_name: 'Tester' }
}

/** A client that gets its ID token straight from the authorization endpoint (in the URL's fragment). */
const browserClient = { grant_types: ['implicit'], response_types: ['id_token'] }

export async function startIssuer(o: IssuerOptions): Promise<TestIssuer> {
  let handle: (req: IncomingMessage, res: ServerResponse) => void = (_req, res) => res.end()
  const server = createServer((req, res) => handle(req, res))
  // Idle connections stay open past the clients' own keep-alive (undici: 4 s): a loaded machine must not let the
  // server close a socket just as the gateway reuses it (a reset that would read as the provider being away).
  server.keepAliveTimeout = 120_000
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: o.clientId,
        client_secret: o.clientSecret,
        redirect_uris: o.redirectUris,
        token_endpoint_auth_method: 'client_secret_post',
        ...(o.implicit ? browserClient : { grant_types: ['authorization_code'], response_types: ['code'] }),
      },
      ...(o.otherClientIds ?? []).map((id) => ({
        client_id: id,
        redirect_uris: o.redirectUris,
        token_endpoint_auth_method: 'none',
        ...browserClient,
      })),
    ],
    pkce: { required: () => true },
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['given_name', 'family_name'] },
    conformIdTokenClaims: false,
    cookies: { keys: ['a test issuer cookie key, not a secret'] },
    findAccount: (_ctx: unknown, id: string) => ({ accountId: id, claims: () => claimsOf(id) }),
    ttl: { IdToken: o.idTokenTtlSeconds ?? 600, AuthorizationCode: 60, Interaction: 600, Session: 600, Grant: 600, AccessToken: 600 },
    ...(o.gitHub && {
      scopes: ['openid', 'read:user', 'user:email'],
      routes: { authorization: '/login/oauth/authorize', token: '/login/oauth/access_token', introspection: '/token/introspection' },
      features: { introspection: { enabled: true } },
    }),
  })
  handle = provider.callback()
  return {
    issuer,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

/** The same issuer in a child process of its own, with its clock behind (its tokens are issued in the past). */
export async function startIssuerProcess(o: IssuerOptions): Promise<TestIssuer> {
  const child = spawn(
    process.execPath,
    ['--import', fileURLToPath(new URL('../typescript.mjs', import.meta.url)), fileURLToPath(import.meta.url), JSON.stringify(o)],
    {
      stdio: ['pipe', 'pipe', 'inherit'],
    },
  )
  const firstLine = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', resolve)
    child.once('exit', (code) => reject(new Error(`the issuer process ended (${code}) before it listened`)))
  })
  const { issuer } = JSON.parse(firstLine) as { issuer: string }
  return {
    issuer,
    close: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve()
        child.once('exit', () => resolve())
        child.stdin!.end() // the child ends when its stdin closes
      }),
  }
}

/**
 * Signs in at the issuer as `login` the way a browser would: follows the authorization URL's redirects, fills the
 * login and consent pages, and returns the redirect back to the client (with code, state and iss).
 */
export async function signInAtIssuer(authorizationUrl: string, redirectUri: string, login: string): Promise<URL> {
  const jar = new Map<string, string>()
  let url = authorizationUrl
  let body: string | undefined
  for (let hop = 0; hop < 20; hop++) {
    const res = await fetch(url, {
      method: body === undefined ? 'GET' : 'POST',
      body,
      redirect: 'manual',
      headers: {
        cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; '),
        ...(body !== undefined && { 'content-type': 'application/x-www-form-urlencoded' }),
      },
    })
    for (const cookie of res.headers.getSetCookie()) {
      const pair = cookie.split(';')[0]!
      const at = pair.indexOf('=')
      jar.set(pair.slice(0, at), pair.slice(at + 1))
    }
    if (res.status >= 300 && res.status < 400) {
      await res.body?.cancel()
      const next = new URL(res.headers.get('location')!, url)
      if (next.href.startsWith(redirectUri)) return next
      url = next.href
      body = undefined
      continue
    }
    const page = await res.text()
    if (page.includes('name="prompt" value="login"')) body = new URLSearchParams({ prompt: 'login', login, password: 'any' }).toString()
    else if (page.includes('name="prompt" value="consent"')) body = 'prompt=consent'
    else throw new Error(`unexpected page from the issuer (${res.status}): ${page.slice(0, 300)}`)
  }
  throw new Error('too many hops at the issuer')
}

// As a script: start, say where, and stop when the parent closes stdin.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const options = JSON.parse(process.argv[2]!) as IssuerOptions
  const behindMs = (options.clockBehindSeconds ?? 0) * 1000
  const realNow = Date.now.bind(Date)
  Date.now = () => realNow() - behindMs
  const issuer = await startIssuer(options)
  process.stdout.write(`${JSON.stringify({ issuer: issuer.issuer })}\n`)
  process.stdin.resume()
  process.stdin.once('end', () => void issuer.close().then(() => process.exit(0)))
}
