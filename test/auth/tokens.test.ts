// Every way an access token can be wrong gets the same 401, over REST and GraphQL.
import t from 'tap'
import { createSigner } from 'fast-jwt'
import { buildTestApp } from '../helper.js'

t.test('access tokens', async (t) => {
  const h = await buildTestApp(t)
  const { jwt } = h.config
  const userId = await h.userId('owner@demo.test')
  const good = await h.tokenFor('owner@demo.test')
  const sid = JSON.parse(Buffer.from(good.split('.')[1]!, 'base64url').toString()).sid as string
  const now = Math.floor(Date.now() / 1000)
  const sign = (payload: Record<string, unknown>, opts: { key?: string; algorithm?: string; noTimestamp?: boolean } = {}) =>
    createSigner({ key: opts.key ?? jwt.secret, algorithm: (opts.algorithm ?? 'HS256') as 'HS256', noTimestamp: opts.noTimestamp })(payload)
  const claims = { sub: userId, sid, iss: jwt.issuer, aud: jwt.audience, iat: now, exp: now + 600 }
  const without = (name: string) => Object.fromEntries(Object.entries(claims).filter(([k]) => k !== name))
  const [head, body] = good.split('.')

  t.test('a good token works', async (t) => {
    const res = await h.call({ method: 'GET', url: '/user/profile', headers: { authorization: `Bearer ${good}` } })
    t.equal(res.status, 200)
    const own = await h.call({ method: 'GET', url: '/user/profile', headers: { authorization: `Bearer ${sign(claims)}` } })
    t.equal(own.status, 200, `our own claims, signed by us: ${JSON.stringify(own.body)}`)
  })

  const bad: Record<string, string> = {
    'a non-Bearer scheme': `Basic ${Buffer.from('a:b').toString('base64')}`,
    'an empty Bearer': 'Bearer ',
    garbage: 'Bearer not.a.jwt',
    'an expired token': `Bearer ${sign({ ...claims, iat: now - 7200, exp: now - 3600 })}`,
    'a tampered payload': `Bearer ${head}.${Buffer.from(JSON.stringify({ ...claims, sub: '00000000-0000-4000-8000-000000000000' })).toString('base64url')}.${good.split('.')[2]}`,
    'a tampered signature': `Bearer ${head}.${body}.${'A'.repeat(43)}`,
    'another algorithm (HS512)': `Bearer ${sign(claims, { algorithm: 'HS512' })}`,
    'alg none': `Bearer ${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.`,
    'another key': `Bearer ${sign(claims, { key: 'k'.repeat(40) })}`,
    'another audience': `Bearer ${sign({ ...claims, aud: 'someone-else' })}`,
    'another issuer': `Bearer ${sign({ ...claims, iss: 'someone-else' })}`,
    'no sub': `Bearer ${sign(without('sub'))}`,
    'no exp': `Bearer ${sign(without('exp'))}`,
    'no iat': `Bearer ${sign(without('iat'), { noTimestamp: true })}`,
    'no session': `Bearer ${sign(without('sid'))}`,
  }

  t.test('REST: 401 NO_AUTH_USER with an invalid_token challenge', async (t) => {
    for (const [what, authorization] of Object.entries(bad)) {
      for (const url of ['/user/profile', `/user/${userId}`, `/organization/users/${userId}`]) {
        const res = await h.call({ method: 'GET', url, headers: { authorization } })
        t.equal(res.status, 401, `${what} on ${url}`)
        t.same(res.body, { success: false, error_code: 'NO_AUTH_USER', message: 'Authentication required' })
        t.equal(res.headers['www-authenticate'], 'Bearer error="invalid_token"')
      }
    }
  })

  t.test('GraphQL: 401 UNAUTHENTICATED before any execution', async (t) => {
    for (const [what, authorization] of Object.entries(bad)) {
      const res = await h.call({ method: 'POST', url: '/graphql', headers: { authorization }, payload: { query: '{ me { id } }' } })
      t.equal(res.status, 401, what)
      t.equal(res.body.errors[0].extensions.code, 'UNAUTHENTICATED')
      t.equal(res.headers['www-authenticate'], 'Bearer error="invalid_token"')
    }
  })

  t.test('a revoked or ended session revokes its access tokens at once', async (t) => {
    const token = sign(claims)
    await h.db.prisma.session.update({ where: { id: sid }, data: { revokedAt: new Date() } })
    let res = await h.call({ method: 'GET', url: '/user/profile', headers: { authorization: `Bearer ${token}` } })
    t.equal(res.status, 401)
    t.equal(res.headers['www-authenticate'], 'Bearer error="invalid_token"')
    await h.db.prisma.session.update({ where: { id: sid }, data: { revokedAt: null, expiresAt: new Date(Date.now() - 1000) } })
    res = await h.call({ method: 'GET', url: '/user/profile', headers: { authorization: `Bearer ${token}` } })
    t.equal(res.status, 401)
    const forged = sign({ ...claims, sid: '00000000-0000-4000-8000-000000000000' })
    res = await h.call({ method: 'GET', url: '/user/profile', headers: { authorization: `Bearer ${forged}` } })
    t.equal(res.status, 401, 'a session that does not exist')
  })

  t.test('public routes ignore a bad token', async (t) => {
    const res = await h.call({ method: 'GET', url: '/health', headers: { authorization: 'Bearer nonsense' } })
    t.equal(res.status, 200)
  })
})
