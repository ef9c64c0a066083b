// GET /sessions, POST /sessions/{id}/revoke, POST /sessions/revoke-all, POST /sessions/{id}/heartbeat,
// and the GraphQL operations they run (sessions, revokeSession, revokeOtherSessions, sessionHeartbeat).
import t from 'tap'
import { buildTestApp, type Teardown } from '../helper.js'
import { hashOpaqueToken } from '../../src/crypto/opaqueTokens.js'

const PASSWORD = 'Demo-Password-1'
const NO_AUTH = { success: false, error_code: 'NO_AUTH_USER', message: 'Authentication required' }
const NOT_FOUND = { success: false, message: 'Session not found' }
// location is never sent (the client declares it optional; the gateway does not locate addresses).
const ITEM_KEYS = ['current', 'expiresAt', 'id', 'ipAddress', 'lastActivity', 'loginMethod', 'startedAt', 'userAgent']
const UNKNOWN = '00000000-0000-4000-8000-000000000000'

/** Each subtest's own app (a fresh database) with this file's helpers over it: every subtest logs in, so each
 * starts from the seeded sessions only, and passes alone and in any order. */
async function given(where: Teardown) {
  const h = await buildTestApp(where)
  const login = async (email = 'user@demo.test', agent = 'test-agent') =>
    (await h.call({ method: 'POST', url: '/user/login', payload: { email, password: PASSWORD }, headers: { 'user-agent': agent } })).body
  const bearer = (token: string) => ({ authorization: `Bearer ${token}` })
  const post = (url: string, accessToken?: string) => h.call({ method: 'POST', url, headers: accessToken ? bearer(accessToken) : {} })
  const sessionRow = (id: string) => h.db.prisma.session.findUniqueOrThrow({ where: { id } })
  return { h, login, bearer, post, sessionRow }
}

t.test('GET /sessions: the caller’s live sessions in the client’s shape, the same as GET /token', async (t) => {
  const { h, login, bearer } = await given(t)
  const one = await login('admin@demo.test', 'agent-one')
  const two = await login('admin@demo.test', 'agent-two')
  const gone = await login('admin@demo.test', 'agent-gone')
  await h.db.prisma.session.update({ where: { id: gone.tokenId }, data: { revokedAt: new Date() } })
  await login('owner@demo.test')
  const res = await h.call({ method: 'GET', url: '/sessions', headers: bearer(two.accessToken) })
  t.equal(res.status, 200)
  t.equal(res.headers['content-type'], 'application/json; charset=utf-8')
  t.same(Object.keys(res.body), ['success', 'sessions'])
  t.same(res.body.sessions.map((s: { id: string }) => s.id).sort(), [one.tokenId, two.tokenId].sort(), 'only live sessions, only mine')
  const current = res.body.sessions.find((s: { id: string }) => s.id === two.tokenId)
  t.same(Object.keys(current).sort(), ITEM_KEYS)
  t.match(current, { current: true, userAgent: 'agent-two', ipAddress: '127.0.0.1', loginMethod: 'PASSWORD' })
  t.notOk('location' in current, 'location is left out, not null')
  t.match(current.startedAt, /^\d{4}-\d\d-\d\dT.*Z$/)
  const tokens = await h.call({ method: 'GET', url: '/token', headers: bearer(two.accessToken) })
  t.same(
    tokens.body.tokens.map((s: { tokenId: string; createdAt: string; lastUsedAt: string; expiresAt: string }) => [
      s.tokenId,
      s.createdAt,
      s.lastUsedAt,
      s.expiresAt,
    ]),
    res.body.sessions.map((s: { id: string; startedAt: string; lastActivity: string; expiresAt: string }) => [
      s.id,
      s.startedAt,
      s.lastActivity,
      s.expiresAt,
    ]),
    'the same sessions, in the same order, as GET /token',
  )
  const gql = await h.graphql('{ sessions { id startedAt lastActivity expiresAt loginMethod location current } }', {}, undefined)
  t.equal(gql.body.errors[0].extensions.code, 'UNAUTHENTICATED')
  const viaGraphql = await h.call({
    method: 'POST',
    url: '/graphql',
    payload: { query: '{ sessions { id ipAddress location startedAt lastActivity expiresAt loginMethod userAgent current } }' },
    headers: bearer(two.accessToken),
  })
  t.same(
    viaGraphql.body.data.sessions,
    res.body.sessions.map((s: object) => ({ ...s, location: null })),
    'GraphQL returns what REST returns, with location null where REST leaves it out',
  )
})

