// Sign-in with an ID token the frontend got from the provider itself (issue 18: the public client's
// authenticate(token, GOOGLE|MICROSOFT) → POST /auth/{provider} {token, deviceInfo}). A real provider
// (oidc-provider on loopback, started here) hands the ID token to a "browser" (the test, driving the provider's
// login and consent pages, response type id_token as Google Identity Services does); the gateway checks it against
// the provider's JWKS. Replays, another audience, another issuer, a tampered token, alg none / HS256, a token too
// old or expired (issuers whose clock is behind, in child processes), and the email rule.
import { randomBytes } from 'node:crypto'
import t from 'tap'
import { SignJWT } from 'jose'
import { buildTestApp, type Teardown } from '../helper.js'
import { accountLogin, signInAtIssuer, startIssuer, startIssuerProcess, type IssuerOptions, type TestIssuer } from './oidcIssuer.js'

const CLIENT = { clientId: 'gateway-test-client', clientSecret: 'a-test-client-secret-of-some-length' }
/** The frontend page the provider sends the ID token to (never fetched: the test reads the redirect). */
const FRONTEND = 'https://frontend.example.test/auth/callback'
const OTHER_APP = 'another-application'
const issuerOptions: IssuerOptions = { ...CLIENT, redirectUris: [FRONTEND], implicit: true, otherClientIds: [OTHER_APP] }

let issuer: TestIssuer
t.before(async () => {
  issuer = await startIssuer(issuerOptions)
})
t.teardown(() => issuer.close())

/** Google and Microsoft both at `issuerUrl` (GitHub off), on an app of the subtest's own. */
async function given(t: Teardown, env: Record<string, string> = {}, issuerUrl = issuer.issuer) {
  const provider = (name: string) => ({
    [`AUTH_${name}_ISSUER`]: issuerUrl,
    [`AUTH_${name}_CLIENT_ID`]: CLIENT.clientId,
    [`AUTH_${name}_CLIENT_SECRET`]: CLIENT.clientSecret,
  })
  const h = await buildTestApp(t, { ...provider('GOOGLE'), ...provider('MICROSOFT'), ...env })
  /** The public client's call: the ID token in the body and (setAuthToken) as the Bearer token too. */
  const authenticate = (provider: 'google' | 'microsoft', token: string, extra: { deviceInfo?: object; bearer?: string } = {}) =>
    h.call({
      method: 'POST',
      url: `/auth/${provider}`,
      payload: { token, ...(extra.deviceInfo && { deviceInfo: extra.deviceInfo }) },
      headers: { authorization: `Bearer ${extra.bearer ?? token}` },
    })
  return { h, authenticate }
}

/** Signs in at the issuer as a browser script would and returns the ID token it hands the page. */
async function idTokenFrom(issuerUrl: string, login: string, clientId = CLIENT.clientId): Promise<string> {
  const discovery = (await (await fetch(`${issuerUrl}/.well-known/openid-configuration`)).json()) as { authorization_endpoint: string }
  const url = new URL(discovery.authorization_endpoint)
  url.search = new URLSearchParams({
    client_id: clientId,
    response_type: 'id_token',
    scope: 'openid email profile',
    redirect_uri: FRONTEND,
    nonce: randomBytes(16).toString('base64url'), // the page's own: the gateway never sees it
    state: randomBytes(16).toString('base64url'),
  }).toString()
  const back = await signInAtIssuer(url.href, FRONTEND, login)
  const token = new URLSearchParams(back.hash.slice(1)).get('id_token')
  if (!token) throw new Error(`no id_token in the redirect: ${back.href}`)
  return token
}

const claimsOf = (token: string) => JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as Record<string, unknown>
const INVALID = { success: false, error_code: 'INVALID_ID_TOKEN', message: "The provider's ID token failed verification" }

