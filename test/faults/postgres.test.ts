// PostgreSQL failing under the gateway: frozen, slow, stopped, not migrated. Requests fail in bounded time with the
// documented 500 envelope, /ready answers 503 within a second, failures are logged once per interval, reconnects back off.
import t, { type Test as TapTest } from 'tap'
import { Writable } from 'node:stream'
import pg from 'pg'
import { buildApp } from '../../src/app.js'
import { openDatabase, type Database } from '../../src/db/database.js'
import { migrate, readMigrations } from '../../src/db/migrate.js'
import { seedDemoData } from '../../src/db/seed.js'
import { startSession } from '../../src/db/repositories/sessions.js'
import { FailureLog } from '../../src/failureLog.js'
import { internalCategory, isDependencyFailure } from '../../src/graphql/errors.js'
import { freshDatabase, scratchDatabaseUrl, testConfig } from '../helper.js'
import { startTcpProxy } from './tcpProxy.js'

const INTERNAL = { success: false, message: 'Internal server error' }

function logSink() {
  const lines: Record<string, any>[] = []
  const stream = new Writable({
    write(chunk, _enc, done) {
      for (const line of String(chunk).split('\n')) if (line.trim()) lines.push(JSON.parse(line))
      done()
    },
  })
  return { lines, stream }
}

const elapsed = async <T>(fn: () => Promise<T>): Promise<[T, number]> => {
  const start = performance.now()
  const result = await fn()
  return [result, performance.now() - start]
}

