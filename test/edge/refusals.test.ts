// What Fastify and Node refuse before a route runs still answers in the contract's JSON envelope, and never
// echoes the request: bad percent-encoding, over-long ids, oversized headers, malformed HTTP; forged token ids.
import { connect } from 'node:net'
import t from 'tap'
import { createSigner } from 'fast-jwt'
import { buildTestApp } from '../helper.js'
import { repairPercentEncoding } from '../../src/edge/refusals.js'

const h = await buildTestApp(t)
const OWNER = 'owner@demo.test'
const USER_NOT_FOUND = { success: false, message: 'User not found' }

t.test('repairPercentEncoding escapes only segments that do not decode, and leaves the query alone', async (t) => {
  t.equal(repairPercentEncoding('/user/profile'), '/user/profile')
  t.equal(repairPercentEncoding('/user/%ZZ'), '/user/%25ZZ')
  t.equal(repairPercentEncoding('/user/%ED%A0%80/role?x=%ZZ'), '/user/%25ED%25A0%2580/role?x=%ZZ')
  t.equal(repairPercentEncoding('/user/a%20b'), '/user/a%20b', 'good encoding is kept')
})

t.test('bad percent-encoding in a path id answers as an unknown id, in the route envelope', async (t) => {
  for (const id of ['%ZZ', '%', '%ED%A0%80', '%FF', 'abc%E2%82']) {
    let res = await h.call({ method: 'GET', url: `/user/${id}`, as: OWNER })
    t.equal(res.status, 404, `GET /user/${id}`)
    t.same(res.body, USER_NOT_FOUND)
    res = await h.call({ method: 'GET', url: `/organization/users/${id}`, as: OWNER })
    t.same([res.status, res.body], [404, USER_NOT_FOUND], `GET /organization/users/${id}`)
    res = await h.call({ method: 'PUT', url: `/organization/users/${id}`, as: OWNER, payload: { name: 'X' } })
    t.same([res.status, res.body], [404, { ...USER_NOT_FOUND, data: {} }], `PUT /organization/users/${id}`)
    res = await h.call({ method: 'DELETE', url: `/token/${id}`, as: OWNER })
    t.same([res.status, res.body], [404, { success: false, message: 'Token not found' }], `DELETE /token/${id}`)
  }
  const res = await h.call({ method: 'GET', url: '/%ZZ/profile' })
  t.same([res.status, res.body], [404, { success: false, message: 'Route not found' }])
})

t.test('an over-long id is an unknown id: 404 in the envelope, not echoed', async (t) => {
  const id = 'a'.repeat(5000)
  for (const url of [`/user/${id}`, `/organization/users/${id}`]) {
    const res = await h.call({ method: 'GET', url, as: OWNER })
    t.same([res.status, res.body], [404, USER_NOT_FOUND], url.slice(0, 30))
    t.notMatch(JSON.stringify(res.headers), 'aaaaaaaa')
  }
})

/** One raw HTTP exchange over loopback: the whole answer as text. */
function raw(port: number, request: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.end(request))
    let text = ''
    socket.setEncoding('utf8')
    socket.on('data', (chunk) => (text += chunk))
    socket.on('end', () => resolve(text))
    socket.on('close', () => resolve(text))
    socket.on('error', reject)
  })
}

function parse(response: string) {
  const [head, body = ''] = response.split('\r\n\r\n')
  return { status: Number(head!.split(' ')[1]), head: head!.toLowerCase(), body: body ? JSON.parse(body) : undefined }
}

t.test('over loopback: 431, malformed requests and long URLs answer JSON envelopes', async (t) => {
  await h.app.listen({ port: 0, host: '127.0.0.1' })
  const port = (h.app.server.address() as { port: number }).port

  let res = parse(await raw(port, `GET /user/profile HTTP/1.1\r\nHost: x\r\nX-Big: ${'b'.repeat(20_000)}\r\n\r\n`))
  t.equal(res.status, 431)
  t.match(res.head, 'content-type: application/json; charset=utf-8')
  t.same(res.body, { success: false, message: 'Request header fields too large' })

  res = parse(await raw(port, `GET /user/${'a'.repeat(20_000)} HTTP/1.1\r\nHost: x\r\n\r\n`))
  t.equal(res.status, 431, 'a URL beyond the header limit')
  t.same(res.body, { success: false, message: 'Request header fields too large' })

  for (const garbage of [
    'NOT HTTP AT ALL\r\n\r\n',
    'GET / HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n',
    'GET / HTTP/1.1\r\nBad Header\r\n\r\n',
  ]) {
    res = parse(await raw(port, garbage))
    t.equal(res.status, 400, JSON.stringify(garbage))
    t.same(res.body, { success: false, message: 'Malformed HTTP request' })
    t.match(res.head, 'x-content-type-options: nosniff')
  }

  const token = await h.tokenFor(OWNER)
  res = parse(
    await raw(port, `GET /user/${'a'.repeat(10_000)} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${token}\r\nConnection: close\r\n\r\n`),
  )
  t.same([res.status, res.body], [404, USER_NOT_FOUND], 'a 10 KB id within the limits is an unknown id')
})

t.test('a token whose sub or sid is not a UUID is 401, not 500', async (t) => {
  const { jwt } = h.config
  const sign = createSigner({ key: jwt.secret, algorithm: 'HS256', iss: jwt.issuer, aud: jwt.audience, expiresIn: 60_000 })
  const userId = await h.userId(OWNER)
  for (const claims of [
    { sub: 'not-a-uuid', sid: userId },
    { sub: userId, sid: 'x' },
    { sub: `${userId}\u0000`, sid: userId },
  ]) {
    const authorization = `Bearer ${sign(claims)}`
    const rest = await h.call({ method: 'GET', url: '/user/profile', headers: { authorization } })
    t.equal(rest.status, 401, JSON.stringify(claims))
    t.same(rest.body, { success: false, error_code: 'NO_AUTH_USER', message: 'Authentication required' })
    t.equal(rest.headers['www-authenticate'], 'Bearer error="invalid_token"')
    const gql = await h.call({ method: 'POST', url: '/graphql', headers: { authorization }, payload: { query: '{ me { id } }' } })
    t.equal(gql.status, 401)
    t.equal(gql.body.errors[0].extensions.code, 'UNAUTHENTICATED')
  }
})
