// POST /user/register and the register mutation: validation, the one-transaction creation, tokens.
import t from 'tap'
import { buildTestApp } from '../helper.js'

// This file registers more than the default 20 per hour from one address; limits have their own test.
const h = await buildTestApp(t, { RATE_LIMIT_REGISTER_PER_ADDRESS: '1000' })
const valid = (over: Record<string, unknown> = {}) => ({
  email: `new-${Math.random().toString(36).slice(2)}@example.com`,
  password: 'Str0ng-Pass',
  firstName: 'Nina',
  lastName: 'New',
  companyName: 'New Co',
  isBusiness: true,
  ...over,
})
const register = (payload: unknown) => h.call({ method: 'POST', url: '/user/register', payload: payload as object })
const counts = async () => ({
  users: await h.db.prisma.user.count(),
  orgs: await h.db.prisma.organization.count(),
  subscriptions: await h.db.prisma.organizationSubscription.count(),
  sessions: await h.db.prisma.session.count(),
})

t.test('201: user, organization with the user as OWNER, active free trial, session and tokens', async (t) => {
  const res = await register(valid({ email: '  Nina.New@Example.COM ', companyWebsite: 'https://new.example' }))
  t.equal(res.status, 201)
  t.match(res.headers['content-type'], /^application\/json; charset=utf-8/)
  const { body } = res
  t.same(Object.keys(body).sort(), ['accessToken', 'expiresAt', 'refreshToken', 'success', 'tokenId', 'user', 'verificationTokenId'])
  t.equal(body.success, true)
  t.same(Object.keys(body.user).sort(), ['email', 'id', 'image_url', 'name', 'orgId', 'orgRole'])
  t.match(body.user, { email: 'nina.new@example.com', name: 'Nina', orgRole: 255, image_url: null })
  t.ok(Number.isInteger(body.expiresAt))
  t.match(body.refreshToken, /^[A-Za-z0-9_-]{43,}$/, 'base64url of 32 random bytes')

  const user = await h.db.prisma.user.findUniqueOrThrow({
    where: { id: body.user.id },
    include: { organization: { include: { subscriptions: { include: { plan: true } } } } },
  })
  t.equal(user.lastName, 'New')
  const { memoryKiB, iterations } = h.config.passwordHashCost
  t.match(user.passwordHash, new RegExp(`^\\$argon2id\\$v=19\\$m=${memoryKiB},t=${iterations},p=1\\$`), 'hashed at the configured cost')
  t.equal(user.organization?.name, 'New Co')
  t.equal(user.organization?.id, body.user.orgId)
  t.equal(user.organization?.subscriptions.length, 1)
  t.match(user.organization?.subscriptions[0], { status: 'active', plan: { code: 'FREE_TRIAL' } })
  const session = await h.db.prisma.session.findUniqueOrThrow({ where: { id: body.tokenId }, include: { refreshTokens: true } })
  t.equal(session.userId, body.user.id)
  t.equal(session.refreshTokens.length, 1)
  t.not(session.refreshTokens[0]!.tokenHash, body.refreshToken, 'only a hash is stored')

  const me = await h.call({ method: 'GET', url: '/user/profile', headers: { authorization: `Bearer ${body.accessToken}` } })
  t.equal(me.status, 200)
  t.match(me.body.data, { email: 'nina.new@example.com', orgRole: 255, orgRoleDescription: 'OWNER', lastName: 'New', isBusiness: true })
  t.match(user, { isBusiness: true, companyWebsite: 'https://new.example' }, 'isBusiness and companyWebsite are stored')
  t.match(user.organization, { website: 'https://new.example', isBusiness: true }, "and start the organization's details")
})

t.test('isBusiness false and no companyWebsite: stored so, shown in the profile and the organization', async (t) => {
  const res = await register(valid({ isBusiness: false, companyWebsite: '   ' }))
  t.equal(res.status, 201)
  const auth = { authorization: `Bearer ${res.body.accessToken}` }
  const me = await h.call({ method: 'GET', url: '/user/profile', headers: auth })
  t.equal(me.body.data.isBusiness, false)
  const org = await h.call({ method: 'GET', url: `/organization/${res.body.user.orgId}`, headers: auth })
  t.match(org.body.data, { name: 'New Co', website: null, domain: '', is_business: false })
  const long = await register(valid({ companyWebsite: `https://${'w'.repeat(2050)}.example` }))
  t.equal(long.status, 400)
  t.same(long.body, { success: false, error_code: 'INVALID_REQUEST', message: 'companyWebsite must be at most 2048 characters long' })
})

