// POST /user/login and the login mutation.
import t from 'tap'
import { hash } from '@node-rs/argon2'
import { buildTestApp } from '../helper.js'
import { ARGON2ID, hashPassword, type PasswordHashCost } from '../../src/crypto/passwords.js'

const PASSWORD = 'Demo-Password-1'
const h = await buildTestApp(t)
const login = (payload: unknown, headers: Record<string, string> = {}) =>
  h.call({ method: 'POST', url: '/user/login', payload: payload as object, headers })
/** A PHC string made at `cost` (the suite's is argon2id's smallest, config.passwordHashCost). */
const hashedAt = (cost: PasswordHashCost) => new RegExp(`^\\$argon2id\\$v=19\\$m=${cost.memoryKiB},t=${cost.iterations},p=1\\$`)
const claimsOf = (jwt: string) => JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString('utf8'))

// A user who signed up elsewhere and never set a password.
await h.db.prisma.user.create({ data: { email: 'nopassword@demo.test', name: 'No', lastName: 'Password', passwordHash: null } })

t.test('200: tokens, session and the documented user fields', async (t) => {
  const res = await login(
    { email: ' Owner@Demo.TEST', password: PASSWORD, deviceInfo: { os: 'Linux', app: 'cli' } },
    { 'user-agent': 'curl/8.0' },
  )
  t.equal(res.status, 200)
  t.same(Object.keys(res.body).sort(), ['accessToken', 'expiresAt', 'mfaRequired', 'refreshToken', 'success', 'tokenId', 'user'])
  t.same(res.body.user, {
    id: await h.userId('owner@demo.test'),
    email: 'owner@demo.test',
    name: 'Olivia',
    orgId: (await h.db.prisma.user.findUniqueOrThrow({ where: { email: 'owner@demo.test' } })).orgId,
    orgRole: 255,
  })
  const session = await h.db.prisma.session.findUniqueOrThrow({ where: { id: res.body.tokenId } })
  t.same(session.deviceInfo, { os: 'Linux', app: 'cli', userAgent: 'curl/8.0' }, 'the header fills deviceInfo.userAgent')
  t.equal(session.userAgent, 'curl/8.0')
  t.equal(session.ipAddress, '127.0.0.1')
  const profile = await h.call({ method: 'GET', url: '/user/profile', headers: { authorization: `Bearer ${res.body.accessToken}` } })
  t.equal(profile.status, 200)
})

t.test("the access token's claims", async (t) => {
  const res = await login({ email: 'user@demo.test', password: PASSWORD })
  const [header] = res.body.accessToken.split('.')
  t.match(JSON.parse(Buffer.from(header, 'base64url').toString('utf8')), { alg: 'HS256', typ: 'JWT' })
  const claims = claimsOf(res.body.accessToken)
  t.equal(claims.iss, h.config.jwt.issuer)
  t.equal(claims.aud, h.config.jwt.audience)
  t.equal(claims.sub, await h.userId('user@demo.test'))
  t.equal(claims.sid, res.body.tokenId)
  t.equal(claims.exp, res.body.expiresAt, 'expiresAt is the JWT exp, in seconds')
  t.equal(claims.exp - claims.iat, h.config.jwt.accessTokenTtlSeconds)
  t.ok(Math.abs(claims.iat - Date.now() / 1000) < 60)
  t.same(h.app.accessTokens.verify(res.body.accessToken).sid, res.body.tokenId)
})

