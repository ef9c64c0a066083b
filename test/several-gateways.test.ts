// Two gateways on one database and one Redis, as behind a load balancer (README, "Running several gateways"):
// attempt counters and automatic persisted queries are shared, and a session ended through one gateway is
// refused by the other at once, though each keeps requesters in its cache.
// On PostgreSQL each gateway opens its own connection pool from DATABASE_URL; on PGlite they share the instance.
import { createHash, randomBytes } from 'node:crypto'
import t from 'tap'
import type { FastifyInstance } from 'fastify'
import { buildApp } from '../src/app.js'
import { openDatabase, type Database } from '../src/db/database.js'
import { migrate } from '../src/db/migrate.js'
import { seedDemoData } from '../src/db/seed.js'
import { freshDatabase, scratchDatabaseUrl, testConfig, untilReady, type Teardown } from './helper.js'
import { REDIS_URL, redisAnswers, uniquePrefix } from './auth/limitsScenario.js'

const PASSWORD = 'Demo-Password-1'
const secret = randomBytes(32).toString('hex')

/** Two gateways on one database: on PostgreSQL each with its own pool, as two processes would have. */
async function twoGateways(t: Teardown, env: Record<string, string>): Promise<[FastifyInstance, FastifyInstance]> {
  const base = process.env.DATABASE_URL
  let shared: Database | undefined
  let url: string | undefined
  if (base) {
    url = await scratchDatabaseUrl(t, base)
    const setup = await openDatabase({ databaseUrl: url, dataDir: 'memory://', poolSize: 1 })
    await migrate(setup)
    await seedDemoData(setup)
    await setup.close()
  } else {
    shared = await freshDatabase(t)
  }
  const start = async () => {
    const config = testConfig({ JWT_SECRET: secret, ...env, ...(url && { DATABASE_URL: url, DB_POOL_SIZE: '3' }) })
    const app = await buildApp(config, shared ? { database: shared } : {})
    t.teardown(() => app.close())
    await untilReady(app)
    return app
  }
  return [await start(), await start()]
}

/**
 * Until both gateways cache (their LISTEN connections are up) and, on PostgreSQL, know each other (a gateway's
 * answer to a write waits for the other's acknowledgement): bounded by a count, not a clock.
 */
async function untilCaching(apps: FastifyInstance[], tries = 1000): Promise<void> {
  const ready = () =>
    apps.every((app) => app.requesterChanges?.live && (app.db.kind === 'pglite' || app.requesterChanges.peers >= apps.length - 1))
  for (let i = 0; i < tries && !ready(); i++) await new Promise((resolve) => setTimeout(resolve, 10))
  if (!ready()) throw new Error('the requester caches did not come on')
}

const login = (app: FastifyInstance, email: string, password: string) =>
  app.inject({ method: 'POST', url: '/user/login', payload: { email, password } })

t.test('login attempts are counted across gateways (Redis)', async (t) => {
  if (!(await redisAnswers(t))) return
  const limit = { RATE_LIMIT_LOGIN_PER_ACCOUNT: '4', RATE_LIMIT_LOGIN_PER_ADDRESS: '100' }
  const [a, b] = await twoGateways(t, {
    ...limit,
    REDIS_URL,
    RATE_LIMIT_KEY_PREFIX: uniquePrefix(t),
    // Counting is what is tested; the command timeout has its own test (test/faults/redis.test.ts).
    REDIS_COMMAND_TIMEOUT_MS: '2000',
  })
  const statuses: number[] = []
  for (const app of [a, b, a, b]) statuses.push((await login(app, 'user@demo.test', 'wrong-password')).statusCode)
  t.same(statuses, [401, 401, 401, 401], 'four wrong passwords, two on each gateway')
  for (const [name, app] of [
    ['A', a],
    ['B', b],
  ] as const) {
    const blocked = await login(app, 'user@demo.test', PASSWORD)
    t.equal(blocked.statusCode, 429, `gateway ${name} refuses the fifth attempt, though it saw only two`)
    t.equal(blocked.json().error_code, 'TOO_MANY_ATTEMPTS')
  }
  t.equal((await login(b, 'billing@demo.test', PASSWORD)).statusCode, 200, 'another account is not limited')

  // Without Redis each gateway counts alone: the same four attempts leave both under the limit.
  const [c, d] = await twoGateways(t, limit)
  for (const app of [c, d, c, d]) await login(app, 'user@demo.test', 'wrong-password')
  t.equal((await login(c, 'user@demo.test', PASSWORD)).statusCode, 200, 'in memory, gateway C saw only two')
})

