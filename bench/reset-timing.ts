// npx tsx bench/reset-timing.ts: does POST /user/request-reset-password tell, by its timing, whether an
// account exists? Starts a gateway in this process (the embedded database, or DATABASE_URL's server in a
// scratch database) over real HTTP, alternates requests for a seeded account and for unknown addresses
// (RESET_TIMING_PAIRS pairs, each unknown right behind an existing one), and prints both means, standard
// deviations and Welch's z. |z| < 3: no difference the measurement can see.
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { buildApp } from '../src/app.js'
import { loadConfig } from '../src/config.js'
import { scratchBenchDatabase } from './scratchDatabase.js'

const PAIRS = Number(process.env.RESET_TIMING_PAIRS ?? 200)
const dataDir = mkdtempSync(join(tmpdir(), 'gw-reset-timing-'))
const { database, drop: dropDatabase } = await scratchBenchDatabase('gw_bench_reset_timing', dataDir, { seed: true })
const limit = String(PAIRS * 4)
const config = loadConfig({
  ...process.env,
  NODE_ENV: 'development',
  LOG_LEVEL: 'warn',
  DATA_DIR: dataDir,
  JWT_SECRET: 'reset-timing-'.padEnd(40, 'x'),
  RATE_LIMIT_PASSWORD_RESET_PER_ADDRESS: limit,
  RATE_LIMIT_PASSWORD_RESET_PER_ACCOUNT: limit,
})
const app = await buildApp(config, database ? { database } : {})
await app.listen({ port: 0, host: '127.0.0.1' })
const base = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`

async function timed(email: string): Promise<number> {
  const started = performance.now()
  const res = await fetch(`${base}/user/request-reset-password`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email }),
  })
  await res.text()
  if (res.status !== 200) throw new Error(`answered ${res.status}`)
  return performance.now() - started
}

const existing: number[] = []
const unknown: number[] = []
for (let i = 0; i < 10; i++) await timed(`warm-${i}@nowhere.test`)
for (let i = 0; i < PAIRS; i++) {
  existing.push(await timed('user@demo.test'))
  unknown.push(await timed(`nobody-${i}@nowhere.test`))
}
const stats = (xs: number[]) => {
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length
  const variance = xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (xs.length - 1)
  return { mean, sd: Math.sqrt(variance) }
}
const e = stats(existing)
const u = stats(unknown)
const z = (e.mean - u.mean) / Math.sqrt(e.sd ** 2 / existing.length + u.sd ** 2 / unknown.length)
console.log(`${database ? 'PostgreSQL' : 'embedded database'}, ${PAIRS} pairs`)
console.log(`existing account: ${e.mean.toFixed(2)} ms ± ${e.sd.toFixed(2)}`)
console.log(`unknown address:  ${u.mean.toFixed(2)} ms ± ${u.sd.toFixed(2)}`)
console.log(`Welch z = ${z.toFixed(2)} (${Math.abs(z) < 3 ? 'no visible difference' : 'DIFFERENT'})`)
await app.close()
await dropDatabase()