t.test('401 INVALID_PASSWORD alike for an unknown email, a wrong password and no password; the verifier runs every time', async (t) => {
  const verified: string[] = []
  const original = h.app.credentials.verify
  h.app.credentials.verify = async (phc, password) => {
    verified.push(phc)
    return original(phc, password)
  }
  t.teardown(() => void (h.app.credentials.verify = original))
  const answers = []
  for (const payload of [
    { email: 'nobody@demo.test', password: PASSWORD },
    { email: 'owner@demo.test', password: 'Wrong-Password-1' },
    { email: 'nopassword@demo.test', password: PASSWORD },
    { email: 'not even an email', password: '' },
  ]) {
    const res = await login(payload)
    t.equal(res.status, 401, payload.email)
    t.equal(res.headers['www-authenticate'], 'Bearer')
    answers.push(res.body)
  }
  for (const body of answers) t.same(body, { success: false, error_code: 'INVALID_PASSWORD', message: 'Invalid email or password' })
  t.equal(verified.length, 4, 'a password hash is verified on every path')
  t.equal(verified[0], h.app.credentials.dummyHash, 'the unknown email is checked against the decoy hash')
  t.equal(verified[2], h.app.credentials.dummyHash, 'so is the account without a password')
  t.match(h.app.credentials.dummyHash, hashedAt(h.config.passwordHashCost), 'the decoy costs what a real hash costs')
})

t.test('401 USER_INACTIVE only after the right password', async (t) => {
  const right = await login({ email: 'deleted@demo.test', password: PASSWORD })
  t.equal(right.status, 401)
  t.same(right.body, { success: false, error_code: 'USER_INACTIVE', message: 'User account is inactive' })
  const wrong = await login({ email: 'deleted@demo.test', password: 'Wrong-Password-1' })
  t.equal(wrong.body.error_code, 'INVALID_PASSWORD')
  t.equal(await h.db.prisma.session.count({ where: { userId: await h.userId('deleted@demo.test') } }), 0, 'no session started')
})

t.test('a hash made with older parameters is redone at login', async (t) => {
  const old = await hash(PASSWORD, { algorithm: ARGON2ID, memoryCost: 16, timeCost: 2, parallelism: 1 })
  await h.db.prisma.user.update({ where: { email: 'billing@demo.test' }, data: { passwordHash: old } })
  const res = await login({ email: 'billing@demo.test', password: PASSWORD })
  t.equal(res.status, 200)
  const now = (await h.db.prisma.user.findUniqueOrThrow({ where: { email: 'billing@demo.test' } })).passwordHash!
  t.not(now, old)
  t.match(now, hashedAt(h.config.passwordHashCost))
  t.equal((await login({ email: 'billing@demo.test', password: PASSWORD })).status, 200, 'the new hash verifies')
  // A current hash is left alone.
  const current = await hashPassword(PASSWORD, h.config.passwordHashCost)
  await h.db.prisma.user.update({ where: { email: 'billing@demo.test' }, data: { passwordHash: current } })
  await login({ email: 'billing@demo.test', password: PASSWORD })
  t.equal((await h.db.prisma.user.findUniqueOrThrow({ where: { email: 'billing@demo.test' } })).passwordHash, current)
})

t.test('400 INVALID_REQUEST for missing or wrong-typed fields', async (t) => {
  for (const payload of [
    { email: 'owner@demo.test' },
    { password: PASSWORD },
    { email: 1, password: PASSWORD },
    { email: 'owner@demo.test', password: PASSWORD, deviceInfo: 'phone' },
  ]) {
    const res = await login(payload)
    t.equal(res.status, 400, JSON.stringify(payload))
    t.equal(res.body.error_code, 'INVALID_REQUEST')
    t.equal(res.body.success, false)
  }
})

t.test('GraphQL login', async (t) => {
  const query =
    'mutation ($email: String!, $password: String!) { login(email: $email, password: $password, deviceInfo: {os: "ios", build: 7}) { tokenId expiresAt user { email image_url } } }'
  const ok = await h.graphql(query, { email: 'admin@demo.test', password: PASSWORD })
  t.match(ok.body.data.login, { user: { email: 'admin@demo.test', image_url: null } })
  t.same((await h.db.prisma.session.findUniqueOrThrow({ where: { id: ok.body.data.login.tokenId } })).deviceInfo, {
    os: 'ios',
    build: 7,
    userAgent: 'lightMyRequest',
  })
  const bad = await h.graphql(query, { email: 'admin@demo.test', password: 'nope' })
  t.equal(bad.body.data, null)
  t.match(bad.body.errors[0], {
    message: 'Invalid email or password',
    extensions: { code: 'UNAUTHENTICATED', errorCode: 'INVALID_PASSWORD' },
  })
})