t.test('the public client’s authenticate: an ID token signs in (a new account, then the known identity); each token once', async (t) => {
  const { h, authenticate } = await given(t)
  const login = accountLogin('Ada', 'ada@example.com', true)
  const token = await idTokenFrom(issuer.issuer, login)
  t.match(claimsOf(token), { aud: CLIENT.clientId, iss: issuer.issuer, email: 'ada@example.com' }, 'an ID token for our client id')

  const first = await authenticate('google', token, { deviceInfo: { os: 'Linux' } })
  t.equal(first.status, 200, JSON.stringify(first.body))
  t.match(first.body, {
    success: true,
    outcome: 'CREATED',
    mfaRequired: false,
    user: { email: 'ada@example.com', name: 'Ada' },
    authState: { user: { email: 'ada@example.com', name: 'Ada' }, provider: 'GOOGLE' },
  })
  t.equal(first.body.authState.accessToken, first.body.accessToken)
  t.ok(first.body.refreshToken && first.body.tokenId, "login's session")
  const userId = first.body.user.id
  const profile = await h.call({ method: 'GET', url: '/user/profile', headers: { authorization: `Bearer ${first.body.accessToken}` } })
  t.equal(profile.status, 200)
  t.match(profile.body.data, { email: 'ada@example.com', validated: true }, 'the provider verified the email')
  t.match(await h.db.prisma.userIdentity.findFirstOrThrow({ where: { userId } }), { provider: 'GOOGLE', subject: login })
  const session = await h.db.prisma.session.findUniqueOrThrow({ where: { id: first.body.tokenId } })
  t.equal(session.loginMethod, 'GOOGLE')
  const actions = (await h.db.prisma.auditEvent.findMany({ where: { targetId: userId } })).map((e) => e.action).sort()
  t.same(actions, ['user.created', 'user.signed_in'])

  // Single use: the token is recorded (by a hash, until it would be refused anyway) and refused the second time.
  const replay = await authenticate('google', token)
  t.equal(replay.status, 401)
  t.same(replay.body, {
    success: false,
    error_code: 'ID_TOKEN_REUSED',
    message: 'This ID token was already used: get a new one from the provider',
  })
  const spent = await h.db.prisma.signInChallenge.findMany({ where: { kind: 'id_token' } })
  t.equal(spent.length, 1)
  t.notOk(JSON.stringify(spent).includes(token.split('.')[1]!), 'the token itself is not stored')
  const { iat } = claimsOf(token) as { iat: number }
  t.ok(spent[0]!.expiresAt.getTime() <= (iat + 600 + 30) * 1000, 'kept no longer than the maximum age (and the clock leeway)')
  t.equal(await h.db.prisma.user.count({ where: { email: 'ada@example.com' } }), 1)

  const again = await authenticate('google', await idTokenFrom(issuer.issuer, login))
  t.equal(again.status, 200)
  t.match(again.body, { outcome: 'SIGNED_IN', user: { id: userId } }, 'a new token of the same identity signs in as the same user')

  // Microsoft's route checks the same way; its identity is new, and the email is verified: linked to Ada.
  const microsoft = await authenticate('microsoft', await idTokenFrom(issuer.issuer, login))
  t.equal(microsoft.status, 200)
  t.match(microsoft.body, { outcome: 'LINKED', user: { id: userId }, authState: { provider: 'MICROSOFT' } })

  const gql = await h.graphql(
    'mutation ($t: String!) { signInWithIdToken(provider: GOOGLE, idToken: $t) { outcome user { id } authState { provider } } }',
    { t: await idTokenFrom(issuer.issuer, login) },
  )
  t.equal(gql.status, 200)
  t.match(gql.body.data.signInWithIdToken, { outcome: 'SIGNED_IN', user: { id: userId }, authState: { provider: 'GOOGLE' } })
})

t.test('the same ID token sent twice at once: one sign-in, one ID_TOKEN_REUSED', async (t) => {
  const { h, authenticate } = await given(t)
  const token = await idTokenFrom(issuer.issuer, accountLogin('Twin', 'twin@example.com', true))
  const answers = await Promise.all([authenticate('google', token), authenticate('microsoft', token)])
  t.same(answers.map((a) => a.status).sort(), [200, 401])
  t.same(answers.map((a) => a.body.error_code ?? a.body.outcome).sort(), ['CREATED', 'ID_TOKEN_REUSED'])
  t.equal(await h.db.prisma.user.count({ where: { email: 'twin@example.com' } }), 1)
})