t.test('a session ended on one gateway is refused by the other at the next request', async (t) => {
  if (!(await redisAnswers(t))) return
  const [a, b] = await twoGateways(t, { REDIS_URL, RATE_LIMIT_KEY_PREFIX: uniquePrefix(t), REDIS_COMMAND_TIMEOUT_MS: '2000' })
  const profile = (app: FastifyInstance, token: string) =>
    app.inject({ method: 'GET', url: '/user/profile', headers: { authorization: `Bearer ${token}` } })

  t.test('logout on A', async (t) => {
    const session = (await login(a, 'owner@demo.test', PASSWORD)).json()
    await untilCaching([a, b])
    t.equal((await profile(b, session.accessToken)).statusCode, 200, "B accepts A's token")
    const hits = b.requesterCache!.hits
    t.equal((await profile(b, session.accessToken)).statusCode, 200)
    t.ok(b.requesterCache!.hits > hits, 'from its cache')
    const logout = await a.inject({ method: 'POST', url: '/user/logout', payload: { refreshToken: session.refreshToken } })
    t.equal(logout.statusCode, 200)
    const refused = await profile(b, session.accessToken)
    t.equal(refused.statusCode, 401, 'B refuses the access token of the ended session')
    t.equal(refused.headers['www-authenticate'], 'Bearer error="invalid_token"')
    const refresh = await b.inject({ method: 'POST', url: '/user/refresh', payload: { refreshToken: session.refreshToken } })
    t.equal(refresh.statusCode, 401, 'and its refresh token')
  })

  t.test('demoted on A: B, which had the requester cached, refuses at the next request', async (t) => {
    const owner = (await login(a, 'owner@demo.test', PASSWORD)).json()
    const admin = (await login(b, 'admin@demo.test', PASSWORD)).json()
    const adminId = admin.user.id
    const orgId = admin.user.orgId
    const update = (city: string) =>
      b.inject({
        method: 'PUT',
        url: `/organization/${orgId}`,
        headers: { authorization: `Bearer ${admin.accessToken}` },
        payload: { city },
      })
    await untilCaching([a, b])
    t.equal((await update('Before')).statusCode, 200, 'an ADMINISTRATORS member may change the organization')
    const hits = b.requesterCache!.hits
    t.equal((await profile(b, admin.accessToken)).json().data.orgRole, 254)
    t.ok(b.requesterCache!.hits > hits, 'B answered from its cache, without a query')
    const demote = await a.inject({
      method: 'PUT',
      url: `/user/${adminId}/role`,
      headers: { authorization: `Bearer ${owner.accessToken}` },
      payload: { orgRole: 0 },
    })
    t.equal(demote.statusCode, 200, demote.body)
    t.equal((await update('After')).statusCode, 403, 'B refuses the demoted user at the very next request')
    t.equal((await profile(b, admin.accessToken)).json().data.orgRole, 0, 'and shows the new role')
  })

  t.test('revoked by id on B', async (t) => {
    const first = (await login(a, 'admin@demo.test', PASSWORD)).json()
    const second = (await login(b, 'admin@demo.test', PASSWORD)).json()
    t.equal((await profile(a, first.accessToken)).statusCode, 200)
    const revoke = await b.inject({
      method: 'DELETE',
      url: `/token/${first.tokenId}`,
      headers: { authorization: `Bearer ${second.accessToken}` },
    })
    t.equal(revoke.statusCode, 200, revoke.body)
    t.equal((await profile(a, first.accessToken)).statusCode, 401, 'A refuses the session B revoked')
    t.equal((await profile(a, second.accessToken)).statusCode, 200, 'the other session goes on, on both')
    t.equal((await profile(b, second.accessToken)).statusCode, 200)
  })
})

t.test('an automatic persisted query registered on one gateway runs on the other (Redis)', async (t) => {
  if (!(await redisAnswers(t))) return
  const redis = {
    REDIS_URL,
    RATE_LIMIT_KEY_PREFIX: uniquePrefix(t),
    GRAPHQL_APQ_KEY_PREFIX: uniquePrefix(t),
    REDIS_COMMAND_TIMEOUT_MS: '2000',
  }
  const [a, b] = await twoGateways(t, redis)
  const token = (await login(a, 'owner@demo.test', PASSWORD)).json().accessToken
  const query = `query Shared${randomBytes(4).toString('hex')} { me { email } }`
  const hash = createHash('sha256').update(query).digest('hex')
  const persisted = (app: FastifyInstance, withText: boolean) =>
    app.inject({
      method: 'POST',
      url: '/graphql',
      headers: { authorization: `Bearer ${token}` },
      payload: { ...(withText && { query }), extensions: { persistedQuery: { version: 1, sha256Hash: hash } } },
    })
  t.equal((await persisted(b, false)).json().errors[0].message, 'PersistedQueryNotFound', 'unknown at first')
  t.same((await persisted(a, true)).json(), { data: { me: { email: 'owner@demo.test' } } }, 'registered on A')
  t.same((await persisted(b, false)).json(), { data: { me: { email: 'owner@demo.test' } } }, 'B runs it by its hash alone')

  // Without Redis each gateway keeps its own: what A registered, B does not know.
  const [c, d] = await twoGateways(t, {})
  const other = (await login(c, 'owner@demo.test', PASSWORD)).json().accessToken
  const ask = (app: FastifyInstance, withText: boolean) =>
    app.inject({
      method: 'POST',
      url: '/graphql',
      headers: { authorization: `Bearer ${other}` },
      payload: { ...(withText && { query }), extensions: { persistedQuery: { version: 1, sha256Hash: hash } } },
    })
  t.same((await ask(c, true)).json(), { data: { me: { email: 'owner@demo.test' } } }, 'registered on C')
  t.equal((await ask(d, false)).json().errors[0].message, 'PersistedQueryNotFound', 'in memory, D never saw it')
})
