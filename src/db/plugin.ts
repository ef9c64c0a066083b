// Opens the database (or adopts one given), migrates the embedded one, seeds demo data, closes on stop.
import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import { openDatabase, type Database } from './database.js'
import { embeddedChangeFeed, postgresChangeFeed, type ChangeFeed } from './changes.js'
import { migrate, readMigrations } from './migrate.js'
import { seedDemoData } from './seed.js'
import type { PasswordHashCost } from '../crypto/passwords.js'

declare module 'fastify' {
  interface FastifyInstance {
    db: Database
    /** Changes to what the requester lookup reads, as the database reports them; null: not reported (no cache). */
    requesterChanges: ChangeFeed | null
  }
}

export interface DatabasePluginOptions {
  /** A database opened by the caller (tests, tools); the app then neither migrates nor closes it. */
  database?: Database
  /** Wraps the database the app uses (metrics and tracing of every query); migrations run on the bare one. */
  observe?: (db: Database) => Database
}

async function databasePlugin(app: FastifyInstance, opts: DatabasePluginOptions) {
  const { config } = app
  const observe = opts.observe ?? ((db: Database) => db)
  if (opts.database) {
    app.decorate('db', observe(opts.database))
    await openChanges(app, opts.database)
    return
  }
  const { dbStatementTimeoutMs, dbAcquireTimeoutMs, dbReconnectBackoffMaxMs } = config.faults
  const db = await openDatabase({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    poolSize: config.dbPoolSize,
    limits: {
      statementTimeoutMs: dbStatementTimeoutMs,
      acquireTimeoutMs: dbAcquireTimeoutMs,
      reconnectBackoffMaxMs: dbReconnectBackoffMaxMs,
    },
  })
  app.decorate('db', observe(db))
  app.addHook('onClose', async () => {
    await db.close()
  })
  const { applied, seeded } = await prepareEmbedded(db, config.seedDemoData, config.passwordHashCost)
  if (applied.length > 0) app.log.info({ migrations: applied }, 'embedded database migrated')
  if (seeded) app.log.info('demo data seeded: owner@demo.test … with password Demo-Password-1')
  // After the migrations: the embedded database's trigger exists from here on.
  await openChanges(app, db)
}

/**
 * The change feed of the requester cache: in-process on the embedded database; on PostgreSQL a LISTEN connection
 * of its own, to DATABASE_LISTEN_URL or else DATABASE_URL — but never through a transaction-mode pooler
 * (?pgbouncer=true), where LISTEN does not work: then there is no feed, and no cache.
 */
async function openChanges(app: FastifyInstance, db: Database) {
  const { requesterCache, faults } = app.config
  let feed: ChangeFeed | null = null
  let lastWarned = -Infinity
  if (requesterCache.maxEntries > 0) {
    if (db.listen) {
      const listen = db.listen.bind(db)
      feed = await embeddedChangeFeed(
        listen,
        async (payload) => void (await db.sql.query('SELECT pg_notify($1, $2)', ['gateway_requester', payload])),
        db.fence,
      )
    } else {
      const url = requesterCache.listenUrl ?? db.directUrl
      if (url) {
        feed = postgresChangeFeed({
          url,
          fence: db.fence,
          timeoutMs: faults.dbAcquireTimeoutMs,
          heartbeatMs: 1000,
          reconnectMaxMs: Math.max(faults.dbReconnectBackoffMaxMs, 100),
          // A warning, once per FAILURE_LOG_INTERVAL_MS: without its feed the gateway is slower, not wrong.
          onError: (err) => {
            const now = Date.now()
            if (now - lastWarned < faults.failureLogIntervalMs) return
            lastWarned = now
            app.log.warn({ err }, 'requester change feed unavailable: requester cache off until it is back')
          },
        })
      } else {
        app.log.warn('requester cache off: DATABASE_URL goes through a pooler (?pgbouncer=true) and DATABASE_LISTEN_URL is not set')
      }
    }
  }
  app.decorate('requesterChanges', feed)
  if (feed) {
    const opened = feed
    app.addHook('onClose', () => opened.close())
  }
}

/**
 * The embedded database migrates itself and, on its very first use (the first migration applied just
 * now), seeds the demo data when allowed — whether the server or `npm run token` opens it first.
 */
export async function prepareEmbedded(
  db: Database,
  seedDemo: boolean,
  cost?: PasswordHashCost,
): Promise<{ applied: string[]; seeded: boolean }> {
  if (db.kind !== 'pglite') return { applied: [], seeded: false }
  const applied = await migrate(db)
  const seeded = seedDemo && applied.includes(readMigrations()[0]!.name) && (await seedDemoData(db, cost))
  return { applied, seeded }
}

export default fp(databasePlugin, { name: 'database', dependencies: ['config'] })
