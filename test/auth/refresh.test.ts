// POST /user/refresh and the refresh mutation: rotation, reuse detection, concurrent refreshes.
import t from 'tap'
import { buildTestApp } from '../helper.js'
import { hashOpaqueToken } from '../../src/crypto/opaqueTokens.js'

const PASSWORD = 'Demo-Password-1'
const h = await buildTestApp(t)
const login = async (email = 'user@demo.test') =>
  (await h.call({ method: 'POST', url: '/user/login', payload: { email, password: PASSWORD } })).body
const refresh = (payload: object) => h.call({ method: 'POST', url: '/user/refresh', payload })
const profile = (accessToken: string) =>
  h.call({ method: 'GET', url: '/user/profile', headers: { authorization: `Bearer ${accessToken}` } })
const INVALID = { success: false, error_code: 'INVALID_REFRESH_TOKEN', message: 'Invalid or expired refresh token' }
const REUSED = { success: false, error_code: 'REFRESH_TOKEN_REUSED', message: 'Refresh token reuse detected; the session has been revoked' }

t.test('200 rotates: a new refresh token, the old one spent, the session unchanged', async (t) => {
  const first = await login()
  // Both spellings of the body key are accepted.
  const a = await refresh({ refresh_token: first.refreshToken })
  t.equal(a.status, 200)
  t.same(Object.keys(a.body).sort(), ['accessToken', 'expiresAt', 'refreshToken', 'success', 'token'])
  t.equal(a.body.success, true)
  t.equal(a.body.token, a.body.accessToken, 'token (the public client reads it) is the access token')
  t.not(a.body.refreshToken, first.refreshToken)
  const claims = JSON.parse(Buffer.from(a.body.accessToken.split('.')[1], 'base64url').toString('utf8'))
  t.equal(claims.sid, first.tokenId, 'same session')
  t.equal(claims.exp, a.body.expiresAt)
  t.equal((await profile(a.body.accessToken)).status, 200)
  const b = await refresh({ refreshToken: a.body.refreshToken })
  t.equal(b.status, 200)
  const spent = await h.db.prisma.refreshToken.findUniqueOrThrow({ where: { tokenHash: hashOpaqueToken(first.refreshToken) } })
  t.ok(spent.spentAt, 'the presented token is spent')
  t.equal(await h.db.prisma.refreshToken.count({ where: { sessionId: first.tokenId } }), 3, 'one family')
})

t.test('reuse of a spent token revokes the whole session, tokens issued after it included', async (t) => {
  const first = await login()
  const rotated = await refresh({ refreshToken: first.refreshToken })
  t.equal(rotated.status, 200)
  const reuse = await refresh({ refreshToken: first.refreshToken })
  t.equal(reuse.status, 401)
  t.same(reuse.body, REUSED)
  const session = await h.db.prisma.session.findUniqueOrThrow({ where: { id: first.tokenId } })
  t.ok(session.revokedAt)
  t.equal(session.revokedReason, 'refresh_token_reused')
  t.same((await refresh({ refreshToken: rotated.body.refreshToken })).body, INVALID, "the rotation's new token no longer works")
  t.equal((await profile(rotated.body.accessToken)).status, 401, 'nor does its access token')
  t.equal((await profile(first.accessToken)).status, 401, 'nor the first access token')
  t.same((await refresh({ refreshToken: first.refreshToken })).body, REUSED, 'the spent token stays reused')
})

t.test('concurrent refreshes of one token: exactly one 200, the others are reuse', async (t) => {
  for (const n of [2, 5]) {
    const { refreshToken, tokenId } = await login()
    const results = await Promise.all(Array.from({ length: n }, () => refresh({ refreshToken })))
    const statuses = results.map((r) => r.status).sort()
    t.same(statuses, [200, ...Array(n - 1).fill(401)], `${n} at once`)
    for (const r of results.filter((r) => r.status === 401)) t.same(r.body, REUSED)
    t.equal(await h.db.prisma.refreshToken.count({ where: { sessionId: tokenId } }), 2, 'one successor issued')
    t.ok((await h.db.prisma.session.findUniqueOrThrow({ where: { id: tokenId } })).revokedAt, 'the session is revoked as reused')
  }
})

t.test('401 INVALID_REFRESH_TOKEN: unknown, expired, revoked session, deactivated user', async (t) => {
  t.same((await refresh({ refreshToken: 'not-a-token' })).body, INVALID)
  t.equal((await refresh({ refreshToken: 'x'.repeat(600) })).status, 401)
  const expired = await login()
  await h.db.prisma.refreshToken.update({
    where: { tokenHash: hashOpaqueToken(expired.refreshToken) },
    data: { expiresAt: new Date(Date.now() - 1000) },
  })
  const res = await refresh({ refreshToken: expired.refreshToken })
  t.equal(res.status, 401)
  t.same(res.body, INVALID)
  t.equal(res.headers['content-type'], 'application/json; charset=utf-8')
  const revoked = await login()
  await h.db.prisma.session.update({ where: { id: revoked.tokenId }, data: { revokedAt: new Date(), revokedReason: 'test' } })
  t.same((await refresh({ refreshToken: revoked.refreshToken })).body, INVALID)
  const deactivated = await login('workspaces@demo.test')
  await h.db.prisma.user.update({ where: { email: 'workspaces@demo.test' }, data: { deletedAt: new Date() } })
  t.same((await refresh({ refreshToken: deactivated.refreshToken })).body, INVALID)
  t.notOk(
    (await h.db.prisma.refreshToken.findUniqueOrThrow({ where: { tokenHash: hashOpaqueToken(deactivated.refreshToken) } })).spentAt,
    'a refused token is not spent',
  )
})

t.test('400 INVALID_REQUEST without a refresh token', async (t) => {
  for (const payload of [{}, { refreshToken: 5 }, { token: 'x' }]) {
    const res = await refresh(payload)
    t.equal(res.status, 400, JSON.stringify(payload))
    t.equal(res.body.error_code, 'INVALID_REQUEST')
  }
})

t.test('GraphQL refresh', async (t) => {
  const { refreshToken } = await login()
  const query = 'mutation ($t: String!) { refresh(refreshToken: $t) { accessToken refreshToken expiresAt } }'
  const ok = await h.graphql(query, { t: refreshToken })
  t.type(ok.body.data.refresh.refreshToken, 'string')
  const again = await h.graphql(query, { t: refreshToken })
  t.match(again.body.errors[0].extensions, { code: 'UNAUTHENTICATED', errorCode: 'REFRESH_TOKEN_REUSED' })
})
