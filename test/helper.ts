// Builds the real app on a real, fresh database per test file: PostgreSQL when DATABASE_URL is set
// (a scratch database, dropped afterwards), otherwise embedded PGlite in memory.
import { createHash, randomBytes } from 'node:crypto'
import { existsSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import type { FastifyInstance, InjectOptions } from 'fastify'
import { buildApp, type BuildOptions } from '../src/app.js'
import { loadConfig, type Config } from '../src/config.js'
import { openDatabase, type Database } from '../src/db/database.js'
import { migrate, readMigrations } from '../src/db/migrate.js'
import { projectPath } from '../src/paths.js'
import { seedDemoData } from '../src/db/seed.js'
import { startSession } from '../src/db/repositories/sessions.js'

export interface Teardown {
  teardown(fn: () => unknown): void
}

/** An empty scratch database on the DATABASE_URL server, dropped at teardown (after later teardowns). */
export async function scratchDatabaseUrl(t: Teardown, base: string): Promise<string> {
  const name = `gw_test_${randomBytes(6).toString('hex')}`
  const admin = new pg.Client({ connectionString: base })
  await admin.connect()
  await admin.query(`CREATE DATABASE ${name}`)
  await admin.end()
  t.teardown(async () => {
    const drop = new pg.Client({ connectionString: base })
    await drop.connect()
    await drop.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
    await drop.end()
  })
  const url = new URL(base)
  url.pathname = `/${name}`
  return url.toString()
}

/** A fresh, migrated database; dropped (PostgreSQL) or discarded (PGlite) at teardown. */
export async function freshDatabase(t: Teardown, options: { seed?: boolean } = {}): Promise<Database> {
  const base = process.env.DATABASE_URL
  let db: Database
  if (base) {
    const url = await scratchDatabaseUrl(t, base)
    db = await openDatabase({ databaseUrl: url, dataDir: 'memory://', poolSize: 5 })
    t.teardown(() => db.close().catch(() => {}))
  } else {
    db = await openDatabase({ dataDir: 'memory://', template: await pgliteTemplate(options.seed !== false) })
    t.teardown(() => db.close().catch(() => {}))
    return db
  }
  await migrate(db)
  if (options.seed !== false) await seedDemoData(db)
  return db
}

/**
 * A fresh PGlite cluster costs seconds of initdb; loading a dumped one is several times faster.
 * The dump (migrated, optionally seeded) is cached on disk, keyed by everything that shapes it.
 */
async function pgliteTemplate(seed: boolean): Promise<Blob> {
  const key = createHash('sha256')
  for (const m of readMigrations()) key.update(m.name).update(m.checksum)
  key.update(readFileSync(projectPath('src', 'db', 'seed.ts'))).update(String(seed))
  key.update(readFileSync(projectPath('node_modules', '@electric-sql', 'pglite', 'package.json')))
  const file = join(tmpdir(), `gw-pglite-template-${key.digest('hex').slice(0, 16)}.tar`)
  if (existsSync(file)) return new Blob([readFileSync(file)])
  const db = await openDatabase({ dataDir: 'memory://' })
  await migrate(db)
  if (seed) await seedDemoData(db)
  const dump = await db.dumpDataDir!()
  await db.close()
  // Write then rename: parallel test files never read a half-written template.
  const partial = `${file}.${process.pid}`
  writeFileSync(partial, Buffer.from(await dump.arrayBuffer()))
  renameSync(partial, file)
  return dump
}

export function testConfig(env: Record<string, string> = {}): Config {
  const dataDir = mkdtempSync(join(tmpdir(), 'gw-test-'))
  process.once('exit', () => rmSync(dataDir, { recursive: true, force: true }))
  return loadConfig({ NODE_ENV: 'test', JWT_SECRET: randomBytes(32).toString('hex'), DATA_DIR: dataDir, ...env })
}

export interface TestApp {
  app: FastifyInstance
  db: Database
  config: Config
  /** An access token for a seeded user, on a fresh session. */
  tokenFor(email: string): Promise<string>
  userId(email: string): Promise<string>
  /** GET/POST… with a Bearer token for `as` (an email) when given; returns status, headers and parsed JSON. */
  call(options: InjectOptions & { as?: string }): Promise<{ status: number; headers: Record<string, unknown>; body: any }>
  graphql(query: string, variables?: Record<string, unknown>, as?: string): Promise<{ status: number; body: any }>
}

export interface TestAppOptions extends Omit<BuildOptions, 'database'> {
  /** Wraps the fresh database before the app gets it (e.g. to count the queries the app issues). */
  adaptDatabase?: (db: Database) => Database
}

export async function buildTestApp(t: Teardown, env: Record<string, string> = {}, options: TestAppOptions = {}): Promise<TestApp> {
  const { adaptDatabase, ...buildOptions } = options
  const fresh = await freshDatabase(t)
  const db = adaptDatabase ? adaptDatabase(fresh) : fresh
  const config = testConfig(env)
  const app = await buildApp(config, { ...buildOptions, database: db })
  t.teardown(() => app.close())
  const tokens = new Map<string, string>()
  const userId = async (email: string) => (await db.prisma.user.findUniqueOrThrow({ where: { email }, select: { id: true } })).id
  const tokenFor = async (email: string) => {
    const known = tokens.get(email)
    if (known) return known
    const id = await userId(email)
    const session = await startSession(db.prisma, id, 3600)
    const token = app.accessTokens.issue(id, session.id).accessToken
    tokens.set(email, token)
    return token
  }
  const call: TestApp['call'] = async ({ as, headers, ...options }) => {
    const auth = as ? { authorization: `Bearer ${await tokenFor(as)}` } : {}
    const res = await app.inject({ ...options, headers: { ...auth, ...headers } })
    let body: unknown = res.body
    try {
      body = res.json()
    } catch {
      // not JSON: keep the text
    }
    return { status: res.statusCode, headers: res.headers, body }
  }
  const graphql: TestApp['graphql'] = (query, variables, as) => call({ method: 'POST', url: '/graphql', payload: { query, variables }, as })
  return { app, db, config, tokenFor, userId, call, graphql }
}
