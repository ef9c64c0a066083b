// The requester cache (src/auth/requesterCache.ts, src/db/changes.ts): requests of a live session need no query,
// every write to users or sessions drops what it changed at once (made by the app or by SQL from outside), and
// without its change channel the gateway does not cache.
import t from 'tap'
import pg from 'pg'
import { buildApp } from '../../src/app.js'
import { openDatabase, type Database } from '../../src/db/database.js'
import { migrate } from '../../src/db/migrate.js'
import { seedDemoData } from '../../src/db/seed.js'
import { RequesterCache } from '../../src/auth/requesterCache.js'
import type { ChangeFeed, ChangeListener } from '../../src/db/changes.js'
import type { RequesterLookup } from '../../src/auth/requester.js'
import { buildTestApp, scratchDatabaseUrl, testConfig, type TestApp, type Teardown } from '../helper.js'
import { startTcpProxy } from '../faults/tcpProxy.js'

/** Counts the requester queries the app sends (the statement named 'requester'). */
function countingRequesterQueries(db: Database): { db: Database; count: () => number } {
  let n = 0
  const sql = db.sql
  return {
    db: {
      ...db,
      sql: {
        query: (text, params, name) => {
          if (name === 'requester') n += 1
          return sql.query(text, params, name)
        },
        exec: (script) => sql.exec(script),
      },
    },
    count: () => n,
  }
}

/** Waits, by a count of short turns, until `condition` holds. */
async function until(condition: () => boolean, what: string, tries = 500): Promise<void> {
  for (let i = 0; i < tries && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 10))
  if (!condition()) throw new Error(`never happened: ${what}`)
}

const profile = (h: TestApp, as: string) => h.call({ method: 'GET', url: '/user/profile', as })

async function cachingApp(t: Teardown, env: Record<string, string> = {}) {
  let counter: ReturnType<typeof countingRequesterQueries> | undefined
  const h = await buildTestApp(t, env, {
    adaptDatabase: (db) => (counter = countingRequesterQueries(db)).db,
  })
  await until(() => h.app.requesterChanges?.live === true, 'the change feed is up')
  return { h, queries: counter!.count }
}

t.test('a live session is looked up once, then answered from the cache', async (t) => {
  const { h, queries } = await cachingApp(t)
  t.equal((await profile(h, 'user@demo.test')).status, 200)
  const after = queries()
  for (let i = 0; i < 5; i++) t.equal((await profile(h, 'user@demo.test')).body.data.email, 'user@demo.test')
  t.equal(queries(), after, 'five more requests, no requester query')
  t.ok(h.app.requesterCache!.hits >= 5)
  // GraphQL shares it.
  t.same((await h.graphql('{ me { email } }', {}, 'user@demo.test')).body, { data: { me: { email: 'user@demo.test' } } })
  t.equal(queries(), after)
  const feed = h.app.requesterChanges!
  await h.app.close()
  t.equal(feed.live, false, 'the change feed ends with the app')
})

t.test('every write to the user or their sessions, through the app, by raw SQL or from outside, is seen by the next request', async (t) => {
  const { h } = await cachingApp(t)
  const email = 'billing@demo.test'
  const id = await h.userId(email)
  const warm = async () => {
    t.equal((await profile(h, email)).status, 200)
    t.equal((await profile(h, email)).status, 200)
  }
  await warm()
  // Through the repositories' Prisma, as another helper's new code would write: no cache involvement needed.
  await h.db.prisma.user.update({ where: { id }, data: { name: 'Renamed' } })
  t.equal((await profile(h, email)).body.data.name, 'Renamed', 'a rename, at once')
  await h.db.sql.query('UPDATE users SET org_role = 0 WHERE id = $1', [id])
  t.equal((await profile(h, email)).body.data.orgRole, 0, 'a role changed by raw SQL, at once')
  await warm()
  await h.db.transaction((tx) => tx.query(`UPDATE users SET deleted_at = now() WHERE id = $1`, [id]))
  t.equal((await profile(h, email)).status, 404, 'a deactivation inside a transaction, at once (the profile of no user)')

  // A write by SQL from outside the gateway reaches the cache through the trigger.
  const other = 'workspaces@demo.test'
  const otherId = await h.userId(other)
  t.equal((await profile(h, other)).status, 200)
  t.equal((await profile(h, other)).status, 200)
  const reported: string[] = []
  const seen: ChangeListener = { changed: (userId) => void reported.push(userId), reset: () => {} }
  h.app.requesterChanges!.subscribe(seen)
  // Another process: psql, a script, a migration. On PGlite the only session is the app's own database.
  const outside = process.env.DATABASE_URL ? new pg.Client({ connectionString: h.db.directUrl }) : null
  if (outside) {
    await outside.connect()
    t.teardown(() => outside.end())
    await outside.query(`UPDATE sessions SET revoked_at = now() WHERE user_id = $1`, [otherId])
  } else {
    await h.db.sql.exec(`UPDATE sessions SET revoked_at = now() WHERE user_id = '${otherId}'`)
  }
  await until(() => reported.includes(otherId), 'the trigger reported the user')
  t.equal((await profile(h, other)).status, 401, 'the revoked session is refused')
})

