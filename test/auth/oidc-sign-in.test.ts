// Sign-in with an OpenID Connect provider (issue 18): a real provider (oidc-provider on loopback, started here) —
// discovery, the code exchange with PKCE, state and nonce, ID token verification, single-use state, a replayed
// code, an expired ID token (an issuer whose clock is behind), identities, linking and the email rule.
import t from 'tap'
import { buildTestApp, type TestApp, type Teardown } from '../helper.js'
import { accountLogin, signInAtIssuer, startIssuer, startIssuerProcess, type TestIssuer } from './oidcIssuer.js'

const CLIENT = { clientId: 'gateway-test-client', clientSecret: 'a-test-client-secret-of-some-length' }
const REDIRECT = { GOOGLE: 'http://localhost:5173/auth/callback/google', MICROSOFT: 'http://localhost:5173/auth/callback/microsoft' }
const redirectUris = Object.values(REDIRECT)

let issuer: TestIssuer
t.before(async () => {
  issuer = await startIssuer({ ...CLIENT, redirectUris })
})
t.teardown(() => issuer.close())

/** Google and Microsoft both at `issuerUrl` (GitHub left off), on an app of the subtest's own. */
async function given(t: Teardown, issuerUrl = issuer.issuer) {
  const provider = (name: string) => ({
    [`AUTH_${name}_ISSUER`]: issuerUrl,
    [`AUTH_${name}_CLIENT_ID`]: CLIENT.clientId,
    [`AUTH_${name}_CLIENT_SECRET`]: CLIENT.clientSecret,
    [`AUTH_${name}_REDIRECT_URI`]: REDIRECT[name as keyof typeof REDIRECT],
  })
  const h = await buildTestApp(t, { ...provider('GOOGLE'), ...provider('MICROSOFT') })
  return { h, ...flows(h) }
}

function flows(h: TestApp) {
  const post = (url: string, payload?: object, headers: Record<string, string> = {}) =>
    h.call({ method: 'POST', url, ...(payload && { payload }), headers })
  /** Starts a sign-in at the gateway and signs in at the issuer: the redirect's code, state and iss. */
  async function authorize(login: string, options: { provider?: 'google' | 'microsoft'; token?: string } = {}) {
    const provider = options.provider ?? 'google'
    const started = await post(`/auth/${provider}`, undefined, options.token ? { authorization: `Bearer ${options.token}` } : {})
    if (started.status !== 200) throw new Error(`start answered ${started.status}: ${JSON.stringify(started.body)}`)
    const back = await signInAtIssuer(started.body.authorizationUrl, REDIRECT[provider.toUpperCase() as keyof typeof REDIRECT], login)
    const code = back.searchParams.get('code')!
    const state = back.searchParams.get('state')!
    return { started: started.body, code, state, iss: back.searchParams.get('iss') ?? undefined }
  }
  const exchange = (provider: string, body: object, headers: Record<string, string> = {}) =>
    post(`/auth/${provider}/exchange`, body, headers)
  return { post, authorize, exchange }
}

t.test('a new identity: discovery, PKCE + state + nonce, an account created, signed in again, refreshed', async (t) => {
  const { h, authorize, exchange, post } = await given(t)
  const login = accountLogin('Ada', 'ada@example.com', true)
  const first = await authorize(login)
  const url = new URL(first.started.authorizationUrl)
  t.equal(url.origin, issuer.issuer, 'the authorization endpoint from the discovery document')
  t.equal(url.searchParams.get('code_challenge_method'), 'S256')
  t.ok(url.searchParams.get('code_challenge'), 'a PKCE challenge')
  t.ok(url.searchParams.get('nonce'), 'a nonce')
  t.equal(url.searchParams.get('state'), first.started.state)
  t.equal(url.searchParams.get('redirect_uri'), REDIRECT.GOOGLE)
  t.equal(first.started.linking, false)
  t.equal(first.state, first.started.state, 'the issuer sent the state back')

  const signedIn = await exchange('google', { code: first.code, state: first.state, iss: first.iss, deviceInfo: { os: 'Linux' } })
  t.equal(signedIn.status, 200, JSON.stringify(signedIn.body))
  t.match(signedIn.body, {
    success: true,
    outcome: 'CREATED',
    mfaRequired: false,
    user: { email: 'ada@example.com', name: 'Ada' },
    authState: { user: { email: 'ada@example.com', name: 'Ada' }, provider: 'GOOGLE' },
  })
  t.equal(signedIn.body.authState.accessToken, signedIn.body.accessToken)
  t.equal(signedIn.body.authState.token, signedIn.body.accessToken)
  t.ok(signedIn.body.refreshToken && signedIn.body.tokenId)
  const profile = await h.call({ method: 'GET', url: '/user/profile', headers: { authorization: `Bearer ${signedIn.body.accessToken}` } })
  t.equal(profile.status, 200)
  t.match(profile.body.data, { email: 'ada@example.com', validated: true, orgRoleDescription: 'OWNER' }, 'the provider verified the email')
  const userId = signedIn.body.user.id
  const identity = await h.db.prisma.userIdentity.findFirstOrThrow({ where: { userId } })
  t.match(identity, { provider: 'GOOGLE', subject: login, email: 'ada@example.com' })
  const session = await h.db.prisma.session.findUniqueOrThrow({ where: { id: signedIn.body.tokenId } })
  t.equal(session.loginMethod, 'GOOGLE')
  const actions = (await h.db.prisma.auditEvent.findMany({ where: { targetId: userId }, orderBy: { createdAt: 'asc' } })).map(
    (e) => e.action,
  )
  t.same(actions.sort(), ['user.created', 'user.signed_in'])

  const again = await authorize(login)
  const second = await exchange('google', { code: again.code, state: again.state, iss: again.iss })
  t.equal(second.status, 200)
  t.match(second.body, { outcome: 'SIGNED_IN', user: { id: userId } }, 'the same identity signs in as the same user')
  t.equal(await h.db.prisma.user.count({ where: { email: 'ada@example.com' } }), 1)

  const refreshed = await post('/auth/google/refresh', { refresh_token: second.body.refreshToken })
  t.equal(refreshed.status, 200)
  t.ok(refreshed.body.accessToken && refreshed.body.refreshToken !== second.body.refreshToken, 'the session rotated')
  t.equal(refreshed.body.token, refreshed.body.accessToken)
  const reused = await post('/auth/google/refresh', { refresh_token: second.body.refreshToken })
  t.equal(reused.status, 401)
  t.equal(reused.body.error_code, 'REFRESH_TOKEN_REUSED')
})

