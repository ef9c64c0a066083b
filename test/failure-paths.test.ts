// Failure paths a fuzzer and a stopping server found: each answered with its documented status and envelope.
import t from 'tap'
import net from 'node:net'
import type { AddressInfo } from 'node:net'
import { buildTestApp } from './helper.js'
import { RESET_ANSWER_MS } from '../src/graphql/accountMail.js'

t.test('an MFA-pending token whose subject is not a UUID is an invalid token everywhere, never a 500', async (t) => {
  const h = await buildTestApp(t)
  // Only the key's holder can sign one; the gateway must still not hand its subject to a query as an id.
  const { accessToken } = h.app.mfaPendingTokens.issue('not-a-uuid')
  const auth = { authorization: `Bearer ${accessToken}` }
  for (const [method, url, payload] of [
    ['GET', '/mfa/status', undefined],
    ['GET', '/mfa/methods', undefined],
    ['POST', '/mfa/verify-login', { mfaType: 'GOOGLE_AUTH', code: '123456' }],
    ['POST', '/mfa/passkey/auth-options', undefined],
    ['POST', '/mfa/magic-link/send', undefined],
    ['POST', '/mfa/magic-link/activate', { token: 'x' }],
  ] as const) {
    const res = await h.call({ method, url, headers: auth, ...(payload && { payload }) })
    t.equal(res.status, 401, `${method} ${url}`)
    t.equal(res.body.success, false)
    t.equal(res.body.error_code, 'NO_AUTH_USER')
  }
  const gql = await h.call({ method: 'POST', url: '/graphql', headers: auth, payload: { query: '{ mfaStatus { isEnabled } }' } })
  t.equal(gql.status, 401, 'over GraphQL too')
  t.notMatch(JSON.stringify(gql.body), /INTERNAL_SERVER_ERROR/)
})

t.test('/ready during the drain: 503 in its own shape, as the README says', async (t) => {
  const h = await buildTestApp(t)
  t.equal((await h.call({ method: 'GET', url: '/ready' })).status, 200)
  h.app.drain.start()
  const ready = await h.call({ method: 'GET', url: '/ready' })
  t.equal(ready.status, 503)
  t.same(ready.body, { status: 'shutting down', reason: 'the server is shutting down' })
  t.equal(ready.headers.connection, 'close')
  const other = await h.call({ method: 'GET', url: '/user/profile' })
  t.equal(other.status, 503)
  t.same(other.body, { success: false, message: 'Service unavailable: the server is shutting down' })
})

t.test('the limited MFA token over /graphql: the MFA fields answer, anything else is 401 as docs/mfa.md says', async (t) => {
  const h = await buildTestApp(t)
  const { accessToken } = h.app.mfaPendingTokens.issue(await h.userId('user@demo.test'))
  const auth = { authorization: `Bearer ${accessToken}` }
  const me = await h.call({ method: 'POST', url: '/graphql', headers: auth, payload: { query: '{ me { id } }' } })
  t.equal(me.status, 401, JSON.stringify(me.body))
  t.equal(me.body.errors?.[0]?.extensions?.code, 'UNAUTHENTICATED')
  const status = await h.call({ method: 'POST', url: '/graphql', headers: auth, payload: { query: '{ mfaStatus { sessionVerified } }' } })
  t.equal(status.status, 200)
  t.same(status.body, { data: { mfaStatus: { sessionVerified: false } } })
})

/** Sends raw bytes, answers what came back until the server closed the connection. */
function raw(port: number, text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => socket.end(text))
    let answer = ''
    socket.setEncoding('utf8')
    socket.on('data', (chunk) => (answer += chunk))
    socket.on('close', () => resolve(answer))
    socket.on('error', reject)
  })
}

t.test('what Node refuses before any route (Expect, a missing Host) comes in the JSON envelope, not an empty body', async (t) => {
  const h = await buildTestApp(t)
  await h.app.listen({ port: 0, host: '127.0.0.1' })
  const port = (h.app.server.address() as AddressInfo).port
  const expect = await raw(port, 'GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nExpect: garbage\r\n\r\n')
  t.match(expect, /^HTTP\/1\.1 417 /)
  t.match(expect, /content-type: application\/json/i)
  t.match(expect, /\r\n\r\n\{"success":false,"message":"Expectation failed: only \\"Expect: 100-continue\\" is supported"\}$/)
  const noHost = await raw(port, 'GET /health HTTP/1.1\r\n\r\n')
  t.match(noHost, /^HTTP\/1\.1 400 /)
  t.match(noHost, /\r\n\r\n\{"success":false,"message":"Missing Host header"\}$/)
  const fine = await raw(port, 'GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n')
  t.match(fine, /^HTTP\/1\.1 200 /, 'a request with Host is served as before')
  const http10 = await raw(port, 'GET /health HTTP/1.0\r\n\r\n')
  t.match(http10, /^HTTP\/1\.1 200 /, 'HTTP/1.0 needs no Host')
})

t.test(
  'a password-reset request is answered no sooner than RESET_ANSWER_MS, account or not (bench/reset-timing.ts measures it)',
  async (t) => {
    const h = await buildTestApp(t)
    for (const email of ['user@demo.test', 'nobody@nowhere.test']) {
      const started = performance.now()
      const res = await h.call({ method: 'POST', url: '/user/request-reset-password', payload: { email } })
      const took = performance.now() - started
      t.equal(res.status, 200, email)
      t.ok(took >= RESET_ANSWER_MS - 1, `${email}: answered after ${took.toFixed(1)} ms`)
    }
  },
)