t.test('logout, password change and revocation end a cached session at the next request', async (t) => {
  const { h } = await cachingApp(t)
  const login = async () =>
    (await h.app.inject({ method: 'POST', url: '/user/login', payload: { email: 'admin@demo.test', password: 'Demo-Password-1' } })).json()
  const me = (token: string) => h.app.inject({ method: 'GET', url: '/user/profile', headers: { authorization: `Bearer ${token}` } })
  const one = await login()
  const two = await login()
  for (const s of [one, two]) {
    t.equal((await me(s.accessToken)).statusCode, 200)
    t.equal((await me(s.accessToken)).statusCode, 200)
  }
  await h.app.inject({ method: 'POST', url: '/user/logout', payload: { refreshToken: one.refreshToken } })
  t.equal((await me(one.accessToken)).statusCode, 401, 'logged out')
  t.equal((await me(two.accessToken)).statusCode, 200, 'the other session goes on')
  const change = await h.app.inject({
    method: 'PUT',
    url: `/user/${two.user.id}`,
    headers: { authorization: `Bearer ${two.accessToken}` },
    payload: { password: 'Another-Password-2' },
  })
  t.equal(change.statusCode, 200, change.body)
  const three = (
    await h.app.inject({ method: 'POST', url: '/user/login', payload: { email: 'admin@demo.test', password: 'Another-Password-2' } })
  ).json()
  t.equal((await me(three.accessToken)).statusCode, 200)
  t.equal((await me(three.accessToken)).statusCode, 200)
  const revoke = await h.app.inject({
    method: 'POST',
    url: '/user/deactivate',
    headers: { authorization: `Bearer ${three.accessToken}` },
  })
  t.equal(revoke.statusCode, 200, revoke.body)
  t.equal((await me(three.accessToken)).statusCode, 404, 'deactivated: the profile of no user')
})

/** A feed whose state the test sets. */
function fakeFeed() {
  const listeners: ChangeListener[] = []
  const feed: ChangeFeed & { live: boolean; settled: boolean } = {
    live: true,
    settled: true,
    peers: 0,
    subscribe: (l: ChangeListener) => void listeners.push(l),
    settle: async () => {},
    close: async () => {},
  }
  return { feed, changed: (id: string) => listeners.forEach((l) => l.changed(id)), reset: () => listeners.forEach((l) => l.reset()) }
}
const active = (id: string): RequesterLookup => ({
  status: 'active',
  user: {
    id,
    email: `${id}@x.test`,
    name: 'N',
    lastName: 'L',
    orgId: null,
    orgRole: null,
    validated: true,
    mfaRequired: false,
    isBusiness: false,
    deletedAt: null,
  },
})

t.test('the cache is bounded in entries and time, and keeps nothing read across a change', async (t) => {
  let now = 1_000_000
  const { feed, changed, reset } = fakeFeed()
  const cache = new RequesterCache<RequesterLookup>(feed, { maxEntries: 3, ttlMs: 1000, now: () => now })
  const far = new Date(now + 3_600_000)
  for (const n of [1, 2, 3, 4]) cache.set(cache.ticket(), `s${n}`, `u${n}`, active(`u${n}`), far)
  t.equal(cache.size, 3, 'at most maxEntries')
  t.equal(cache.get('u1', 's1'), undefined, 'the oldest went first')
  t.ok(cache.get('u4', 's4'))
  t.equal(cache.get('u3', 's4'), undefined, 'a session is only its own user’s')

  now += 1000
  t.equal(cache.get('u4', 's4'), undefined, 'gone after the TTL')
  cache.set(cache.ticket(), 's5', 'u5', active('u5'), new Date(now + 10))
  now += 10
  t.equal(cache.get('u5', 's5'), undefined, 'gone when the session expires')

  const ticket = cache.ticket()
  changed('someone-else')
  cache.set(ticket, 's6', 'u6', active('u6'), far)
  t.equal(cache.get('u6', 's6'), undefined, 'a lookup that overlapped a change is not kept')
  cache.set(cache.ticket(), 's6', 'u6', active('u6'), far)
  cache.set(cache.ticket(), 's7', 'u6', active('u6'), far)
  t.ok(cache.get('u6', 's7'))
  changed('u6')
  t.equal(cache.get('u6', 's6') ?? cache.get('u6', 's7'), undefined, "a change drops all the user's sessions")

  cache.set(cache.ticket(), 's8', 'u8', active('u8'), far)
  reset()
  t.equal(cache.get('u8', 's8'), undefined, 'a reset drops everything')
  t.equal(cache.size, 0)
  feed.live = false
  t.equal(cache.ticket(), null, 'nothing is kept while the feed is down')
  cache.set(cache.ticket(), 's9', 'u9', active('u9'), far)
  t.equal(cache.size, 0)
  feed.live = true
  cache.set(cache.ticket(), 's9', 'u9', active('u9'), far)
  feed.settled = false
  t.equal(cache.get('u9', 's9'), undefined, 'not used while a write made here is unreported')
})

