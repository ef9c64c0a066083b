// Opens the database (or adopts one given), migrates the embedded one, seeds demo data, closes on stop.
import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import { openDatabase, type Database } from './database.js'
import { migrate, readMigrations } from './migrate.js'
import { seedDemoData } from './seed.js'
import type { PasswordHashCost } from '../crypto/passwords.js'

declare module 'fastify' {
  interface FastifyInstance {
    db: Database
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