async function eventually(
  t: { pass(m: string): void; fail(m: string): void },
  what: string,
  check: () => Promise<boolean>,
  withinMs: number,
) {
  const start = performance.now()
  while (performance.now() - start < withinMs) {
    if (await check()) return t.pass(`${what} within ${Math.round(performance.now() - start)} ms`)
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  t.fail(`${what} within ${withinMs} ms`)
}

t.test('one log line per failure class per interval, with the count', async (t) => {
  const { lines, stream } = logSink()
  const { default: pino } = await import('pino')
  const log = new FailureLog(pino({}, stream) as never, 100)
  for (let i = 0; i < 5; i++) log.report('Database connection failed', new Error('ECONNREFUSED'))
  log.report('Database timeout', new Error('Query read timeout'))
  t.equal(lines.length, 2, 'the first of each class, in full')
  t.ok(lines[0]!.err?.stack, 'with its stack, once')
  await new Promise((resolve) => setTimeout(resolve, 150))
  t.match(lines[2], { failure: 'Database connection failed', count: 4, intervalMs: 100 }, 'then the count of the rest')
  t.equal(lines.length, 3, 'a class that failed once has nothing more to say')
  log.report('Database connection failed', new Error('ECONNREFUSED'))
  await new Promise((resolve) => setTimeout(resolve, 150))
  t.equal(lines.length, 4, 'still failing: one line per interval')
  log.flush()
})

t.test('a closed database: every request a fast 500, logged once', async (t) => {
  const { lines, stream } = logSink()
  const db = await freshDatabase(t)
  const config = testConfig({ LOG_LEVEL: 'error' })
  const app = await buildApp(config, { database: db, logStream: stream })
  t.teardown(() => app.close())
  const owner = (await db.prisma.user.findUniqueOrThrow({ where: { email: 'owner@demo.test' } })).id
  const session = await startSession(db.prisma, owner, 3600)
  const token = app.accessTokens.issue(owner, session.id).accessToken
  await db.close()
  for (let i = 0; i < 30; i++) {
    const res = await app.inject({ method: 'GET', url: '/user/profile', headers: { authorization: `Bearer ${token}` } })
    t.equal(res.statusCode, 500)
    t.same(res.json(), { ...INTERNAL, error: 'Database connection failed' })
  }
  const graphql = await app.inject({
    method: 'POST',
    url: '/graphql',
    headers: { authorization: `Bearer ${token}` },
    payload: { query: '{ me { id } }' },
  })
  t.match(graphql.json(), { errors: [{ extensions: { code: 'INTERNAL_SERVER_ERROR', category: 'Database connection failed' } }] })
  t.equal((await app.inject({ method: 'GET', url: '/ready' })).statusCode, 503)
  t.equal(lines.length, 1, `31 failed requests and a probe, one log line (${lines.length})`)
  await app.close()
  t.match(lines.at(-1), { failure: 'Database connection failed', count: 31 }, 'the count is logged on close')
})

// Prisma's P2028: a transaction that found no connection within maxWait, or ran past its timeout.
t.test("a transaction out of time (Prisma's P2028) is a database timeout, logged throttled", async (t) => {
  const db = await freshDatabase(t)
  const err = await db.prisma
    .$transaction(
      async (tx) => {
        await new Promise((resolve) => setTimeout(resolve, 200))
        return tx.user.count()
      },
      { timeout: 20 },
    )
    .catch((e: unknown) => e)
  t.equal((err as { code?: string }).code, 'P2028', String(err))
  t.equal(internalCategory(err), 'Database timeout')
  t.ok(isDependencyFailure(internalCategory(err)), 'a failing dependency, not a bug')
})

t.test('readiness means ready: a database without the migrations is 503 with the reason', async (t) => {
  let db: Database
  const base = process.env.DATABASE_URL
  if (base) db = await openDatabase({ databaseUrl: await scratchDatabaseUrl(t, base), dataDir: 'memory://', poolSize: 2 })
  else db = await openDatabase({ dataDir: 'memory://' })
  t.teardown(() => db.close())
  const app = await buildApp(testConfig(), { database: db })
  t.teardown(() => app.close())
  let res = await app.inject({ method: 'GET', url: '/ready' })
  t.equal(res.statusCode, 503)
  const all = readMigrations().length
  t.same(res.json(), { status: 'database not migrated', reason: `${all} of ${all} migrations not applied (npm run db:migrate)` })
  await migrate(db)
  const last = `(SELECT max(migration_name) FROM "_prisma_migrations")`
  await db.sql.query(`UPDATE "_prisma_migrations" SET rolled_back_at = now() WHERE migration_name = ${last}`)
  res = await app.inject({ method: 'GET', url: '/ready' })
  t.equal(res.statusCode, 503)
  t.match(
    res.json(),
    { status: 'database not migrated', reason: `1 of ${all} migrations not applied (npm run db:migrate)` },
    'one rolled back is not ready either',
  )
  await db.sql.query(`UPDATE "_prisma_migrations" SET rolled_back_at = NULL`)
  res = await app.inject({ method: 'GET', url: '/ready' })
  t.equal(res.statusCode, 200, 'ready once migrated')
  t.same(res.json(), { status: 'ready' })
})

/** A failing dependency is logged as such (throttled), never as a bug with a stack per request. */
function noBugLogged(t: TapTest, logged: Record<string, any>[]) {
  const bugs = logged.filter(
    (l) => l.msg === 'unexpected error in a resolver' || l.msg === 'unhandled error' || l.category === 'Unexpected error',
  )
  t.same(bugs, [], `no failure logged as a bug (${logged.map((l) => l.failure ?? l.msg).join(', ')})`)
}

const base = process.env.DATABASE_URL
// A proxy in front of the shared PostgreSQL fails in its place; the server itself is never stopped.
if (base) {
  t.test('PostgreSQL frozen, slow and stopped behind a proxy', async (t) => {
    const url = await scratchDatabaseUrl(t, base)
    const setup = await openDatabase({ databaseUrl: url, dataDir: 'memory://', poolSize: 1 })
    t.teardown(() => setup.close())
    await migrate(setup)
    await seedDemoData(setup)
    const target = new URL(url)
    const proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 5432) })
    t.teardown(() => proxy.close())
    const viaProxy = new URL(url)
    viaProxy.host = `127.0.0.1:${proxy.port}`

    const { lines, stream } = logSink()
    const config = testConfig({
      DATABASE_URL: viaProxy.toString(),
      // The requests under test must reach the database: a cached requester would answer them (the cache and its
      // own channel's failures: test/auth/requester-cache.test.ts).
      REQUESTER_CACHE_SIZE: '0',
      LOG_LEVEL: 'error',
      DB_POOL_SIZE: '4',
      DB_STATEMENT_TIMEOUT_MS: '400',
      DB_ACQUIRE_TIMEOUT_MS: '300',
      READY_TIMEOUT_MS: '500',
      FAILURE_LOG_INTERVAL_MS: '60000',
      RATE_LIMIT_LOGIN_PER_ACCOUNT: '1000',
      RATE_LIMIT_LOGIN_PER_ADDRESS: '1000',
    })
    // What a client may wait for one statement that never gets an answer: DB_STATEMENT_TIMEOUT_MS + 500 ms.
    const STATEMENT_BOUND_MS = 400 + 500
    const app = await buildApp(config, { logStream: stream })
    t.teardown(() => app.close())
    const owner = (await setup.prisma.user.findUniqueOrThrow({ where: { email: 'owner@demo.test' } })).id
    const session = await startSession(setup.prisma, owner, 3600)
    const auth = { authorization: `Bearer ${app.accessTokens.issue(owner, session.id).accessToken}` }
    const profile = () => app.inject({ method: 'GET', url: '/user/profile', headers: auth })
    const ready = () => app.inject({ method: 'GET', url: '/ready' })
    const login = () =>
      app.inject({ method: 'POST', url: '/user/login', payload: { email: 'owner@demo.test', password: 'Demo-Password-1' } })

    t.equal((await profile()).statusCode, 200)
    t.equal((await ready()).statusCode, 200)

    t.test('a slow statement is cancelled by statement_timeout', async (t) => {
      const locker = new pg.Client({ connectionString: url })
      await locker.connect()
      t.teardown(() => locker.end())
      await locker.query('BEGIN')
      await locker.query('SELECT 1 FROM users WHERE id = $1 FOR UPDATE', [owner])
      const [res, ms] = await elapsed(() =>
        app.inject({ method: 'PUT', url: `/user/${owner}`, headers: auth, payload: { name: 'Locked' } }),
      )
      await locker.query('ROLLBACK')
      t.equal(res.statusCode, 500)
      t.same(res.json(), { ...INTERNAL, error: 'Database timeout' })
      t.ok(ms < 3_000, `answered in ${Math.round(ms)} ms`)
      t.equal((await profile()).statusCode, 200, 'the connection is fine afterwards')
    })

    t.test('frozen: every request fails within a bounded time, /ready 503 within 1 s, recovery after', async (t) => {
      proxy.freeze()
      const results = await Promise.all(Array.from({ length: 10 }, () => elapsed(profile)))
      for (const [res, ms] of results) {
        t.equal(res.statusCode, 500)
        t.match(res.json(), { ...INTERNAL, error: /^(Database connection failed|Database timeout)$/ })
        t.ok(ms < 3_000, `failed in ${Math.round(ms)} ms`)
      }
      const [probe, probeMs] = await elapsed(ready)
      t.equal(probe.statusCode, 503)
      t.equal(probe.json().status, 'database unavailable')
      t.ok(probeMs < 1_000, `/ready answered in ${Math.round(probeMs)} ms`)
      proxy.thaw()
      await eventually(t, 'serves again', async () => (await profile()).statusCode === 200, 5_000)
      t.equal((await ready()).statusCode, 200)
    })

    // A login is a transaction: BEGIN, reads, writes, COMMIT. Frozen mid-way, the statement that hangs is the
    // only wait (statement timeout + 500 ms); the ROLLBACK must not wait as long again on the dead connection,
    // and more transactions than connections must fail as a database timeout, not as a bug.
    t.test('frozen inside a transaction: one statement bound, not two', async (t) => {
      t.equal((await login()).statusCode, 200, 'a login works before the freeze')
      const before = lines.length
      // Frozen once the login's transaction has begun and sent its first write: the write hangs, then the ROLLBACK.
      proxy.freezeOn('INSERT INTO "public"."sessions"')
      const [res, ms] = await elapsed(login)
      t.equal(res.statusCode, 500)
      t.match(res.json(), { ...INTERNAL, error: 'Database timeout' })
      // Timers only fire late, never early: the wait of a statement and then its ROLLBACK cannot be under 2 bounds.
      t.ok(ms < 1.5 * STATEMENT_BOUND_MS, `failed in ${Math.round(ms)} ms (one statement: ${STATEMENT_BOUND_MS} ms)`)
      noBugLogged(t, lines.slice(before))
      proxy.thaw()
      await eventually(t, 'logins work again', async () => (await login()).statusCode === 200, 5_000)
    })

    t.test('frozen: more transactions than connections fail as a database timeout, not as a bug', async (t) => {
      const before = lines.length
      // Some logins are inside their transaction when it freezes; the rest wait for a connection or a transaction.
      proxy.freezeOn('INSERT INTO "public"."sessions"')
      const results = await Promise.all(Array.from({ length: 12 }, () => elapsed(login)))
      const errors = new Set<string>()
      for (const [res, ms] of results) {
        t.equal(res.statusCode, 500)
        t.match(res.json(), { ...INTERNAL, error: /^(Database connection failed|Database timeout)$/ }, 'a dependency failure')
        errors.add(res.json().error)
        // One wait for a connection (300 ms) and one statement's, with the same margin as above.
        t.ok(ms < 1.5 * (STATEMENT_BOUND_MS + 300), `failed in ${Math.round(ms)} ms`)
      }
      t.ok(errors.has('Database timeout'), `answered: ${[...errors].join(', ')}`)
      noBugLogged(t, lines.slice(before))
      proxy.thaw()
      await eventually(t, 'logins work again', async () => (await login()).statusCode === 200, 5_000)
    })

    t.test('stopped: fast 500s, connection attempts back off, recovery in about a second', async (t) => {
      proxy.refuse()
      proxy.accepted = 0
      let requests = 0
      const start = performance.now()
      while (performance.now() - start < 1_500) {
        const [res, ms] = await elapsed(profile)
        requests += 1
        if (res.statusCode !== 500 || ms > 1_000) t.fail(`a fast 500 (${res.statusCode} in ${Math.round(ms)} ms)`)
      }
      t.ok(requests >= 10, `${requests} requests answered`)
      t.ok(proxy.accepted <= 12, `${proxy.accepted} connection attempts for ${requests} requests`)
      proxy.thaw()
      await eventually(t, 'serves again', async () => (await profile()).statusCode === 200, 4_000)
    })

    t.test('the outage cost a few log lines, not one per request', async (t) => {
      const failures = lines.filter((l) => l.failure)
      t.ok(failures.length <= 4, `${failures.length} lines: ${failures.map((l) => l.failure).join(', ')}`)
      t.notOk(
        lines.some((l) => l.msg === 'unexpected error in a resolver' || l.msg === 'unhandled error'),
        'no stack per failed request',
      )
      await app.close()
      const counted = lines.filter((l) => l.count).reduce((sum, l) => sum + l.count, 0)
      t.ok(counted >= 10, `the rest counted: ${counted}`)
    })
  })
}
