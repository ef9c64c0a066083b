// Builds the real app on a real, fresh database per test file: PostgreSQL when DATABASE_URL is set
// (a scratch database, dropped afterwards), otherwise embedded PGlite in memory.
import { createHash, randomBytes } from 'node:crypto'
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
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
import type { PasswordHashCost } from '../src/crypto/passwords.js'
import { slimTemplate } from './slimTemplate.js'
import { scratchDir } from './scratch.js'

/** What a child process of a test takes (`node --import <it> file.ts`) to run TypeScript as the test processes do. */
export const TYPESCRIPT_LOADER = projectPath('test', 'typescript.mjs')

/**
 * For the environment of a child process that runs the build (dist/) or tsx instead of the TypeScript as the test
 * processes run it: no coverage. tap's process-info hook gives every child Node process coverage, even one spawned
 * with an environment of its own; the build's and tsx's code is not the source the test processes run, and its
 * coverage, mapped back onto src/ through source maps, would be merged with theirs offset by offset into nonsense.
 */
export const NO_COVERAGE = { _TAPJS_PROCESSINFO_COVERAGE_: '0' }

export interface Teardown {
  teardown(fn: () => unknown): void
}

/**
 * A scratch database on the DATABASE_URL server, dropped at teardown (after later teardowns): empty, or a
 * copy of `template` (a database nothing is connected to).
 */
export async function scratchDatabaseUrl(t: Teardown, base: string, template?: string): Promise<string> {
  const name = `gw_test_${randomBytes(6).toString('hex')}`
  const admin = new pg.Client({ connectionString: base })
  await admin.connect()
  await admin.query(template ? `CREATE DATABASE ${name} TEMPLATE ${template}` : `CREATE DATABASE ${name}`)
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

/**
 * The password hash cost of the suite: argon2id at its smallest (OWASP's 19 MiB × 2 passes is the
 * production floor; the configuration accepts less only with NODE_ENV=test). The seeded users' hashes
 * are made at it, so a login neither pays full cost nor rehashes. A test passes PASSWORD_HASH_* to override.
 */
export const TEST_PASSWORD_HASH_COST: PasswordHashCost = { memoryKiB: 8, iterations: 1 }

/** A fresh, migrated database; dropped (PostgreSQL) or discarded (PGlite) at teardown. */
export async function freshDatabase(t: Teardown, options: { seed?: boolean } = {}): Promise<Database> {
  const seed = options.seed !== false
  const base = process.env.DATABASE_URL
  let db: Database
  ;(globalThis as any).__testDatabases = ((globalThis as any).__testDatabases ?? 0) + 1
  if (base) {
    // A copy of a migrated (and seeded) template database: CREATE DATABASE … TEMPLATE copies files, no SQL runs.
    const url = await scratchDatabaseUrl(t, base, await postgresTemplate(base, seed))
    db = await openDatabase({ databaseUrl: url, dataDir: 'memory://', poolSize: 5 })
  } else {
    db = await openDatabase({ dataDir: 'memory://', template: await pgliteTemplate(seed), sharedBuffers: TEST_SHARED_BUFFERS })
  }
  t.teardown(() => db.close().catch(() => {}))
  return db
}

/** What shapes a template: the migrations, the seed, the hash cost and (for PGlite) its version. */
function templateKey(seed: boolean, ...more: string[]): string {
  const key = createHash('sha256')
  for (const m of readMigrations()) key.update(m.name).update(m.checksum)
  key.update(readFileSync(projectPath('src', 'db', 'seed.ts'))).update(String(seed))
  key.update(JSON.stringify(TEST_PASSWORD_HASH_COST))
  for (const part of more) key.update(part)
  return key.digest('hex').slice(0, 16)
}

async function migrateAndSeed(db: Database, seed: boolean) {
  await migrate(db)
  if (seed) await seedDemoData(db, TEST_PASSWORD_HASH_COST)
}

/**
 * The name of a migrated (optionally seeded) template database on the DATABASE_URL server, built once per
 * key by whichever test process renames its build first, under a temporary name
 * that is renamed when complete: a half-built template is never copied. Kept between runs, keyed by content.
 */
async function postgresTemplate(base: string, seed: boolean): Promise<string> {
  const name = `gw_template_${templateKey(seed)}`
  const admin = new pg.Client({ connectionString: base })
  await admin.connect()
  try {
    const { rowCount } = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])
    if (rowCount !== 0) return name
    // No lock (a session-level advisory lock outlives its client behind a transaction-mode PgBouncer and
    // deadlocks the next file): each process that finds no template builds its own under a unique name, and
    // the first rename wins; a loser drops its copy and uses the winner's.
    const building = `${name}_b${randomBytes(4).toString('hex')}`
    await admin.query(`CREATE DATABASE ${building}`)
    const url = new URL(base)
    url.pathname = `/${building}`
    const db = await openDatabase({ databaseUrl: url.toString(), dataDir: 'memory://', poolSize: 1 })
    try {
      await migrateAndSeed(db, seed)
    } finally {
      await db.close()
    }
    // A closed client's backend may linger a moment; nothing may be connected to a database renamed or copied.
    await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [building])
    try {
      await admin.query(`ALTER DATABASE ${building} RENAME TO ${name}`)
    } catch (err) {
      if ((err as { code?: string }).code !== '42P04') throw err // 42P04 duplicate_database: another process won
      await admin.query(`DROP DATABASE IF EXISTS ${building} WITH (FORCE)`)
    }
  } finally {
    await admin.end()
  }
  return name
}

