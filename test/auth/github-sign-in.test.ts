// Sign-in with GitHub (issue 18): plain OAuth 2.0, no discovery and no ID token. The test's oidc-provider plays
// GitHub's authorize and access_token endpoints; a small API server on loopback plays api.github.com's /user and
// /user/emails, answering for whichever account the presented access token belongs to (asked of the provider by
// token introspection), so the gateway's token is really checked end to end.
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import t from 'tap'
import { buildTestApp } from '../helper.js'
import { accountLogin, claimsOf, signInAtIssuer, startIssuer, type TestIssuer } from './oidcIssuer.js'

const CLIENT = { clientId: 'gateway-github-client', clientSecret: 'a-github-test-client-secret' }
const REDIRECT = 'http://localhost:5173/auth/callback/github'

let issuer: TestIssuer
let apiUrl: string
const apiCalls: string[] = []
t.before(async () => {
  issuer = await startIssuer({ ...CLIENT, redirectUris: [REDIRECT], gitHub: true })
  const api = createServer((req, res) => {
    void (async () => {
      apiCalls.push(req.url ?? '')
      const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1]
      const introspected = token
        ? ((await (
            await fetch(`${issuer.issuer}/token/introspection`, {
              method: 'POST',
              headers: { 'content-type': 'application/x-www-form-urlencoded' },
              body: new URLSearchParams({ token, client_id: CLIENT.clientId, client_secret: CLIENT.clientSecret }),
            })
          ).json()) as { active: boolean; sub?: string })
        : { active: false }
      res.setHeader('content-type', 'application/json')
      if (!introspected.active || !introspected.sub) {
        res.statusCode = 401
        return res.end(JSON.stringify({ message: 'Bad credentials' }))
      }
      const claims = claimsOf(introspected.sub)
      if (req.url === '/user')
        return res.end(
          JSON.stringify({ id: 4242, login: claims.given_name, name: `${claims.given_name} Hub`, avatar_url: 'https://avatars.example/1' }),
        )
      if (req.url === '/user/emails')
        return res.end(JSON.stringify([{ email: claims.email, primary: true, verified: claims.email_verified }]))
      res.statusCode = 404
      res.end('{}')
    })()
  })
  api.keepAliveTimeout = 120_000 // as the issuer's (oidcIssuer.ts)
  await new Promise<void>((resolve) => api.listen(0, '127.0.0.1', resolve))
  apiUrl = `http://127.0.0.1:${(api.address() as AddressInfo).port}`
  t.teardown(
    () =>
      new Promise<void>((resolve) => {
        api.closeAllConnections()
        api.close(() => resolve())
      }),
  )
})
t.teardown(() => issuer.close())

t.test('GitHub: the code flow with PKCE and state, the user from its API, an account made and signed in again', async (t) => {
  const h = await buildTestApp(t, {
    AUTH_GITHUB_ISSUER: issuer.issuer,
    AUTH_GITHUB_API_URL: apiUrl,
    AUTH_GITHUB_CLIENT_ID: CLIENT.clientId,
    AUTH_GITHUB_CLIENT_SECRET: CLIENT.clientSecret,
    AUTH_GITHUB_REDIRECT_URI: REDIRECT,
  })
  const login = accountLogin('Octo', 'octo@example.com', true)
  const flow = async () => {
    const started = await h.call({ method: 'POST', url: '/auth/github' })
    t.equal(started.status, 200)
    const url = new URL(started.body.authorizationUrl)
    t.equal(url.pathname, '/login/oauth/authorize', "GitHub's authorization endpoint")
    t.equal(url.searchParams.get('code_challenge_method'), 'S256')
    t.equal(url.searchParams.get('nonce'), null, 'no nonce: GitHub has no ID token')
    t.equal(url.searchParams.get('scope'), 'read:user user:email')
    const back = await signInAtIssuer(started.body.authorizationUrl, REDIRECT, login)
    // The public client's GitHub call: POST /auth/github with the code (and the state).
    return h.call({
      method: 'POST',
      url: '/auth/github',
      payload: { code: back.searchParams.get('code'), state: back.searchParams.get('state') },
    })
  }
  const first = await flow()
  t.equal(first.status, 200, JSON.stringify(first.body))
  t.match(first.body, {
    outcome: 'CREATED',
    user: { email: 'octo@example.com', name: 'Octo' },
    authState: { provider: 'GITHUB', user: { imageUrl: 'https://avatars.example/1' } },
  })
  t.match(await h.db.prisma.userIdentity.findFirstOrThrow({ where: { userId: first.body.user.id } }), {
    provider: 'GITHUB',
    subject: '4242',
  })
  t.ok(apiCalls.includes('/user') && apiCalls.includes('/user/emails'), 'the API was asked with the access token')
  const second = await flow()
  t.match(second.body, { outcome: 'SIGNED_IN', user: { id: first.body.user.id } })
})
