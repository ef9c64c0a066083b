// @ts-check
// Before `npm test`: what the suite needs besides npm packages, checked in a second or two instead of
// tests failing (or hanging) one by one. Chromium for test/browser: installed from Debian's packages
// when run as root, else a one-line instruction. Redis for the shared attempt counters: must answer.
// Exits non-zero, with one line per missing thing, when something is missing.
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { Redis } from 'ioredis'

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH || '/usr/bin/chromium'
export const REDIS_URL = process.env.REDIS_URL || 'redis://127.0.0.1:6379'

/** The URL without its password, for messages. */
export const redactedUrl = (/** @type {string} */ url) => url.replace(/\/\/([^:@/]*):[^@/]*@/, '//$1:***@')

/** '' when a Redis answers PING at url within timeoutMs, else why not. */
export async function redisProblem(url = REDIS_URL, timeoutMs = 1_500) {
  const redis = new Redis(url, {
    lazyConnect: true,
    connectTimeout: timeoutMs,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    retryStrategy: () => null,
  })
  let cause = '' // the socket's own error (ECONNREFUSED…) says more than connect()'s "Connection is closed."
  redis.on('error', (err) => (cause ||= err.message))
  try {
    await redis.connect()
    await redis.ping()
    return ''
  } catch (err) {
    return (
      `Redis does not answer at ${redactedUrl(url)} (${cause || (err instanceof Error ? err.message : err)}): ` +
      'start one (apt-get install -y redis-server; redis-server --daemonize yes) or set REDIS_URL'
    )
  } finally {
    redis.disconnect()
  }
}

function chromiumProblem() {
  if (existsSync(CHROMIUM_PATH)) return ''
  const isRoot = process.getuid?.() === 0
  if (isRoot && !process.env.CHROMIUM_PATH && existsSync('/usr/bin/apt-get')) {
    console.error("test prerequisites: installing Chromium from Debian's packages (apt-get install chromium)")
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' }
    const update = spawnSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env })
    const install =
      update.status === 0 && spawnSync('apt-get', ['install', '-y', '-qq', 'chromium'], { stdio: ['ignore', 'ignore', 'inherit'], env })
    if (install && install.status === 0 && existsSync(CHROMIUM_PATH)) return ''
  }
  return `Chromium not found at ${CHROMIUM_PATH} (test/browser needs it): run sudo apt-get install -y chromium, or set CHROMIUM_PATH`
}

/** On PostgreSQL, test/db/pgbouncer.test.ts runs PgBouncer: scripts/pgbouncer.sh installs it as root. */
function pgbouncerProblem() {
  if (!process.env.DATABASE_URL) return ''
  const install = spawnSync('bash', [fileURLToPath(new URL('pgbouncer.sh', import.meta.url)), 'install'], {
    stdio: ['ignore', 'ignore', 'inherit'],
  })
  return install.status === 0
    ? ''
    : 'PgBouncer not found (test/db/pgbouncer.test.ts needs it on PostgreSQL): run sudo apt-get install -y pgbouncer'
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const problems = [chromiumProblem(), await redisProblem(), pgbouncerProblem()].filter(Boolean)
  for (const problem of problems) console.error(`test prerequisites: ${problem}`)
  if (problems.length > 0) process.exit(1)
  const database = process.env.DATABASE_URL ? `PostgreSQL at ${redactedUrl(process.env.DATABASE_URL)}` : 'the embedded database'
  console.error(`test prerequisites: ${database}, Redis at ${redactedUrl(REDIS_URL)}, Chromium at ${CHROMIUM_PATH}`)
}