const base = process.env.DATABASE_URL
if (base) {
  // On PostgreSQL the changes come over a LISTEN connection of the gateway's own: a proxy in front of it fails.
  t.test('the change channel lost, frozen or behind a pooler: no caching until it is back', async (t) => {
    const url = await scratchDatabaseUrl(t, base)
    const setup = await openDatabase({ databaseUrl: url, dataDir: 'memory://', poolSize: 1 })
    await migrate(setup)
    await seedDemoData(setup)
    await setup.close()
    const target = new URL(url)
    const proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 5432) })
    t.teardown(() => proxy.close())
    const viaProxy = new URL(url)
    viaProxy.host = `127.0.0.1:${proxy.port}`
    const app = await buildApp(
      testConfig({ DATABASE_URL: url, DATABASE_LISTEN_URL: viaProxy.toString(), DB_ACQUIRE_TIMEOUT_MS: '1000', LOG_LEVEL: 'silent' }),
    )
    t.teardown(() => app.close())
    const login = (
      await app.inject({ method: 'POST', url: '/user/login', payload: { email: 'user@demo.test', password: 'Demo-Password-1' } })
    ).json()
    t.ok(login.accessToken, 'signed in')
    const name = async () => {
      const res = await app.inject({ method: 'GET', url: '/user/profile', headers: { authorization: `Bearer ${login.accessToken}` } })
      t.equal(res.statusCode, 200, res.body)
      return res.json().data.name
    }
    const outside = new pg.Client({ connectionString: url })
    await outside.connect()
    t.teardown(() => outside.end())
    const cache = app.requesterCache!
    const feed = app.requesterChanges!

    await until(() => feed.live, 'the feed is up')
    await name()
    let hits = cache.hits
    t.equal(await name(), 'Uma', 'cached')
    t.ok(cache.hits > hits)

    await proxy.down()
    await until(() => !feed.live, 'the feed noticed the cut')
    t.equal(cache.size, 0, 'the cut emptied the cache')
    // This change's notification never reaches the gateway.
    await outside.query(`UPDATE users SET name = 'Unheard' WHERE email = 'user@demo.test'`)
    hits = cache.hits
    t.equal(await name(), 'Unheard', 'without its channel the gateway reads every request afresh')
    t.equal(await name(), 'Unheard')
    t.equal(cache.hits, hits, 'no hit while the channel is down')

    await proxy.up()
    await until(() => feed.live, 'the feed reconnected')
    await name()
    hits = cache.hits
    t.equal(await name(), 'Unheard')
    t.ok(cache.hits > hits, 'caching again once the channel is back')

    proxy.freeze()
    await until(() => !feed.live, 'the heartbeat found the frozen channel')
    await outside.query(`UPDATE users SET name = 'Frozen' WHERE email = 'user@demo.test'`)
    t.equal(await name(), 'Frozen', 'a frozen channel turns caching off too')
    proxy.thaw()
    await until(() => feed.live, 'back after the freeze')

    // Behind a transaction-mode pooler LISTEN does not work: without DATABASE_LISTEN_URL, no cache at all.
    const pooled = await buildApp(testConfig({ DATABASE_URL: `${url}?pgbouncer=true`, LOG_LEVEL: 'silent' }))
    t.teardown(() => pooled.close())
    t.equal(pooled.requesterCache, null, '?pgbouncer=true without DATABASE_LISTEN_URL: no cache')
    const pooledWithListener = await buildApp(
      testConfig({ DATABASE_URL: `${url}?pgbouncer=true`, DATABASE_LISTEN_URL: url, LOG_LEVEL: 'silent' }),
    )
    t.teardown(() => pooledWithListener.close())
    t.not(pooledWithListener.requesterCache, null, 'with DATABASE_LISTEN_URL: cached, the LISTEN goes there')
  })
}