t.test('400 INVALID_REQUEST: missing or wrong-typed fields, empty names', async (t) => {
  const cases: [string, unknown][] = [
    ['missing email', (({ email: _e, ...rest }) => rest)(valid())],
    ['missing companyName', (({ companyName: _c, ...rest }) => rest)(valid())],
    ['isBusiness a string', valid({ isBusiness: 'yes' })],
    ['firstName a number', valid({ firstName: 42 })],
    ['companyWebsite a number', valid({ companyWebsite: 1 })],
    ['blank firstName', valid({ firstName: '   ' })],
    ['blank companyName', valid({ companyName: '' })],
    ['over-long password', valid({ password: 'Aa1' + 'x'.repeat(2000) })],
    ['not an object', [1, 2]],
  ]
  const before = await counts()
  for (const [name, payload] of cases) {
    const res = await register(payload)
    t.equal(res.status, 400, name)
    t.equal(res.body.success, false, name)
    t.equal(res.body.error_code, 'INVALID_REQUEST', name)
    t.type(res.body.message, 'string', name)
  }
  t.same(await counts(), before, 'nothing written')
})

t.test('400 INVALID_REQUEST on malformed JSON', async (t) => {
  const res = await h.call({ method: 'POST', url: '/user/register', payload: '{"email":', headers: { 'content-type': 'application/json' } })
  t.equal(res.status, 400)
  t.equal(res.body.success, false)
})

t.test('400 INVALID_EMAIL', async (t) => {
  for (const email of ['not-an-email', 'a@b', 'two@@example.com', 'space d@example.com']) {
    const res = await register(valid({ email }))
    t.equal(res.status, 400, email)
    t.same(res.body, { success: false, error_code: 'INVALID_EMAIL', message: 'Invalid email address' }, email)
  }
})

t.test('400 WEAK_PASSWORD', async (t) => {
  for (const password of ['Short1a', 'alllower1', 'ALLUPPER1', 'NoDigitsHere']) {
    const res = await register(valid({ password }))
    t.equal(res.status, 400, password)
    t.equal(res.body.error_code, 'WEAK_PASSWORD', password)
    t.match(res.body.message, /at least 8 characters/)
  }
})

t.test('400 EMAIL_ALREADY_REGISTERED, case-insensitively, and nothing half-written', async (t) => {
  const before = await counts()
  for (const email of ['owner@demo.test', 'OWNER@Demo.Test']) {
    const res = await register(valid({ email }))
    t.equal(res.status, 400, email)
    t.same(res.body, { success: false, error_code: 'EMAIL_ALREADY_REGISTERED', message: 'Email is already registered' })
  }
  t.same(await counts(), before, 'no organization, subscription or session left behind')
})

t.test('concurrent registrations of one email: exactly one 201, the others EMAIL_ALREADY_REGISTERED', async (t) => {
  const email = 'race@example.com'
  const before = await counts()
  const results = await Promise.all([1, 2, 3, 4].map((i) => register(valid({ email: i % 2 ? email : email.toUpperCase() }))))
  t.same(results.map((r) => r.status).sort(), [201, 400, 400, 400])
  for (const r of results.filter((r) => r.status === 400)) t.equal(r.body.error_code, 'EMAIL_ALREADY_REGISTERED')
  const after = await counts()
  t.equal(after.users, before.users + 1)
  t.equal(after.orgs, before.orgs + 1, 'the losers rolled back their organizations')
  t.equal(after.subscriptions, before.subscriptions + 1)
  t.equal(after.sessions, before.sessions + 1)
})

t.test('GraphQL register', async (t) => {
  const query = `mutation ($input: RegisterInput!) { register(input: $input) { tokenId expiresAt user { email orgRole image_url } } }`
  const ok = await h.graphql(query, { input: valid({ email: 'gql@example.com' }) })
  t.equal(ok.status, 200)
  t.match(ok.body.data.register, { user: { email: 'gql@example.com', orgRole: 255, image_url: null } })
  const weak = await h.graphql(query, { input: valid({ password: 'weak' }) })
  t.equal(weak.body.errors[0].extensions.code, 'BAD_USER_INPUT')
  t.equal(weak.body.errors[0].extensions.errorCode, 'WEAK_PASSWORD')
  const taken = await h.graphql(query, { input: valid({ email: 'GQL@example.com' }) })
  t.equal(taken.body.errors[0].extensions.errorCode, 'EMAIL_ALREADY_REGISTERED')
})
