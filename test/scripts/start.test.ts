// npm start on this project (scripts/start.js): once built, a start builds nothing, serves, and stops
// cleanly on SIGTERM, the signal reaching the server that runs in the same process.
import t from 'tap'
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { buildStale } from '../../scripts/build.js'
import { projectPath } from '../../src/paths.js'
import { openDatabase } from '../../src/db/database.js'
import { migrate } from '../../src/db/migrate.js'
import { NO_COVERAGE, scratchDatabaseUrl } from '../helper.js'

t.test('npm start on this project: a warm start builds nothing and serves', async (t) => {
  buildStale() // a fresh clone builds here, once
  const dataDir = mkdtempSync(join(tmpdir(), 'gw-start-'))
  t.teardown(() => rmSync(dataDir, { recursive: true, force: true }))
  const env: Record<string, string> = { DATA_DIR: dataDir }
  if (process.env.DATABASE_URL) {
    // On PostgreSQL the server does not migrate by itself (npm run db:migrate does): do it first.
    env.DATABASE_URL = await scratchDatabaseUrl(t, process.env.DATABASE_URL)
    const db = await openDatabase({ databaseUrl: env.DATABASE_URL, dataDir: 'memory://', poolSize: 1 })
    await migrate(db)
    await db.close()
  }
  const began = Date.now()
  const child = spawn(process.execPath, [projectPath('scripts', 'start.js')], {
    cwd: projectPath(),
    env: {
      ...NO_COVERAGE,
      PATH: process.env.PATH ?? '',
      NODE_ENV: 'test',
      LOG_LEVEL: 'info',
      PORT: '0',
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      SEED_DEMO_DATA: 'false',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  t.teardown(() => void child.kill('SIGKILL'))
  let output = ''
  child.stdout.on('data', (chunk) => (output += chunk))
  child.stderr.on('data', (chunk) => (output += chunk))
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve))
  const base = await new Promise<string>((resolve, reject) => {
    const check = setInterval(() => {
      const match = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(output)
      if (!match) return
      clearInterval(check)
      resolve(match[1]!)
    }, 50)
    void exited.then(() => {
      clearInterval(check)
      reject(new Error(`npm start exited:\n${output}`))
    })
  })
  t.notMatch(output, /building the/, `no build step ran (listening after ${Date.now() - began} ms)`)
  t.equal((await fetch(`${base}/health`)).status, 200)
  t.equal((await fetch(`${base}/ready`)).status, 200, 'the compiled server reaches its database')
  child.kill('SIGTERM')
  t.equal(await exited, 0, 'it stops cleanly: the signal reaches the server in the same process')
})
