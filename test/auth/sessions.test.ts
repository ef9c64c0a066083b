// POST /user/logout, GET /token, DELETE /token/{tokenId}, and the sessions / logout / revokeSession operations.
import t from 'tap'
import { buildTestApp } from '../helper.js'

const PASSWORD = 'Demo-Password-1'
const h = await buildTestApp(t)
const login = async (email = 'user@demo.test', agent = 'test-agent') =>
  (await h.call({ method: 'POST', url: '/user/login', payload: { email, password: PASSWORD }, headers: { 'user-agent': agent } })).body
const bearer = (token: string) => ({ authorization: `Bearer ${token}` })
const NO_AUTH = { success: false, error_code: 'NO_AUTH_USER', message: 'Authentication required' }

t.test('GET /token lists the caller’s active sessions, marking the current one', async (t) => {
  const one = await login('admin@demo.test', 'agent-one')
  const two = await login('admin@demo.test', 'agent-two')
  const gone = await login('admin@demo.test', 'agent-gone')
  await h.db.prisma.session.update({ where: { id: gone.tokenId }, data: { revokedAt: new Date() } })
  await login('owner@demo.test') // another user's session
  const res = await h.call({ method: 'GET', url: '/token', headers: bearer(two.accessToken) })
  t.equal(res.status, 200)
  t.equal(res.body.success, true)
  t.same(res.body.data.map((s: { tokenId: string }) => s.tokenId).sort(), [one.tokenId, two.tokenId].sort())
  const current = res.body.data.find((s: { tokenId: string }) => s.tokenId === two.tokenId)
  t.same(Object.keys(current).sort(), [
    'createdAt',
    'current',
    'deviceInfo',
    'expiresAt',
    'ipAddress',
    'lastUsedAt',
    'tokenId',
    'userAgent',
  ])
  t.match(current, { current: true, userAgent: 'agent-two', ipAddress: '127.0.0.1', deviceInfo: { userAgent: 'agent-two' } })
  t.match(current.createdAt, /^\d{4}-\d\d-\d\dT/)
  t.equal(res.body.data.find((s: { tokenId: string }) => s.tokenId === one.tokenId).current, false)
})

t.test('DELETE /token/{tokenId} revokes one of the caller’s sessions; its tokens stop working at once', async (t) => {
  const keep = await login()
  const drop = await login()
  t.equal((await h.call({ method: 'GET', url: '/user/profile', headers: bearer(drop.accessToken) })).status, 200)
  const res = await h.call({ method: 'DELETE', url: `/token/${drop.tokenId}`, headers: bearer(keep.accessToken) })
  t.equal(res.status, 200)
  t.same(res.body, { success: true, message: 'Token revoked successfully' })
  const after = await h.call({ method: 'GET', url: '/user/profile', headers: bearer(drop.accessToken) })
  t.equal(after.status, 401, "the revoked session's access token fails on the next request")
  t.same(after.body, NO_AUTH)
  const refreshed = await h.call({ method: 'POST', url: '/user/refresh', payload: { refreshToken: drop.refreshToken } })
  t.equal(refreshed.body.error_code, 'INVALID_REFRESH_TOKEN', 'and so does its refresh token')
  t.equal(
    (await h.call({ method: 'GET', url: '/user/profile', headers: bearer(keep.accessToken) })).status,
    200,
    'the other session lives on',
  )
  const again = await h.call({ method: 'DELETE', url: `/token/${drop.tokenId}`, headers: bearer(keep.accessToken) })
  t.equal(again.status, 404, 'an already revoked session is no longer there')
})

t.test('DELETE /token/{tokenId}: 404 for another user’s session or an unknown id, with nothing revoked', async (t) => {
  const mine = await login()
  const theirs = await login('owner@demo.test')
  for (const id of [theirs.tokenId, '00000000-0000-4000-8000-000000000000', 'not-a-uuid']) {
    const res = await h.call({ method: 'DELETE', url: `/token/${id}`, headers: bearer(mine.accessToken) })
    t.equal(res.status, 404, id)
    t.same(res.body, { success: false, message: 'Token not found' })
  }
  t.notOk((await h.db.prisma.session.findUniqueOrThrow({ where: { id: theirs.tokenId } })).revokedAt)
})