t.test(
  'refused, and nothing made: another audience, another issuer, a tampered token, alg none, HS256 with the client secret',
  async (t) => {
    const other = await startIssuer(issuerOptions)
    t.teardown(() => other.close())
    const { h, authenticate } = await given(t)
    const login = (name: string) => accountLogin(name, `${name.toLowerCase()}@example.com`, true)

    const otherAudience = await idTokenFrom(issuer.issuer, login('Aud'), OTHER_APP)
    t.equal(claimsOf(otherAudience).aud, OTHER_APP)
    t.same((await authenticate('google', otherAudience)).body, INVALID, 'an ID token for another application')

    // Both issuers sign with oidc-provider's (static) development keys: the signature checks out, only iss differs.
    const otherIssuer = await idTokenFrom(other.issuer, login('Iss'))
    t.equal(claimsOf(otherIssuer).iss, other.issuer)
    const fromOther = await authenticate('google', otherIssuer)
    t.equal(fromOther.status, 401)
    t.same(fromOther.body, INVALID, 'an ID token from another issuer, for the same client id')

    const good = await idTokenFrom(issuer.issuer, login('Tam'))
    const [header, payload, signature] = good.split('.') as [string, string, string]
    const forged = Buffer.from(JSON.stringify({ ...claimsOf(good), email: 'owner@demo.test' })).toString('base64url')
    t.same((await authenticate('google', `${header}.${forged}.${signature}`)).body, INVALID, 'claims changed under the signature')
    const flipped = signature.slice(0, 10) + (signature[10] === 'A' ? 'B' : 'A') + signature.slice(11)
    t.same((await authenticate('google', `${header}.${payload}.${flipped}`)).body, INVALID, 'a changed signature')
    const none = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url')
    t.same((await authenticate('google', `${none}.${payload}.`)).body, INVALID, 'alg none')
    const hs256 = await new SignJWT(claimsOf(good)).setProtectedHeader({ alg: 'HS256' }).sign(new TextEncoder().encode(CLIENT.clientSecret))
    t.same((await authenticate('google', hs256)).body, INVALID, 'HS256 signed with the client secret')
    t.same((await authenticate('google', 'not-a-jwt')).body, INVALID, 'not a JWT')

    t.equal(await h.db.prisma.user.count({ where: { email: { endsWith: '@example.com' } } }), 0, 'no account made')
    t.equal(await h.db.prisma.userIdentity.count(), 0, 'nothing linked')
    t.equal(await h.db.prisma.signInChallenge.count({ where: { kind: 'id_token' } }), 0, 'a refused token is not recorded')
    // The untouched token was never spent by its refused variants.
    const ok = await authenticate('google', good)
    t.equal(ok.status, 200)
    t.equal(ok.body.outcome, 'CREATED')
  },
)

t.test('too old (iat past AUTH_ID_TOKEN_MAX_AGE) and expired: issuers whose clock is behind', async (t) => {
  // 20 minutes behind. One issues hour-long tokens (Google's): still good, but issued 20 minutes ago; the other
  // 10-minute tokens: expired 10 minutes ago.
  const [hourLong, tenMinutes] = await Promise.all([
    startIssuerProcess({ ...issuerOptions, clockBehindSeconds: 1200, idTokenTtlSeconds: 3600 }),
    startIssuerProcess({ ...issuerOptions, clockBehindSeconds: 1200, idTokenTtlSeconds: 600 }),
  ])
  t.teardown(() => Promise.all([hourLong.close(), tenMinutes.close()]))
  const login = accountLogin('Old', 'old@example.com', true)
  const now = Math.floor(Date.now() / 1000)

  const tooOld = await idTokenFrom(hourLong.issuer, login)
  t.ok((claimsOf(tooOld).exp as number) > now + 600, 'not expired')
  const strict = await given(t, {}, hourLong.issuer)
  const refused = await strict.authenticate('google', tooOld)
  t.equal(refused.status, 401)
  t.same(refused.body, INVALID, 'issued 20 minutes ago; the default maximum age is 10 minutes')
  t.equal(await strict.h.db.prisma.user.count({ where: { email: 'old@example.com' } }), 0)
  const lenient = await given(t, { AUTH_ID_TOKEN_MAX_AGE: '3600' }, hourLong.issuer)
  t.equal((await lenient.authenticate('google', tooOld)).status, 200, 'the same token under a maximum age of an hour')

  const expired = await idTokenFrom(tenMinutes.issuer, login)
  t.ok((claimsOf(expired).exp as number) < now, 'expired')
  const app = await given(t, { AUTH_ID_TOKEN_MAX_AGE: '3600' }, tenMinutes.issuer)
  const late = await app.authenticate('google', expired)
  t.equal(late.status, 401)
  t.same(late.body, INVALID, 'expired, though young enough for the maximum age')
  t.equal(await app.h.db.prisma.user.count({ where: { email: 'old@example.com' } }), 0)
})

