// Through PgBouncer 1.18 in transaction mode (scripts/pgbouncer.sh): consecutive statements of one client
// connection may reach different server connections, and startup parameters it does not know are refused.
// With ?pgbouncer=true on DATABASE_URL the gateway prepares nothing under a name and sends no statement_timeout.
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import t from 'tap'
import pg from 'pg'
import { buildApp } from '../../src/app.js'
import { openDatabase, poolerSettings } from '../../src/db/database.js'
import { migrate } from '../../src/db/migrate.js'
import { seedDemoData } from '../../src/db/seed.js'
import { projectPath } from '../../src/paths.js'
import { scratchDatabaseUrl, testConfig } from '../helper.js'

const run = promisify(execFile)

t.test('?pgbouncer=true is read and removed from the URL', async (t) => {
  t.same(poolerSettings('postgresql://u@h:6432/db?pgbouncer=true'), { url: 'postgresql://u@h:6432/db', pgbouncer: true })
  t.same(poolerSettings('postgresql://u@h/db?sslmode=require&pgbouncer=true'), {
    url: 'postgresql://u@h/db?sslmode=require',
    pgbouncer: true,
  })
  t.same(poolerSettings('postgresql://u@h/db?pgbouncer=false'), { url: 'postgresql://u@h/db', pgbouncer: false })
  t.same(poolerSettings('postgresql://u@h/db'), { url: 'postgresql://u@h/db', pgbouncer: false })
})

