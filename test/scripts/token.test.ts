// npm run token: prints an access token for a user of the configured database; on a PostgreSQL database that is
// not migrated yet it says to run npm run db:migrate (as /ready does) and exits non-zero, without a stack trace.
import t from 'tap'
import { execFile } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { projectPath } from '../../src/paths.js'
import { openDatabase } from '../../src/db/database.js'
import { migrate } from '../../src/db/migrate.js'
import { seedDemoData } from '../../src/db/seed.js'
import { NO_COVERAGE, scratchDatabaseUrl, TEST_PASSWORD_HASH_COST } from '../helper.js'

const run = promisify(execFile)

/** npm run -s token -- <email>: its exit code and output. */
async function token(email: string, env: Record<string, string>) {
  return run('npm', ['run', '-s', 'token', '--', email], {
    cwd: projectPath(),
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', NODE_ENV: 'test', LOG_LEVEL: 'silent', ...NO_COVERAGE, ...env },
  }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (err: { code?: number; stdout?: string; stderr?: string }) => ({
      code: err.code ?? -1,
      stdout: err.stdout ?? '',
      stderr: err.stderr ?? '',
    }),
  )
}

const JWT = /^[\w-]+\.[\w-]+\.[\w-]+$/

// Each run tests the database it is given: PostgreSQL with DATABASE_URL, the embedded database without.
const base = process.env.DATABASE_URL
if (base) {
  t.test('PostgreSQL not migrated yet: the db:migrate hint and a non-zero exit; migrated: a token', async (t) => {
    const url = await scratchDatabaseUrl(t, base)
    const dataDir = mkdtempSync(join(tmpdir(), 'gw-token-'))
    t.teardown(() => rmSync(dataDir, { recursive: true, force: true }))
    const env = { DATABASE_URL: url, DATA_DIR: dataDir }
    const refused = await token('owner@demo.test', env)
    t.equal(refused.code, 1, 'exits 1')
    t.match(refused.stderr, /the database is not migrated: \d+ of \d+ migrations not applied \(run npm run db:migrate first\)/)
    t.notMatch(refused.stderr + refused.stdout, /does not exist|\n\s+at |Prisma|PrismaClient/, "no stack trace, no Prisma's message")
    t.equal(refused.stdout, '', 'no token')

    const db = await openDatabase({ databaseUrl: url, dataDir: 'memory://', poolSize: 1 })
    await migrate(db)
    await seedDemoData(db, TEST_PASSWORD_HASH_COST)
    await db.close()
    const issued = await token('owner@demo.test', env)
    t.equal(issued.code, 0, issued.stderr)
    t.match(issued.stdout.trim().split('\n').at(-1), JWT, 'the last line is the token')
    const unknown = await token('nobody@demo.test', env)
    t.equal(unknown.code, 1)
    t.match(unknown.stderr, /no user with email nobody@demo\.test/)
  })
} else {
  t.test('the embedded database: migrated and seeded by the script itself, as a first start would', async (t) => {
    const dataDir = mkdtempSync(join(tmpdir(), 'gw-token-'))
    t.teardown(() => rmSync(dataDir, { recursive: true, force: true }))
    const issued = await token('owner@demo.test', { DATA_DIR: dataDir, SEED_DEMO_DATA: 'true' })
    t.equal(issued.code, 0, issued.stderr)
    t.match(issued.stdout.trim().split('\n').at(-1), JWT, 'the last line is the token')
  })
}
