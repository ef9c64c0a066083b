// The migrations must build exactly the data model in prisma/schema.prisma (no drift), plus the
// CHECK constraints Prisma cannot model. Runs on PostgreSQL when DATABASE_URL is set (in a scratch
// database it drops afterwards), else on PGlite.
import { randomUUID } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t from 'tap'
import pg from 'pg'
import { PGlite } from '@electric-sql/pglite'
import { PrismaPg } from '@prisma/adapter-pg'
import { PrismaPGlite } from 'pglite-prisma-adapter'
import { openDatabase, type Database } from '../../src/db/database.js'
import { migrate, readMigrations } from '../../src/db/migrate.js'
import { openSchemaEngine, type SchemaEngineSession } from '../../src/db/schemaEngine.js'
import type { Teardown } from '../helper.js'

const baseUrl = process.env.DATABASE_URL

type Where = { databaseUrl?: string; dataDir: string }

/** A fresh, empty database; returns how to reach it. Cleanup is registered on t. */
async function scratchDatabase(t: Teardown): Promise<Where> {
  if (!baseUrl) {
    // On disk, not memory://, so the engine can open the same database after migrate() closes it.
    const dataDir = mkdtempSync(join(tmpdir(), 'drift-'))
    t.teardown(() => rmSync(dataDir, { recursive: true, force: true }))
    return { dataDir }
  }
  const name = `drift_${randomUUID().replace(/-/g, '')}`
  const admin = new pg.Client({ connectionString: baseUrl })
  await admin.connect()
  await admin.query(`CREATE DATABASE "${name}"`)
  await admin.end()
  t.teardown(async () => {
    const admin = new pg.Client({ connectionString: baseUrl })
    await admin.connect()
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)
    await admin.end()
  })
  const url = new URL(baseUrl)
  url.pathname = `/${name}`
  return { databaseUrl: url.toString(), dataDir: 'memory://' }
}

/** A schema engine on that database, through the same kind of adapter the app uses. */
async function engineFor(t: Teardown, where: Where): Promise<SchemaEngineSession> {
  if (where.databaseUrl) {
    const pool = new pg.Pool({ connectionString: where.databaseUrl, max: 2 })
    const engine = await openSchemaEngine(new PrismaPg(pool))
    t.teardown(async () => {
      engine.close()
      await pool.end()
    })
    return engine
  }
  const pglite = await PGlite.create(join(where.dataDir, 'pglite'))
  const engine = await openSchemaEngine(new PrismaPGlite(pglite))
  t.teardown(async () => {
    engine.close()
    await pglite.close()
  })
  return engine
}

/** A scratch database opened as the app opens it (closed at teardown unless the test closed it), migrated unless told not to. */
async function openScratch(t: Teardown, options: { migrated: boolean }) {
  const where = await scratchDatabase(t)
  const db: Database = await openDatabase({ ...where, poolSize: 2 })
  const state = { closed: false }
  t.teardown(async () => {
    if (!state.closed) await db.close()
  })
  if (options.migrated) await migrate(db)
  const close = async () => {
    await db.close()
    state.closed = true
  }
  return { where, db, close }
}

t.test('every migration applies to an empty database', async (t) => {
  const { db } = await openScratch(t, { migrated: false })
  t.same(
    await migrate(db),
    readMigrations().map((m) => m.name),
  )
  t.same(await migrate(db), [], 'and a second run applies nothing')
})

t.test('the CHECK constraints Prisma does not model are in place', async (t) => {
  const { db } = await openScratch(t, { migrated: true })
  const [org] = await db.sql.query<{ id: string }>(
    `INSERT INTO organizations (id, name, updated_at) VALUES (gen_random_uuid(), 'Acme', now()) RETURNING id`,
  )
  const orgId = org!.id
  const insertUser = (email: string, orgId: string | null, orgRole: number | null) =>
    db.sql.query(
      `INSERT INTO users (id, email, name, last_name, org_id, org_role, updated_at)
       VALUES (gen_random_uuid(), $1, 'Ann', 'Lee', $2, $3, now())`,
      [email, orgId, orgRole],
    )
  await t.rejects(insertUser('Ann@Example.com', null, null), /users_email_lowercase/)
  await t.rejects(insertUser('ann@example.com', orgId, 3), /users_org_role_defined/)
  await t.rejects(insertUser('ann@example.com', orgId, null), /users_org_role_with_org/)
  await t.rejects(insertUser('ann@example.com', null, 1), /users_org_role_with_org/)
  await t.resolves(insertUser('ann@example.com', orgId, 255))
  await t.resolves(insertUser('bob@example.com', null, null))
})

t.test('the migrated database is exactly prisma/schema.prisma', async (t) => {
  const { where, close } = await openScratch(t, { migrated: true })
  await close() // PGlite on disk allows one opener at a time
  const engine = await engineFor(t, where)
  // Guards against a vacuous pass (the engine looking at some other, empty, database).
  t.match(await engine.diffSql('database', 'empty'), /DROP TABLE ("\w+"\.)?"users"/, 'the engine sees the migrated tables')
  t.equal(await engine.diffSql('database', 'schema'), '', 'no drift: nothing to migrate')
  t.equal(await engine.diffSql('schema', 'database'), '', 'no drift the other way either')
})