t.test('POST /sessions/{id}/revoke ends one of the caller’s sessions; its tokens stop at once', async (t) => {
  const { h, login, bearer, post, sessionRow } = await given(t)
  const keep = await login()
  const drop = await login()
  const res = await post(`/sessions/${drop.tokenId}/revoke`, keep.accessToken)
  t.equal(res.status, 200)
  t.same(res.body, { success: true, message: 'Session revoked successfully' })
  t.equal((await sessionRow(drop.tokenId)).revokedReason, 'revoked_by_user')
  t.same((await h.call({ method: 'GET', url: '/user/profile', headers: bearer(drop.accessToken) })).body, NO_AUTH)
  const refreshed = await h.call({ method: 'POST', url: '/user/refresh', payload: { refresh_token: drop.refreshToken } })
  t.equal(refreshed.body.error_code, 'INVALID_REFRESH_TOKEN')
  t.equal((await h.call({ method: 'GET', url: '/user/profile', headers: bearer(keep.accessToken) })).status, 200, 'the other lives on')
  const again = await post(`/sessions/${drop.tokenId}/revoke`, keep.accessToken)
  t.equal(again.status, 404, 'an ended session is no longer there')
  t.same(again.body, NOT_FOUND)
  const self = await post(`/sessions/${keep.tokenId}/revoke`, keep.accessToken)
  t.equal(self.status, 200, 'the current session may be ended too')
  t.equal((await h.call({ method: 'GET', url: '/user/profile', headers: bearer(keep.accessToken) })).status, 401)
})

t.test('POST /sessions/{id}/revoke: 404 for another user’s session or an unknown id, 401 without a token', async (t) => {
  const { login, post, sessionRow } = await given(t)
  const mine = await login()
  const theirs = await login('owner@demo.test')
  for (const id of [theirs.tokenId, UNKNOWN, 'not-a-uuid']) {
    const res = await post(`/sessions/${id}/revoke`, mine.accessToken)
    t.equal(res.status, 404, id)
    t.same(res.body, NOT_FOUND)
  }
  t.equal((await sessionRow(theirs.tokenId)).revokedAt, null, "the other user's session is untouched")
  const none = await post(`/sessions/${theirs.tokenId}/revoke`)
  t.equal(none.status, 401)
  t.same(none.body, NO_AUTH)
  t.equal(none.headers['www-authenticate'], 'Bearer')
})

t.test('POST /sessions/revoke-all ends every other session of the caller, and only the caller’s', async (t) => {
  const { h, login, bearer, post, sessionRow } = await given(t)
  const here = await login('billing@demo.test')
  const others = [await login('billing@demo.test'), await login('billing@demo.test')]
  const stranger = await login('owner@demo.test')
  const res = await post('/sessions/revoke-all', here.accessToken)
  t.equal(res.status, 200)
  t.same(res.body, { success: true, message: 'All other sessions revoked successfully', revoked: 2 })
  for (const other of others) {
    t.equal((await sessionRow(other.tokenId)).revokedReason, 'revoked_by_user')
    t.equal((await h.call({ method: 'GET', url: '/user/profile', headers: bearer(other.accessToken) })).status, 401)
  }
  t.equal((await h.call({ method: 'GET', url: '/user/profile', headers: bearer(here.accessToken) })).status, 200, 'the current stays')
  t.equal((await sessionRow(stranger.tokenId)).revokedAt, null, "another user's sessions stay")
  const listed = await h.call({ method: 'GET', url: '/sessions', headers: bearer(here.accessToken) })
  t.same(
    listed.body.sessions.map((s: { id: string }) => s.id),
    [here.tokenId],
  )
  t.same((await post('/sessions/revoke-all', here.accessToken)).body.revoked, 0, 'nothing left to end')
  t.same((await post('/sessions/revoke-all')).body, NO_AUTH)
  t.equal((await post('/sessions/revoke-all', 'not.a.jwt')).headers['www-authenticate'], 'Bearer error="invalid_token"')
})