t.test('POST /user/logout revokes the session of the refresh token', async (t) => {
  const session = await login()
  const res = await h.call({
    method: 'POST',
    url: '/user/logout',
    payload: { refresh_token: session.refreshToken },
    headers: bearer(session.accessToken),
  })
  t.equal(res.status, 200)
  t.same(res.body, { success: true, message: 'Logged out successfully' })
  const row = await h.db.prisma.session.findUniqueOrThrow({ where: { id: session.tokenId } })
  t.equal(row.revokedReason, 'logout')
  t.equal((await h.call({ method: 'GET', url: '/user/profile', headers: bearer(session.accessToken) })).status, 401)
  t.equal(
    (await h.call({ method: 'POST', url: '/user/refresh', payload: { refreshToken: session.refreshToken } })).body.error_code,
    'INVALID_REFRESH_TOKEN',
  )
})

t.test('POST /user/logout may end another session of the caller (refreshToken spelling too)', async (t) => {
  const here = await login()
  const there = await login()
  const res = await h.call({
    method: 'POST',
    url: '/user/logout',
    payload: { refreshToken: there.refreshToken },
    headers: bearer(here.accessToken),
  })
  t.equal(res.status, 200)
  t.ok((await h.db.prisma.session.findUniqueOrThrow({ where: { id: there.tokenId } })).revokedAt)
  t.notOk((await h.db.prisma.session.findUniqueOrThrow({ where: { id: here.tokenId } })).revokedAt)
})

t.test('POST /user/logout refuses another user’s or an unknown refresh token', async (t) => {
  const mine = await login()
  const theirs = await login('owner@demo.test')
  for (const token of [theirs.refreshToken, 'made-up']) {
    const res = await h.call({ method: 'POST', url: '/user/logout', payload: { refresh_token: token }, headers: bearer(mine.accessToken) })
    t.equal(res.status, 400)
    t.same(res.body, { success: false, error_code: 'INVALID_REFRESH_TOKEN', message: 'Invalid refresh token' })
  }
  t.notOk((await h.db.prisma.session.findUniqueOrThrow({ where: { id: theirs.tokenId } })).revokedAt)
  const missing = await h.call({ method: 'POST', url: '/user/logout', payload: {}, headers: bearer(mine.accessToken) })
  t.equal(missing.status, 400)
  t.equal(missing.body.error_code, 'INVALID_REQUEST')
})

t.test('401 NO_AUTH_USER without a valid access token', async (t) => {
  const requests = [
    { method: 'GET' as const, url: '/token' },
    { method: 'DELETE' as const, url: '/token/00000000-0000-4000-8000-000000000000' },
  ]
  for (const request of requests) {
    const none = await h.call(request)
    t.equal(none.status, 401, `${request.method} ${request.url}`)
    t.same(none.body, NO_AUTH)
    t.equal(none.headers['www-authenticate'], 'Bearer')
    const bad = await h.call({ ...request, headers: bearer('not.a.jwt') })
    t.equal(bad.status, 401)
    t.equal(bad.headers['www-authenticate'], 'Bearer error="invalid_token"')
  }
})

