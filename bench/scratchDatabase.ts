// A bench script's own database: on DATABASE_URL's server, re-created under BENCH_DATABASE (or the
// script's default name) and migrated, optionally seeded; without DATABASE_URL, none (the script's
// gateway keeps the embedded database in its DATA_DIR).
import pg from 'pg'
import { openDatabase, type Database } from '../src/db/database.js'
import { migrate } from '../src/db/migrate.js'
import { seedDemoData } from '../src/db/seed.js'
import { benchDatabaseName } from './settings.js'

export async function scratchBenchDatabase(
  defaultName: string,
  dataDir: string,
  options: { seed?: boolean } = {},
): Promise<{ database: Database | undefined; drop(): Promise<void> }> {
  const adminUrl = process.env.DATABASE_URL
  if (!adminUrl) return { database: undefined, drop: async () => {} }
  const name = benchDatabaseName({ BENCH_DATABASE: process.env.BENCH_DATABASE ?? defaultName }, adminUrl)
  const admin = new pg.Client({ connectionString: adminUrl })
  await admin.connect()
  await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
  await admin.query(`CREATE DATABASE ${name}`)
  const url = new URL(adminUrl)
  url.pathname = `/${name}`
  const database = await openDatabase({ databaseUrl: url.toString(), dataDir, poolSize: 10 })
  await migrate(database)
  if (options.seed) await seedDemoData(database)
  return {
    database,
    drop: async () => {
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
      await admin.end()
    },
  }
}
