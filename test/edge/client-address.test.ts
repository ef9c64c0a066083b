// TRUST_PROXY: whose X-Forwarded-For is believed for request.ip, the per-address limits and a session's address.
import t from 'tap'
import { buildApp } from '../../src/app.js'
import { ConfigError, loadConfig } from '../../src/config.js'
import { freshDatabase, testConfig, type Teardown } from '../helper.js'

const PASSWORD = 'Demo-Password-1'
const db = await freshDatabase(t)

/** An app on the shared database whose login limit per address is 2 attempts. */
async function gateway(t: Teardown & { equal: (a: unknown, b: unknown) => void }, trustProxy?: string) {
  const env: Record<string, string> = { RATE_LIMIT_LOGIN_PER_ADDRESS: '2' }
  if (trustProxy !== undefined) env.TRUST_PROXY = trustProxy
  const app = await buildApp(testConfig(env), { database: db })
  t.teardown(() => app.close())
  const login = (email: string, password: string, remoteAddress: string, xff?: string) =>
    app.inject({
      method: 'POST',
      url: '/user/login',
      payload: { email, password },
      remoteAddress,
      headers: xff === undefined ? {} : { 'x-forwarded-for': xff },
    })
  /** The address the session of a successful login recorded. */
  const recordedAddress = async (remoteAddress: string, xff?: string) => {
    const res = await login('user@demo.test', PASSWORD, remoteAddress, xff)
    t.equal(res.statusCode, 200)
    const session = await db.prisma.session.findUniqueOrThrow({ where: { id: res.json().tokenId } })
    return session.ipAddress
  }
  /** Statuses of failed logins, each with a different forged X-Forwarded-For. */
  const forgedAttempts = async (remoteAddress: string, xffOf: (i: number) => string) => {
    const statuses: number[] = []
    for (let i = 0; i < 3; i++) statuses.push((await login(`nobody-${i}@demo.test`, 'wrong', remoteAddress, xffOf(i))).statusCode)
    return statuses
  }
  return { app, login, recordedAddress, forgedAttempts }
}

t.test('TRUST_PROXY is a hop count or the proxies’ addresses; true is refused with what to set instead', async (t) => {
  const read = (value: string) =>
    loadConfig({ NODE_ENV: 'test', JWT_SECRET: 'x'.repeat(48), DATA_DIR: testConfig().dataDir, TRUST_PROXY: value })
  t.equal(read('false').trustProxy, false)
  t.equal(read('0').trustProxy, false)
  t.equal(read('1').trustProxy, 1, '1 is one proxy, no longer "true"')
  t.same(read('10.0.0.0/8, 192.0.2.7,loopback,fd00::/8').trustProxy, ['10.0.0.0/8', '192.0.2.7', 'loopback', 'fd00::/8'])
  for (const bad of ['true', 'yes', 'ON']) {
    t.throws(() => read(bad), ConfigError)
    try {
      read(bad)
    } catch (err) {
      t.match((err as ConfigError).problems.join('\n'), /TRUST_PROXY=true would take every client's own X-Forwarded-For.*TRUST_PROXY=1/)
    }
  }
  for (const bad of ['11', '10.0.0.0/33', 'proxy.example', '10.0.0.1/8/1', '::1/129', '10.0.0.1,']) {
    t.throws(() => read(bad), /TRUST_PROXY must be/, `"${bad}" is refused`)
  }
})

t.test('no TRUST_PROXY: X-Forwarded-For is ignored for the address, the limit and the session', async (t) => {
  const g = await gateway(t)
  t.equal(await g.recordedAddress('203.0.113.1', '198.51.100.99'), '203.0.113.1')
  t.same(await g.forgedAttempts('203.0.113.2', (i) => `198.51.100.${i}`), [401, 401, 429], 'the third attempt is limited')
})

t.test('proxies by address: a peer outside the list cannot forge its address', async (t) => {
  const g = await gateway(t, '10.0.0.0/8')
  t.equal(await g.recordedAddress('203.0.113.3', '198.51.100.99'), '203.0.113.3', 'an untrusted peer is its own address')
  t.same(await g.forgedAttempts('203.0.113.4', (i) => `198.51.100.${i}`), [401, 401, 429], 'forged headers do not reset the limit')
  // Through the proxy: the client forged the left entry; the proxy appended the address it saw.
  t.equal(await g.recordedAddress('10.1.2.3', '6.6.6.6, 198.51.100.7'), '198.51.100.7')
  t.equal(await g.recordedAddress('10.1.2.3', '6.6.6.6, 10.9.9.9, 198.51.100.8'), '198.51.100.8', 'the first untrusted hop from the right')
  t.same(
    await g.forgedAttempts('10.1.2.3', (i) => `6.6.6.${i}, 198.51.100.50`),
    [401, 401, 429],
    'behind the proxy the limit counts the real client, whatever it prepends',
  )
  t.equal((await g.login('nobody@demo.test', 'wrong', '10.1.2.3', '198.51.100.51')).statusCode, 401, 'another client is not limited')
})

t.test('a hop count: the entry the last proxy appended, never the client’s own entries', async (t) => {
  const g = await gateway(t, '1')
  t.equal(await g.recordedAddress('10.1.2.3', '6.6.6.6, 198.51.100.7'), '198.51.100.7')
  t.equal(await g.recordedAddress('10.1.2.3'), '10.1.2.3', 'no header: the peer itself')
  t.same(await g.forgedAttempts('10.1.2.3', (i) => `6.6.6.${i}, 198.51.100.60`), [401, 401, 429])
  const two = await gateway(t, '2')
  t.equal(
    await two.recordedAddress('10.1.2.3', '6.6.6.6, 198.51.100.7, 10.0.0.2'),
    '198.51.100.7',
    'two proxies: two entries from the right',
  )
})