t.test('the public client’s shape: POST /auth/{provider} with code and state completes the sign-in too', async (t) => {
  const { authorize, post } = await given(t)
  const { code, state, iss } = await authorize(accountLogin('Gus', 'gus@example.com', true))
  const res = await post('/auth/google', { code, state, iss })
  t.equal(res.status, 200)
  t.match(res.body, { success: true, outcome: 'CREATED', user: { email: 'gus@example.com' } })
})

t.test('a wrong state is refused, and the right one still works once; a state is bound to its provider', async (t) => {
  const { h, authorize, exchange } = await given(t)
  const { code, state, iss } = await authorize(accountLogin('Sam', 'sam@example.com', true))
  const wrong = await exchange('google', { code, state: `${state}x`, iss })
  t.equal(wrong.status, 400)
  t.same(wrong.body, { success: false, error_code: 'INVALID_STATE', message: 'Unknown, spent or expired state: start the sign-in again' })
  const otherProvider = await exchange('microsoft', { code, state, iss })
  t.equal(otherProvider.status, 400, "Google's state at Microsoft's exchange")
  t.equal(otherProvider.body.error_code, 'INVALID_STATE')
  t.equal(await h.db.prisma.userIdentity.count(), 0, 'nothing linked')
  // The refused attempt at Microsoft spent the state (single use whatever happens): start again.
  const retry = await authorize(accountLogin('Sam', 'sam@example.com', true))
  const ok = await exchange('google', { code: retry.code, state: retry.state, iss: retry.iss })
  t.equal(ok.status, 200)
  t.equal(ok.body.outcome, 'CREATED')
})

t.test('a replayed code: its state is spent, and under a new state the issuer refuses the code', async (t) => {
  const { authorize, exchange } = await given(t)
  const login = accountLogin('Rex', 'rex@example.com', true)
  const first = await authorize(login)
  t.equal((await exchange('google', { code: first.code, state: first.state, iss: first.iss })).status, 200)
  const replay = await exchange('google', { code: first.code, state: first.state, iss: first.iss })
  t.equal(replay.status, 400)
  t.equal(replay.body.error_code, 'INVALID_STATE')
  const fresh = await authorize(login)
  const underNewState = await exchange('google', { code: first.code, state: fresh.state, iss: fresh.iss })
  t.equal(underNewState.status, 400)
  t.same(underNewState.body, { success: false, error_code: 'INVALID_GRANT', message: 'The provider refused the authorization code' })
})

t.test('an expired ID token (an issuer whose clock is two hours behind) is refused; no account is made', async (t) => {
  const behind = await startIssuerProcess({ ...CLIENT, redirectUris, clockBehindSeconds: 7200 })
  t.teardown(() => behind.close())
  const { h, authorize, exchange } = await given(t, behind.issuer)
  const { code, state, iss } = await authorize(accountLogin('Old', 'old@example.com', true))
  const res = await exchange('google', { code, state, iss })
  t.equal(res.status, 401)
  t.same(res.body, { success: false, error_code: 'INVALID_ID_TOKEN', message: "The provider's ID token failed verification" })
  t.equal(res.headers['www-authenticate'] !== undefined, true)
  t.equal(await h.db.prisma.user.count({ where: { email: 'old@example.com' } }), 0)
})