t.test('GraphQL sessions, revokeSession and logout', async (t) => {
  const a = await login('billing@demo.test')
  const b = await login('billing@demo.test')
  const listed = await h.call({
    method: 'POST',
    url: '/graphql',
    payload: { query: '{ sessions { tokenId current } }' },
    headers: bearer(a.accessToken),
  })
  t.same(
    listed.body.data.sessions.find((s: { tokenId: string }) => s.tokenId === a.tokenId),
    { tokenId: a.tokenId, current: true },
  )
  const revoke = 'mutation ($id: ID!) { revokeSession(tokenId: $id) { success message } }'
  const revoked = await h.call({
    method: 'POST',
    url: '/graphql',
    payload: { query: revoke, variables: { id: b.tokenId } },
    headers: bearer(a.accessToken),
  })
  t.same(revoked.body.data.revokeSession, { success: true, message: 'Token revoked successfully' })
  const unknown = await h.call({
    method: 'POST',
    url: '/graphql',
    payload: { query: revoke, variables: { id: b.tokenId } },
    headers: bearer(a.accessToken),
  })
  t.match(unknown.body.errors[0], { message: 'Token not found', extensions: { code: 'NOT_FOUND' } })
  const logout = 'mutation ($t: String!) { logout(refreshToken: $t) { success message } }'
  const out = await h.call({
    method: 'POST',
    url: '/graphql',
    payload: { query: logout, variables: { t: a.refreshToken } },
    headers: bearer(a.accessToken),
  })
  t.same(out.body.data.logout, { success: true, message: 'Logged out successfully' })
  const anonymous = await h.graphql('{ sessions { tokenId } }')
  t.equal(anonymous.body.errors[0].extensions.code, 'UNAUTHENTICATED')
})

t.test('GET /token answers the sessions as tokens (the public client) and as data (the documented name)', async (t) => {
  const mine = await login('workspaces@demo.test', 'agent-tokens')
  const res = await h.call({ method: 'GET', url: '/token', headers: bearer(mine.accessToken) })
  t.equal(res.status, 200)
  t.same(Object.keys(res.body).sort(), ['data', 'success', 'tokens'])
  t.same(res.body.tokens, res.body.data)
  t.match(
    res.body.tokens.find((s: { tokenId: string }) => s.tokenId === mine.tokenId),
    { current: true, userAgent: 'agent-tokens' },
  )
})

t.test('POST /user/logout with the refresh token alone: no, an expired or a revoked access token', async (t) => {
  const expiredToken = h.app.accessTokens.issue(await h.userId('user@demo.test'), '00000000-0000-4000-8000-000000000000').accessToken
  const cases: [string, Record<string, string>][] = [
    ['no access token', {}],
    ['a malformed access token', bearer('not.a.jwt')],
    ['an access token of an ended session', bearer(expiredToken)],
  ]
  for (const [name, headers] of cases) {
    const session = await login()
    const res = await h.call({ method: 'POST', url: '/user/logout', payload: { refresh_token: session.refreshToken }, headers })
    t.equal(res.status, 200, name)
    t.same(res.body, { success: true, message: 'Logged out successfully' })
    t.equal((await h.db.prisma.session.findUniqueOrThrow({ where: { id: session.tokenId } })).revokedReason, 'logout', name)
    t.equal((await h.call({ method: 'GET', url: '/user/profile', headers: bearer(session.accessToken) })).status, 401)
  }
  const unknown = await h.call({ method: 'POST', url: '/user/logout', payload: { refresh_token: 'made-up' } })
  t.equal(unknown.status, 400)
  t.same(unknown.body, { success: false, error_code: 'INVALID_REFRESH_TOKEN', message: 'Invalid refresh token' })
  const graphql = await login('billing@demo.test')
  const out = await h.graphql('mutation ($t: String!) { logout(refreshToken: $t) { success message } }', { t: graphql.refreshToken })
  t.same(out.body, { data: { logout: { success: true, message: 'Logged out successfully' } } }, 'GraphQL without a token too')
})

t.test('POST /user/logout without an access token is rate-limited per address', async (t) => {
  const limited = await buildTestApp(t, { RATE_LIMIT_REFRESH_PER_ADDRESS: '2' })
  const attempt = () => limited.call({ method: 'POST', url: '/user/logout', payload: { refresh_token: 'made-up' } })
  t.equal((await attempt()).status, 400)
  t.equal((await attempt()).status, 400)
  const third = await attempt()
  t.equal(third.status, 429)
  t.match(third.body, { success: false, error_code: 'TOO_MANY_ATTEMPTS' })
  t.ok(Number(third.headers['retry-after']) > 0, 'with Retry-After')
  const owner = await limited.call({
    method: 'POST',
    url: '/user/logout',
    payload: { refresh_token: 'made-up' },
    as: 'owner@demo.test',
  })
  t.equal(owner.status, 400, 'a signed-in caller is not counted')
})