const base = process.env.DATABASE_URL
if (base) {
  t.test('the gateway through PgBouncer in transaction mode', async (t) => {
    // A scratch database on the server itself, migrated and seeded; then PgBouncer in front of that server.
    const direct = await scratchDatabaseUrl(t, base)
    const setup = await openDatabase({ databaseUrl: direct, dataDir: 'memory://', poolSize: 1 })
    await migrate(setup)
    await seedDemoData(setup)
    await setup.close()
    const started = await run('bash', [projectPath('scripts', 'pgbouncer.sh'), 'start', direct], {
      env: { ...process.env, POOL_SIZE: '3' },
    })
    const dir = /^PGBOUNCER_DIR=(.+)$/m.exec(started.stdout)![1]!
    t.teardown(() => run('bash', [projectPath('scripts', 'pgbouncer.sh'), 'stop', dir]))
    const pooled = /^PGBOUNCER_URL=(.+)$/m.exec(started.stdout)![1]!
    t.match(pooled, /\?pgbouncer=true$/)
    const withoutSetting = poolerSettings(pooled).url

    /** Another client holds a server connection in an open transaction, so the next statement goes elsewhere. */
    const holdServerConnection = async () => {
      const holder = new pg.Client({ connectionString: withoutSetting })
      await holder.connect()
      await holder.query('BEGIN')
      await holder.query('SELECT 1')
      return async () => {
        await holder.query('COMMIT')
        await holder.end()
      }
    }
    const limits = { statementTimeoutMs: 5_000, acquireTimeoutMs: 2_000, reconnectBackoffMaxMs: 0 }
    const ids = { user: '00000000-0000-4000-8000-000000000001', session: '00000000-0000-4000-8000-000000000002' }

    t.test('without the setting: a named statement is lost, statement_timeout is refused', async (t) => {
      const db = await openDatabase({ databaseUrl: withoutSetting, dataDir: 'memory://', poolSize: 1 })
      t.teardown(() => db.close())
      // The pool's only server connection prepares the statement; another client then holds that connection.
      t.same(await db.sql.query('SELECT $1::text AS v', ['a'], 'probe'), [{ v: 'a' }])
      const release = await holdServerConnection()
      await t.rejects(db.sql.query('SELECT $1::text AS v', ['b'], 'probe'), /prepared statement "probe" does not exist/)
      await release()
      const timed = await openDatabase({ databaseUrl: withoutSetting, dataDir: 'memory://', poolSize: 1, limits })
      t.teardown(() => timed.close())
      await t.rejects(timed.sql.query('SELECT 1'), /unsupported startup parameter: statement_timeout/)
    })

    t.test('with ?pgbouncer=true: the same statements, and the client-side bound still applies', async (t) => {
      const db = await openDatabase({ databaseUrl: pooled, dataDir: 'memory://', poolSize: 1, limits })
      t.teardown(() => db.close())
      t.same(await db.sql.query('SELECT $1::text AS v', ['a'], 'probe'), [{ v: 'a' }])
      const release = await holdServerConnection()
      t.same(await db.sql.query('SELECT $1::text AS v', ['b'], 'probe'), [{ v: 'b' }])
      t.same(await db.sql.query('SELECT count(*)::int AS n FROM users WHERE id = $1', [ids.user], 'requester'), [{ n: 0 }])
      await release()
      // query_timeout (statement timeout + 500 ms) still ends a statement that never answers in time.
      const short = await openDatabase({
        databaseUrl: pooled,
        dataDir: 'memory://',
        poolSize: 1,
        limits: { ...limits, statementTimeoutMs: 200 },
      })
      t.teardown(() => short.close())
      await t.rejects(short.sql.query('SELECT pg_sleep(3)'), /timeout/i)
    })

    t.test('login, profile, GraphQL, refresh and a locked role change through the pooler', async (t) => {
      const app = await buildApp(testConfig({ DATABASE_URL: pooled, DB_POOL_SIZE: '2' }))
      t.teardown(() => app.close())
      const login = await app.inject({
        method: 'POST',
        url: '/user/login',
        payload: { email: 'owner@demo.test', password: 'Demo-Password-1' },
      })
      t.equal(login.statusCode, 200, 'login')
      const { accessToken, refreshToken } = login.json()
      const auth = { authorization: `Bearer ${accessToken}` }
      // Every request looks the requester up; with server connections held in between, they land on different ones.
      for (let i = 0; i < 6; i++) {
        const release = i % 2 === 0 ? await holdServerConnection() : async () => {}
        const profile = await app.inject({ method: 'GET', url: '/user/profile', headers: auth })
        t.equal(profile.statusCode, 200, `profile ${i}`)
        const gql = await app.inject({ method: 'POST', url: '/graphql', headers: auth, payload: { query: '{ me { email orgRoles } }' } })
        t.same(gql.json(), { data: { me: { email: 'owner@demo.test', orgRoles: [0, 1, 2, 254, 255] } } })
        await release()
      }
      const refreshed = await app.inject({ method: 'POST', url: '/user/refresh', payload: { refreshToken } })
      t.equal(refreshed.statusCode, 200, 'refresh')
      // A role change takes its row locks in one transaction: two at once, on two pooled connections, both apply in turn.
      const target = new pg.Client({ connectionString: withoutSetting })
      await target.connect()
      const [user, billing] = (
        await target.query<{ id: string; email: string }>(
          "SELECT id, email FROM users WHERE email IN ('user@demo.test', 'billing@demo.test') ORDER BY email DESC",
        )
      ).rows
      await target.end()
      const changes = await Promise.all(
        [user!, billing!].map((member) =>
          app.inject({ method: 'PUT', url: `/user/${member.id}/role`, headers: auth, payload: { orgRole: 2 } }),
        ),
      )
      t.same(
        changes.map((res) => res.statusCode),
        [200, 200],
        changes.map((res) => res.body).join(' '),
      )
      const after = await app.inject({ method: 'GET', url: `/organization/users/${user!.id}`, headers: auth })
      t.equal(after.json().orgRole, 2)
      const logout = await app.inject({
        method: 'POST',
        url: '/user/logout',
        headers: auth,
        payload: { refreshToken: refreshed.json().refreshToken },
      })
      t.equal(logout.statusCode, 200, 'logout')
      t.equal((await app.inject({ method: 'GET', url: '/user/profile', headers: auth })).statusCode, 401, 'the session ended everywhere')
    })

    // LISTEN does not work through a transaction-mode pooler: the requester cache listens on DATABASE_LISTEN_URL,
    // a direct connection, while every query and write (the triggers' NOTIFY included) goes through PgBouncer.
    t.test('the requester cache: off through the pooler alone, on with DATABASE_LISTEN_URL, writes seen at once', async (t) => {
      const alone = await buildApp(testConfig({ DATABASE_URL: pooled, DB_POOL_SIZE: '2' }))
      t.teardown(() => alone.close())
      t.equal(alone.requesterCache, null, 'no cache without a direct connection to listen on')
      const secret = 'a'.repeat(64)
      const make = async () => {
        const app = await buildApp(testConfig({ DATABASE_URL: pooled, DATABASE_LISTEN_URL: direct, DB_POOL_SIZE: '2', JWT_SECRET: secret }))
        t.teardown(() => app.close())
        return app
      }
      const [a, b] = [await make(), await make()]
      for (let i = 0; i < 1000 && !(a.requesterChanges?.live && b.requesterChanges?.live && a.requesterChanges.peers > 0); i++)
        await new Promise((resolve) => setTimeout(resolve, 10))
      t.ok(a.requesterChanges?.live && b.requesterChanges?.live, 'both listen')
      const signIn = async (email: string) =>
        (await a.inject({ method: 'POST', url: '/user/login', payload: { email, password: 'Demo-Password-1' } })).json()
      const owner = await signIn('owner@demo.test')
      const member = await signIn('workspaces@demo.test')
      const role = async () =>
        (await b.inject({ method: 'GET', url: '/user/profile', headers: { authorization: `Bearer ${member.accessToken}` } })).json().data
          .orgRole
      t.equal(await role(), 2)
      const hits = b.requesterCache!.hits
      t.equal(await role(), 2)
      t.ok(b.requesterCache!.hits > hits, 'B answers from its cache')
      const change = await a.inject({
        method: 'PUT',
        url: `/user/${member.user.id}/role`,
        headers: { authorization: `Bearer ${owner.accessToken}` },
        payload: { orgRole: 1 },
      })
      t.equal(change.statusCode, 200, change.body)
      t.equal(await role(), 1, 'the role changed through the pooler on A is B’s answer at the next request')
    })
  })
}