t.test('an existing email: linked only when the provider verified it', async (t) => {
  const { h, authorize, exchange } = await given(t)
  const userId = await h.userId('user@demo.test')
  const unverified = await authorize(accountLogin('Mallory', 'user@demo.test', false))
  const refused = await exchange('google', { code: unverified.code, state: unverified.state, iss: unverified.iss })
  t.equal(refused.status, 403)
  t.equal(refused.body.error_code, 'EMAIL_NOT_VERIFIED')
  t.equal(await h.db.prisma.userIdentity.count({ where: { userId } }), 0, 'not linked')

  const verified = await authorize(accountLogin('Uma', 'User@Demo.test', true))
  const linked = await exchange('google', { code: verified.code, state: verified.state, iss: verified.iss })
  t.equal(linked.status, 200)
  t.match(linked.body, { outcome: 'LINKED', user: { id: userId, email: 'user@demo.test' } })
  const events = await h.db.prisma.auditEvent.findMany({ where: { targetId: userId, action: 'user.identity_linked' } })
  t.equal(events.length, 1)
  t.match(events[0]!.changes, { provider: { new: 'GOOGLE' } })
})

t.test('linking to the signed-in caller: begun with its token, completed only with it; one identity, one account', async (t) => {
  const { h, authorize, exchange } = await given(t)
  const lonerToken = await h.tokenFor('loner@demo.test')
  const login = accountLogin('Lo', 'elsewhere@example.com', false)

  const started = await authorize(login, { token: lonerToken })
  t.equal(started.started.linking, true)
  const anonymous = await exchange('google', { code: started.code, state: started.state, iss: started.iss })
  t.equal(anonymous.status, 403, 'a linking sign-in completed without the token')
  t.equal(anonymous.body.error_code, 'LINK_USER_MISMATCH')

  const again = await authorize(login, { token: lonerToken })
  const linked = await exchange(
    'google',
    { code: again.code, state: again.state, iss: again.iss },
    { authorization: `Bearer ${lonerToken}` },
  )
  t.equal(linked.status, 200)
  t.match(linked.body, { outcome: 'LINKED', user: { email: 'loner@demo.test' } })

  const later = await authorize(login)
  const signedIn = await exchange('google', { code: later.code, state: later.state, iss: later.iss })
  t.match(signedIn.body, { outcome: 'SIGNED_IN', user: { email: 'loner@demo.test' } }, 'the identity now signs in as the caller')

  const ownerToken = await h.tokenFor('owner@demo.test')
  const taken = await authorize(login, { token: ownerToken })
  const refused = await exchange(
    'google',
    { code: taken.code, state: taken.state, iss: taken.iss },
    { authorization: `Bearer ${ownerToken}` },
  )
  t.equal(refused.status, 403)
  t.equal(refused.body.error_code, 'IDENTITY_IN_USE')
})

t.test('a provider that is off answers 404 PROVIDER_NOT_CONFIGURED; bad input 400; GraphQL has the same operations', async (t) => {
  const { h, post, exchange } = await given(t)
  for (const url of ['/auth/github', '/auth/github/exchange', '/auth/github/refresh']) {
    const res = await post(
      url,
      url.endsWith('refresh') ? { refresh_token: 'x' } : url.endsWith('exchange') ? { code: 'c', state: 's' } : undefined,
    )
    t.equal(res.status, 404, url)
    t.same(res.body, {
      success: false,
      error_code: 'PROVIDER_NOT_CONFIGURED',
      message: 'Sign-in with github is not configured on this server',
    })
  }
  const missing = await exchange('google', { code: 'c' })
  t.same(missing.body, { success: false, error_code: 'INVALID_REQUEST', message: 'Missing required field: state' })
  // An ID token the frontend got itself is test/auth/oidc-id-token.test.ts's; this one is no token at all.
  const token = await post('/auth/google', { token: 'an-id-token-from-elsewhere' })
  t.equal(token.status, 401)
  t.same(token.body, { success: false, error_code: 'INVALID_ID_TOKEN', message: "The provider's ID token failed verification" })
  const long = await exchange('google', { code: 'c'.repeat(5000), state: 's' })
  t.equal(long.status, 400)

  const gql = await h.graphql('mutation { beginProviderSignIn(provider: MICROSOFT) { authorizationUrl state linking } }')
  t.equal(gql.status, 200)
  t.match(gql.body.data.beginProviderSignIn, { linking: false })
  t.match(gql.body.data.beginProviderSignIn.authorizationUrl, /^http:\/\/127\.0\.0\.1:\d+\/auth\?/)
})