t.test('the account rules: an unverified email of an existing account is refused; a caller’s access token links; MFA', async (t) => {
  const { h, authenticate } = await given(t)
  const userId = await h.userId('user@demo.test')
  const unverified = await authenticate('google', await idTokenFrom(issuer.issuer, accountLogin('Mallory', 'user@demo.test', false)))
  t.equal(unverified.status, 403)
  t.equal(unverified.body.error_code, 'EMAIL_NOT_VERIFIED')
  t.equal(await h.db.prisma.userIdentity.count({ where: { userId } }), 0, 'not linked')

  // With the gateway's own access token as the Bearer (not the ID token), a new identity is linked to the caller.
  const lonerToken = await h.tokenFor('loner@demo.test')
  const linked = await authenticate('google', await idTokenFrom(issuer.issuer, accountLogin('Lo', 'elsewhere@example.com', false)), {
    bearer: lonerToken,
  })
  t.equal(linked.status, 200)
  t.match(linked.body, { outcome: 'LINKED', user: { email: 'loner@demo.test' } })

  // A user with a second factor gets login's limited token: the provider does not replace it.
  const ownerId = await h.userId('owner@demo.test')
  await h.db.prisma.mfaCredential.create({
    data: { userId: ownerId, secretSealed: 'not used here', verifiedAt: new Date(), enabledAt: new Date() },
  })
  const mfa = await authenticate('google', await idTokenFrom(issuer.issuer, accountLogin('Olivia', 'owner@demo.test', true)))
  t.equal(mfa.status, 200)
  t.match(mfa.body, { outcome: 'LINKED', mfaRequired: true, user: { id: ownerId } })
  t.notOk(mfa.body.refreshToken, 'no refresh token while the second factor is pending')
  t.equal(await h.db.prisma.session.count({ where: { userId: ownerId, loginMethod: 'GOOGLE' } }), 0, 'no session yet')
})

t.test('bad input is a 400; GitHub takes no token; the per-address limit counts ID token sign-ins', async (t) => {
  const { h, authenticate } = await given(t, { RATE_LIMIT_SIGN_IN_PER_ADDRESS: '3' })
  const post = (url: string, payload: object) => h.call({ method: 'POST', url, payload })
  t.same((await post('/auth/github', { token: 'x' })).body, {
    success: false,
    error_code: 'INVALID_REQUEST',
    message: 'Unknown field: token',
  })
  t.same((await post('/auth/google', { token: 'x', code: 'c', state: 's' })).body, {
    success: false,
    error_code: 'INVALID_REQUEST',
    message: 'body combines fields that cannot be sent together',
  })
  const long = await post('/auth/google', { token: 'x'.repeat(9000) })
  t.equal(long.status, 400)
  t.same(long.body, { success: false, error_code: 'INVALID_REQUEST', message: 'token must be 1–8192 characters' })
  t.equal((await post('/auth/google', { token: 42 })).status, 400)
  t.equal((await authenticate('microsoft', 'not-a-jwt')).status, 401)
  t.equal((await authenticate('google', 'not-a-jwt')).status, 401)
  const limited = await authenticate('google', 'not-a-jwt')
  t.equal(limited.status, 429, 'the fourth sign-in request that reached the check (schema refusals do not count)')
  t.equal(limited.body.error_code, 'TOO_MANY_ATTEMPTS')
})
