// The process itself: it starts from the environment, serves, and on SIGTERM finishes the request
// in flight, closes the database and exits 0. A bad setting stops it at once with a clear message.
import t from 'tap'
import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { projectPath } from '../src/paths.js'
import { openDatabase } from '../src/db/database.js'
import { migrate } from '../src/db/migrate.js'
import { seedDemoData } from '../src/db/seed.js'
import { scratchDatabaseUrl } from './helper.js'

const SERVER = projectPath('src', 'server.ts')

function start(env: Record<string, string>) {
  // node itself runs the server (tsx only as a loader), so the signal reaches it directly.
  const child = spawn(process.execPath, ['--import', 'tsx', SERVER], {
    cwd: projectPath(),
    env: { PATH: process.env.PATH ?? '', NODE_ENV: 'development', LOG_LEVEL: 'info', HOST: '127.0.0.1', PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  child.stdout.on('data', (chunk) => (output += chunk))
  child.stderr.on('data', (chunk) => (output += chunk))
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
  const listening = new Promise<string>((resolve, reject) => {
    const check = setInterval(() => {
      const match = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(output)
      if (match) {
        clearInterval(check)
        resolve(match[1]!)
      }
    }, 50)
    void exited.then(() => {
      clearInterval(check)
      reject(new Error(`the server exited:\n${output}`))
    })
  })
  listening.catch(() => {}) // awaited by the tests that expect a start
  return { child, exited, listening, output: () => output }
}

t.test('serves, then stops cleanly on SIGTERM', async (t) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'gw-server-'))
  const env: Record<string, string> = { DATA_DIR: dataDir }
  if (process.env.DATABASE_URL) {
    // On PostgreSQL the server does not migrate by itself (npm run db:migrate does): do it first.
    env.DATABASE_URL = await scratchDatabaseUrl(t, process.env.DATABASE_URL)
    const db = await openDatabase({ databaseUrl: env.DATABASE_URL, dataDir: 'memory://', poolSize: 1 })
    await migrate(db)
    await db.close()
  }
  const server = start(env)
  t.teardown(() => void server.child.kill('SIGKILL'))
  const base = await server.listening
  const health = await fetch(`${base}/health`)
  t.equal(health.status, 200)
  if (!process.env.DATABASE_URL) t.ok(existsSync(join(dataDir, 'pglite.pid')), 'the embedded database is held')

  // A login (argon2: tens of milliseconds) is in flight when the signal arrives.
  const inFlight = fetch(`${base}/user/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'nobody@demo.test', password: 'Wrong-Password-1' }),
  })
  await new Promise((resolve) => setTimeout(resolve, 5))
  server.child.kill('SIGTERM')
  const answered = await inFlight
  t.equal(answered.status, 401, 'the request in flight is answered, not cut')
  t.equal(await server.exited, 0, `exits 0:\n${server.output().slice(-1500)}`)
  t.match(server.output(), /stopping: finishing in-flight requests/)
  if (!process.env.DATABASE_URL) t.notOk(existsSync(join(dataDir, 'pglite.pid')), 'the embedded database was closed')
})

t.test('a bad setting stops the start with a message naming it', async (t) => {
  const server = start({ PORT: 'eighty', DATA_DIR: mkdtempSync(join(tmpdir(), 'gw-server-')) })
  t.equal(await server.exited, 1)
  t.match(server.output(), /PORT must be a whole number/)
  t.notMatch(server.output(), /at .*\.ts:\d+/, 'no stack trace')
})

t.test('npm run token works on a stopped gateway, and its token is accepted once the gateway runs', async (t) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'gw-token-'))
  const env: Record<string, string> = { DATA_DIR: dataDir }
  if (process.env.DATABASE_URL) {
    env.DATABASE_URL = await scratchDatabaseUrl(t, process.env.DATABASE_URL)
    const db = await openDatabase({ databaseUrl: env.DATABASE_URL, dataDir: 'memory://', poolSize: 1 })
    await migrate(db)
    await seedDemoData(db) // on PostgreSQL, npm run db:seed does this
    await db.close()
  }
  // On the embedded database nothing has run yet: the script migrates and seeds, as a first start would.
  const script = spawn(process.execPath, ['--import', 'tsx', projectPath('scripts', 'token.ts'), 'Owner@Demo.test'], {
    cwd: projectPath(),
    env: { PATH: process.env.PATH ?? '', NODE_ENV: 'development', ...env },
  })
  let out = ''
  script.stdout.on('data', (chunk) => (out += chunk))
  const code = await new Promise((resolve) => script.once('exit', resolve))
  t.equal(code, 0)
  const token = out.trim().split('\n').at(-1)!
  t.match(token, /^[\w-]+\.[\w-]+\.[\w-]+$/, 'the last line is the token')

  const server = start(env)
  t.teardown(() => void server.child.kill('SIGKILL'))
  const base = await server.listening
  const res = await fetch(`${base}/user/profile`, { headers: { authorization: `Bearer ${token}` } })
  t.equal(res.status, 200)
  t.equal(((await res.json()) as { data: { email: string } }).data.email, 'owner@demo.test')
  server.child.kill('SIGTERM')
  t.equal(await server.exited, 0)
})
