// Applies pending SQL migrations from prisma/migrations, recording them in Prisma's own
// `_prisma_migrations` table with Prisma's checksum, so `prisma migrate deploy` agrees with us
// wherever its engine can be had. All pending migrations apply in one transaction: all or none.
import { randomUUID } from 'node:crypto'
import { sha256 } from '../crypto/digest.js'
import { readdirSync, readFileSync, existsSync } from 'node:fs'
import { join } from 'node:path'
import type { Database } from './database.js'
import { projectPath } from '../paths.js'

export const MIGRATIONS_DIR = projectPath('prisma', 'migrations')

export interface Migration {
  name: string
  sql: string
  checksum: string
}

export function readMigrations(dir = MIGRATIONS_DIR): Migration[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(dir, entry.name, 'migration.sql')))
    .map((entry) => entry.name)
    .sort()
    .map((name) => {
      const sql = readFileSync(join(dir, name, 'migration.sql'), 'utf8')
      return { name, sql, checksum: sha256(sql) }
    })
}

const MIGRATIONS_TABLE = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
  "id" VARCHAR(36) PRIMARY KEY NOT NULL,
  "checksum" VARCHAR(64) NOT NULL,
  "finished_at" TIMESTAMPTZ,
  "migration_name" VARCHAR(255) NOT NULL,
  "logs" TEXT,
  "rolled_back_at" TIMESTAMPTZ,
  "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(),
  "applied_steps_count" INTEGER NOT NULL DEFAULT 0
)`

// Any fixed key: it serialises concurrent migrators on one PostgreSQL server.
const MIGRATION_LOCK_KEY = 72_707_369

export class MigrationError extends Error {}

const APPLIED_MIGRATIONS_SQL = 'SELECT migration_name FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL'
const UNDEFINED_TABLE = '42P01'

/** What to do about pending migrations, as /ready and the scripts say it. */
export const MIGRATE_HINT = 'npm run db:migrate'

/** The names of the migrations the database has not applied: every one before the first (no migrations table). */
export async function pendingMigrations(db: Pick<Database, 'sql'>, dir = MIGRATIONS_DIR): Promise<string[]> {
  let applied: string[]
  try {
    applied = (await db.sql.query<{ migration_name: string }>(APPLIED_MIGRATIONS_SQL)).map((r) => r.migration_name)
  } catch (err) {
    if ((err as { code?: unknown })?.code !== UNDEFINED_TABLE) throw err
    applied = []
  }
  return readMigrations(dir)
    .map((m) => m.name)
    .filter((name) => !applied.includes(name))
}

/** Applies every migration not yet applied; returns the names it applied. */
export async function migrate(db: Database, dir = MIGRATIONS_DIR): Promise<string[]> {
  const migrations = readMigrations(dir)
  return db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY])
    await tx.exec(MIGRATIONS_TABLE)
    const rows = await tx.query<{ migration_name: string; checksum: string; finished_at: Date | null }>(
      'SELECT migration_name, checksum, finished_at FROM "_prisma_migrations" WHERE rolled_back_at IS NULL',
    )
    const applied = new Map(rows.map((r) => [r.migration_name, r]))
    const done: string[] = []
    for (const m of migrations) {
      const previous = applied.get(m.name)
      if (previous) {
        if (!previous.finished_at) throw new MigrationError(`migration ${m.name} failed earlier; resolve it by hand`)
        if (previous.checksum !== m.checksum) throw new MigrationError(`migration ${m.name} was changed after it was applied`)
        continue
      }
      await tx.exec(m.sql)
      await tx.query(
        `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, finished_at, applied_steps_count)
         VALUES ($1, $2, $3, now(), now(), 1)`,
        [randomUUID(), m.checksum, m.name],
      )
      done.push(m.name)
    }
    return done
  })
}