t.test('POST /sessions/{id}/heartbeat marks the session active and extends it and its refresh token', async (t) => {
  const { h, login, bearer, post, sessionRow } = await given(t)
  const session = await login('workspaces@demo.test')
  const short = new Date(Date.now() + 60_000)
  await h.db.prisma.session.update({ where: { id: session.tokenId }, data: { expiresAt: short, lastUsedAt: new Date(0) } })
  await h.db.prisma.refreshToken.update({ where: { tokenHash: hashOpaqueToken(session.refreshToken) }, data: { expiresAt: short } })
  const before = Date.now()
  const res = await post(`/sessions/${session.tokenId}/heartbeat`, session.accessToken)
  t.equal(res.status, 200)
  t.same(Object.keys(res.body), ['success', 'message', 'newExpiry'])
  t.match(res.body, { success: true, message: 'Session heartbeat recorded' })
  const newExpiry = Date.parse(res.body.newExpiry)
  const ttl = h.config.refreshTokenTtlSeconds * 1000
  t.ok(newExpiry >= before + ttl - 1000 && newExpiry <= Date.now() + ttl + 1000, 'one refresh-token lifetime from now')
  const row = await sessionRow(session.tokenId)
  t.equal(row.expiresAt.toISOString(), res.body.newExpiry)
  t.ok(row.lastUsedAt.getTime() >= before - 1000, 'lastActivity is now')
  const token = await h.db.prisma.refreshToken.findUniqueOrThrow({ where: { tokenHash: hashOpaqueToken(session.refreshToken) } })
  t.equal(token.expiresAt.toISOString(), res.body.newExpiry, 'the refresh token does not end before its session')
  const listed = await h.call({ method: 'GET', url: '/sessions', headers: bearer(session.accessToken) })
  t.match(
    listed.body.sessions.find((s: { id: string }) => s.id === session.tokenId),
    { expiresAt: res.body.newExpiry },
  )
})

t.test('POST /sessions/{id}/heartbeat: 404 for an ended, unknown or another user’s session; 401 without a token', async (t) => {
  const { login, post, sessionRow } = await given(t)
  const mine = await login()
  const ended = await login()
  await post(`/sessions/${ended.tokenId}/revoke`, mine.accessToken)
  const theirs = await login('owner@demo.test')
  const theirsBefore = (await sessionRow(theirs.tokenId)).expiresAt
  for (const id of [ended.tokenId, theirs.tokenId, UNKNOWN, 'nope']) {
    const res = await post(`/sessions/${id}/heartbeat`, mine.accessToken)
    t.equal(res.status, 404, id)
    t.same(res.body, NOT_FOUND)
  }
  t.same((await sessionRow(theirs.tokenId)).expiresAt, theirsBefore, "another user's session is not extended")
  t.equal((await sessionRow(ended.tokenId)).revokedReason, 'revoked_by_user', 'an ended session stays ended')
  const none = await post(`/sessions/${mine.tokenId}/heartbeat`)
  t.equal(none.status, 401)
  t.same(none.body, NO_AUTH)
})

t.test('GraphQL revokeOtherSessions and sessionHeartbeat', async (t) => {
  const { h, login, bearer, sessionRow } = await given(t)
  const a = await login('admin@demo.test')
  const b = await login('admin@demo.test')
  const gql = (query: string, variables: Record<string, unknown>, token?: string) =>
    h.call({ method: 'POST', url: '/graphql', payload: { query, variables }, headers: token ? bearer(token) : {} })
  const beat = 'mutation ($id: ID!) { sessionHeartbeat(tokenId: $id) { success message newExpiry } }'
  const ok = await gql(beat, { id: b.tokenId }, a.accessToken)
  t.match(ok.body.data.sessionHeartbeat, { success: true, newExpiry: /^\d{4}-/ })
  const missing = await gql(beat, { id: UNKNOWN }, a.accessToken)
  t.match(missing.body.errors[0], { message: 'Session not found', extensions: { code: 'NOT_FOUND' } })
  const revoked = await gql('mutation { revokeOtherSessions { success message revoked } }', {}, a.accessToken)
  t.ok(revoked.body.data.revokeOtherSessions.revoked >= 1)
  t.equal((await sessionRow(b.tokenId)).revokedReason, 'revoked_by_user')
  t.equal((await sessionRow(a.tokenId)).revokedAt, null)
  const anonymous = await gql('mutation { revokeOtherSessions { revoked } }', {})
  t.equal(anonymous.body.errors[0].extensions.code, 'UNAUTHENTICATED')
  const anonymousBeat = await gql(beat, { id: a.tokenId })
  t.equal(anonymousBeat.body.errors[0].extensions.code, 'UNAUTHENTICATED')
})
