// npx tsx bench/refusals.ts: starts a gateway in this process (the embedded database in a scratch
// directory, or DATABASE_URL's server in a scratch database) and sends it the abusive requests of
// issues 7 and 13 and the 20 × `sessions` of the safety issue (item 2) over real HTTP, each REFUSAL_RUNS times: the time and the process's CPU time per run
// (client included), the answer's size and status, and the worst event-loop delay while it ran (perf_hooks.monitorEventLoopDelay; the client
// shares the loop, so the figure includes its own small share). With the embedded database its queries
// run on this loop too.
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { monitorEventLoopDelay } from 'node:perf_hooks'
import { buildApp } from '../src/app.js'
import { loadConfig } from '../src/config.js'
import { scratchBenchDatabase } from './scratchDatabase.js'

const RUNS = Number(process.env.REFUSAL_RUNS ?? 5)
const dataDir = mkdtempSync(join(tmpdir(), 'gw-refusals-'))
const { database, drop: dropDatabase } = await scratchBenchDatabase('gw_bench_refusals', dataDir)
const config = loadConfig({
  ...process.env,
  NODE_ENV: 'production',
  JWT_SECRET: randomBytes(32).toString('hex'),
  DATA_DIR: dataDir,
  LOG_LEVEL: 'warn',
  MAIL_FEATURES: 'none',
})
const app = await buildApp(config, { database })
await app.listen({ port: 0, host: '127.0.0.1' })
const address = app.server.address()
const base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`
console.log(`gateway on ${base} (${database ? 'PostgreSQL' : 'embedded database'}), ${RUNS} runs per request`)

async function post(path: string, body: unknown, token?: string) {
  const started = performance.now()
  const res = await fetch(base + path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token && { authorization: `Bearer ${token}` }) },
    body: JSON.stringify(body),
  })
  const text = await res.text()
  return { ms: performance.now() - started, status: res.status, bytes: Buffer.byteLength(text), json: JSON.parse(text) }
}

const email = `abuse-${randomBytes(4).toString('hex')}@example.com`
const registered = await post('/user/register', {
  email,
  password: 'Abusive-Passw0rd',
  firstName: 'Abu',
  lastName: 'Sive',
  companyName: 'Abuse Ltd',
  isBusiness: false,
})
if (registered.status !== 201) throw new Error(`register: ${registered.status} ${JSON.stringify(registered.json)}`)
const { accessToken, user } = registered.json
const aliased = (n: number, field: string) => Array.from({ length: n }, (_, i) => `a${i}: ${field}`).join(' ')
/** Issue 13 item 1: `me { ...P0 }`, each fragment spreading the next twice (or as `spread` says). */
const doubling = (levels: number, spread = (next: string) => `...${next} ...${next}`) =>
  `query { me { ...P0 } } ${Array.from({ length: levels }, (_, i) => `fragment P${i} on Profile { ${spread(`P${i + 1}`)} }`).join(' ')} fragment P${levels} on Profile { id }`
const fragmentsOf = (document: string) => document.replace(/^query \{ me \{ \.\.\.P0 \} \} /, '')

const requests: [string, string, string?][] = [
  [
    '300 aliased updateUser(password)',
    `mutation { ${aliased(300, `updateUser(id: "${user.id}", input: { password: "Changed-Passw0rd" }) { success message }`)} }`,
  ],
  ['1,000 aliased organizationUsers(limit: 200)', `{ ${aliased(1000, 'organizationUsers(limit: 200) { data { id email } total }')} }`],
  ['60 KB of 10,000 me{id}', `{${'me{id}'.repeat(10_000)}}`],
  ['doubling fragments, 23 levels', doubling(23)],
  ['doubling fragments, 60 levels', doubling(60)],
  ['doubling inline fragments, 30 levels', doubling(30, (n) => `... on Profile { ...${n} } ... on Profile { ...${n} }`)],
  ['doubling spreads @include/@skip, 30 levels', doubling(30, (n) => `...${n} @include(if: false) ...${n} @skip(if: true)`)],
  ['doubling spreads + aliases, 30 levels', doubling(30, (n) => `a: id ...${n} b: id ...${n}`)],
  ['20 aliased me × 6 doubling levels', `{ ${aliased(20, 'me { ...P0 }')} } ${fragmentsOf(doubling(6))}`],
  [
    '100 operations × one fragment',
    `${Array.from({ length: 100 }, (_, i) => `query Q${i} { me { ...F } }`).join(' ')} fragment F on Profile { ${'id email name '.repeat(3)}firstName }`,
    'Q7',
  ],
  ['doubling fragments, 8 levels (fits)', doubling(8)],
  ['20 aliased me × 3 doubling levels (fits)', `{ ${aliased(20, 'me { ...P0 }')} } ${fragmentsOf(doubling(3))}`],
  [
    '50 operations × one fragment (fits)',
    `${Array.from({ length: 50 }, (_, i) => `query Q${i} { me { ...F } }`).join(' ')} fragment F on Profile { id email }`,
    'Q7',
  ],
]

// Safety issue item 2: a user with ~2,000 sessions of 4 KB deviceInfo each (written directly, for speed),
// then 20 aliased `sessions`: with deviceInfo (refused by its cost), without (answered: 20 pages of 100).
const SESSIONS = Number(process.env.REFUSAL_SESSIONS ?? 2000)
const now = Date.now()
for (let i = 0; i < SESSIONS; i += 500) {
  await app.db.prisma.session.createMany({
    data: Array.from({ length: Math.min(500, SESSIONS - i) }, (_, j) => ({
      userId: user.id,
      createdAt: new Date(now - 60_000 - (i + j) * 1000),
      expiresAt: new Date(now + 86_400_000),
      deviceInfo: { userAgent: `bench ${i + j}`, notes: 'x'.repeat(4000) },
    })),
  })
}
requests.push(
  [`20 aliased sessions + deviceInfo (${SESSIONS + 1} sessions)`, `{ ${aliased(20, 'sessions { tokenId userAgent deviceInfo }')} }`],
  [`20 aliased sessions, no deviceInfo (fits)`, `{ ${aliased(20, 'sessions { tokenId createdAt userAgent ipAddress current }')} }`],
  [`20 aliased sessions(limit: 50) + deviceInfo (fits)`, `{ ${aliased(20, 'sessions(limit: 50) { tokenId deviceInfo }')} }`],
)

const delay = monitorEventLoopDelay({ resolution: 5 })
delay.enable()
let worst = 0
// Warm up: the first request pays for the session lookup and the first queries.
await post('/graphql', { query: '{ me { id } }' }, accessToken)
for (const [name, query, operationName] of requests) {
  const times: number[] = []
  const cpu: number[] = []
  let last: Awaited<ReturnType<typeof post>> | undefined
  delay.reset()
  for (let run = 0; run < RUNS; run++) {
    const before = process.cpuUsage()
    last = await post('/graphql', { query, operationName }, accessToken)
    const used = process.cpuUsage(before)
    times.push(last.ms)
    cpu.push((used.user + used.system) / 1000)
  }
  const delayMs = delay.max / 1e6
  worst = Math.max(worst, delayMs)
  const error = last!.json.errors?.[0]
  const outcome = error ? (error.extensions?.reason ?? error.extensions?.code ?? '-') : 'answered'
  console.log(
    `${name.padEnd(45)} ${String(Buffer.byteLength(query)).padStart(6)} B  HTTP ${last!.status} ${outcome.padEnd(10)} ` +
      `answer ${String(last!.bytes).padStart(7)} B  worst loop delay ${delayMs.toFixed(1).padStart(6)} ms  ` +
      `ms per run: ${times.map((t) => t.toFixed(1)).join(' ')}  CPU ms: ${cpu.map((t) => t.toFixed(1)).join(' ')}` +
      `${error ? `  (${error.message})` : ''}`,
  )
}
delay.disable()
console.log(`worst event-loop delay over all requests: ${worst.toFixed(1)} ms`)
const login = await post('/user/login', { email, password: 'Abusive-Passw0rd' })
console.log(`the original password still logs in: HTTP ${login.status}`)
await app.close()
if (database) await database.close()
await dropDatabase()
rmSync(dataDir, { recursive: true, force: true })