/** The templates this process has read, by file: read once, then every database of the file starts from memory. */
const pgliteTemplates = new Map<string, Uint8Array>()
/** A test database's buffer pool: starting PGlite initialises all of it (128MB by default: ~1 s of CPU per app). */
const TEST_SHARED_BUFFERS = '2MB'

/**
 * A fresh PGlite cluster costs seconds of initdb; loading a dumped one is several times faster.
 * The dump (migrated, optionally seeded) is cached on disk, keyed by everything that shapes it.
 */
async function pgliteTemplate(seed: boolean): Promise<Uint8Array> {
  const pglite = readFileSync(projectPath('node_modules', '@electric-sql', 'pglite', 'package.json'), 'utf8')
  const file = join(
    tmpdir(),
    `gw-pglite-template-${templateKey(seed, pglite, readFileSync(projectPath('test', 'slimTemplate.ts'), 'utf8'))}.tar`,
  )
  const inMemory = pgliteTemplates.get(file)
  if (inMemory) return inMemory
  if (existsSync(file)) {
    const bytes = new Uint8Array(readFileSync(file))
    pgliteTemplates.set(file, bytes)
    return bytes
  }
  const db = await openDatabase({ dataDir: 'memory://', sharedBuffers: TEST_SHARED_BUFFERS })
  await migrateAndSeed(db, seed)
  const dump = await db.dumpDataDir!()
  await db.close()
  const bytes = slimTemplate(new Uint8Array(await dump.arrayBuffer()))
  // Write then rename: parallel test files never read a half-written template.
  const partial = `${file}.${process.pid}`
  writeFileSync(partial, bytes)
  renameSync(partial, file)
  pgliteTemplates.set(file, bytes)
  return bytes
}

/**
 * Waits until the app answers /ready with 200 (its database and, with REDIS_URL, its Redis connection are up),
 * as a load balancer would before sending it traffic: a test of what Redis counts must not race the first
 * connection of a loaded machine. Gives up (and the test's own assertions then fail) after `tries` probes.
 */
export async function untilReady(app: FastifyInstance, tries = 200): Promise<void> {
  for (let i = 0; i < tries; i++) {
    if ((await app.inject({ method: 'GET', url: '/ready' })).statusCode === 200) return
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

export function testConfig(env: Record<string, string> = {}): Config {
  const dataDir = scratchDir('gw-test-')
  // The cheap hash is allowed only with NODE_ENV=test: an app built as production or development hashes at full cost.
  const cheapHash =
    (env.NODE_ENV ?? 'test') === 'test'
      ? {
          PASSWORD_HASH_MEMORY_KIB: String(TEST_PASSWORD_HASH_COST.memoryKiB),
          PASSWORD_HASH_ITERATIONS: String(TEST_PASSWORD_HASH_COST.iterations),
        }
      : {}
  return loadConfig({
    NODE_ENV: 'test',
    JWT_SECRET: randomBytes(32).toString('hex'),
    DATA_DIR: dataDir,
    ...cheapHash,
    ...env,
  })
}

/** Response serializers compiled by one test process and loaded by the next (src/edge/serializers.ts). */
export const COMPILED_SCHEMAS_DIR = projectPath('node_modules', '.cache', 'account-gateway', 'serializers')

export interface TestApp {
  app: FastifyInstance
  db: Database
  config: Config
  /** An access token for a seeded user, on a fresh session, as a password login makes one. */
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
  const started = performance.now()
  const fresh = await freshDatabase(t)
  const db = adaptDatabase ? adaptDatabase(fresh) : fresh
  const config = testConfig(env)
  const app = await buildApp(config, { compiledSchemasDir: COMPILED_SCHEMAS_DIR, ...buildOptions, database: db })
  ;(globalThis as any).__testAppMs = ((globalThis as any).__testAppMs ?? 0) + performance.now() - started
  t.teardown(() => app.close())
  const tokens = new Map<string, string>()
  const userId = async (email: string) => (await db.prisma.user.findUniqueOrThrow({ where: { email }, select: { id: true } })).id
  const tokenFor = async (email: string) => {
    const known = tokens.get(email)
    if (known) return known
    const id = await userId(email)
    // As a password login would: the session starts with its password just proven (recent authentication).
    const session = await startSession(db.prisma, id, 3600, { credentialsProvenAt: new Date() })
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

/**
 * Milliseconds of CPU this process has used (all its threads: the app, its database, its hashing pool). A bound on
 * work done in-process is put on this, not on the wall clock, which a loaded machine stretches at will.
 */
export function cpuMs(): number {
  const { user, system } = process.cpuUsage()
  return (user + system) / 1000
}
