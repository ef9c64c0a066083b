// npm run bench: GET /user/profile, the GraphQL `me` query and a hand-written baseline, side by side,
// on PostgreSQL with 10,000 users; GraphQL Yoga and Apollo Server on the same schema and resolvers (bench/peers.ts);
// the gateway on the embedded database (a copy of the same rows). Prints requests/s, p50 and p99 latency, CPU per
// request, each target's throughput as a ratio of the baseline, and the fast-path issue's targets, met or not. Targets run one at a time, each in its own process.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { availableParallelism } from 'node:os'
import { randomBytes } from 'node:crypto'
import autocannon from 'autocannon'
import pg from 'pg'
import { loadConfig } from '../src/config.js'
import { openDatabase } from '../src/db/database.js'
import { migrate } from '../src/db/migrate.js'
import { seedDemoData } from '../src/db/seed.js'
import { createAccessTokens } from '../src/auth/tokens.js'
import { benchDatabaseName } from './settings.js'

const USERS = Number(process.env.BENCH_USERS ?? 10_000)
const DURATION = Number(process.env.BENCH_SECONDS ?? 5)
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5)
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32)
const TOKENS = 200
const adminUrl = process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/test'
const dbName = benchDatabaseName(process.env, adminUrl)

const PROFILE_QUERY = JSON.stringify({
  query: '{ me { id name lastName email orgId orgRole orgRoleDescription orgRoles validated mfaRequired isBusiness } }',
})

async function prepareDatabase(): Promise<string> {
  const admin = new pg.Client({ connectionString: adminUrl })
  await admin.connect()
  await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`)
  await admin.query(`CREATE DATABASE ${dbName}`)
  await admin.end()
  const url = new URL(adminUrl)
  url.pathname = `/${dbName}`
  const db = await openDatabase({ databaseUrl: url.toString(), dataDir: 'memory://', poolSize: 2 })
  await migrate(db)
  await seedDemoData(db)
  const [org] = await db.sql.query<{ id: string }>(`SELECT id FROM organizations WHERE name = 'Demo Org'`)
  // Bulk users in one statement: roles spread over the defined values.
  await db.sql.query(
    `INSERT INTO users (id, email, name, last_name, org_id, org_role, validated, created_at, updated_at)
     SELECT gen_random_uuid(), 'bench' || i || '@bench.test', 'Bench', 'User ' || i, $1,
            (ARRAY[0,1,2,254,255])[1 + i % 5], true, now(), now()
     FROM generate_series(1, $2::int) AS i`,
    [org!.id, USERS],
  )
  await db.sql.exec('ANALYZE')
  await db.close()
  return url.toString()
}

async function issueTokens(databaseUrl: string, secret: string): Promise<string[]> {
  const config = loadConfig({ ...process.env, DATABASE_URL: databaseUrl, JWT_SECRET: secret, NODE_ENV: 'production' })
  const tokens = createAccessTokens(config.jwt)
  const client = new pg.Client({ connectionString: databaseUrl })
  await client.connect()
  const { rows } = await client.query<{ id: string }>(`SELECT id FROM users WHERE email LIKE 'bench%' ORDER BY random() LIMIT ${TOKENS}`)
  const out: string[] = []
  for (const { id } of rows) {
    const session = await client.query<{ id: string }>(
      `INSERT INTO sessions (id, user_id, expires_at) VALUES (gen_random_uuid(), $1, now() + interval '1 day') RETURNING id`,
      [id],
    )
    out.push(tokens.issue(id, session.rows[0]!.id).accessToken)
  }
  await client.end()
  return out
}

// With taskset and two or more cores, every target runs on the last core and the load generator on
// the first, so the target under measurement never competes with autocannon for a core.
const CORES = availableParallelism()
const PIN = CORES >= 2 && spawnSync('taskset', ['-V']).status === 0 && process.env.BENCH_PIN !== '0'
if (PIN) spawnSync('taskset', ['-p', '-c', '0', String(process.pid)])

// A target that fails to start ends the run: the others are stopped with it, not left running.
const children = new Set<ChildProcess>()
process.on('exit', () => {
  for (const child of children) child.kill('SIGTERM')
})

function startTarget(kind: string, name: string, env: NodeJS.ProcessEnv): Promise<{ child: ChildProcess; port: number }> {
  return new Promise((resolve, reject) => {
    // BENCH_PROFILE=dir: every target writes V8 CPU profiles into dir/<its name> when it stops, one per thread (the
    // largest is the main thread's; tsx's loader has one too). npx tsx bench/profile-top.ts <file> reads one.
    const profile = process.env.BENCH_PROFILE
      ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE}/${name.replace(/[^A-Za-z0-9]+/g, '-')}`]
      : []
    const entry = [process.execPath, ...profile, '--import', 'tsx', new URL('./target.ts', import.meta.url).pathname, kind]
    const [command, ...args] = PIN ? ['taskset', '-c', String(CORES - 1), ...entry] : entry
    const child = spawn(command!, args, { env, stdio: ['ignore', 'pipe', 'inherit', 'ipc'] })
    children.add(child)
    child.stdout!.on('data', (chunk: Buffer) => {
      const match = /listening (\d+)/.exec(String(chunk))
      if (match) resolve({ child, port: Number(match[1]) })
    })
    child.once('exit', (code) => reject(new Error(`${kind} exited with ${code}`)))
  })
}

interface Target {
  name: string
  kind: 'gateway' | 'gateway-unlimited' | 'gateway-embedded' | 'baseline' | 'yoga' | 'apollo'
  method: 'GET' | 'POST'
  path: string
  body?: string
  /** Settings of this target's own (e.g. tracing on). */
  env?: Record<string, string>
}

interface Running {
  target: Target
  child: ChildProcess
  port: number
  tokenIndex: number
}

function load(running: Running, tokens: string[], duration: number, overallRate?: number) {
  return autocannon({
    url: `http://127.0.0.1:${running.port}`,
    connections: CONNECTIONS,
    duration,
    // A capped load (requests/s over all connections) instead of as many as the target answers. autocannon's cap is
    // per second: each connection sends as fast as it is answered until it has made its share, then waits for the
    // next second, so the load comes in bursts at full speed (see the README's Benchmark section).
    ...(overallRate !== undefined && { overallRate }),
    requests: [
      {
        method: running.target.method,
        path: running.target.path,
        body: running.target.body,
        setupRequest: (request: autocannon.Request) => ({
          ...request,
          headers: { 'content-type': 'application/json', authorization: `Bearer ${tokens[running.tokenIndex++ % tokens.length]}` },
        }),
      },
    ],
  })
}

/** The target process' resident memory and the CPU time it has used so far. */
function usageOf(child: ChildProcess): Promise<{ rss: number; cpuMicros: number }> {
  return new Promise((resolve) => {
    child.once('message', (m: { rss: number; cpuMicros: number }) => resolve(m))
    child.send('usage')
  })
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!

const databaseUrl = await prepareDatabase()
const secret = randomBytes(32).toString('hex')
const env = { ...process.env, DATABASE_URL: databaseUrl, JWT_SECRET: secret }
const tokens = await issueTokens(databaseUrl, secret)
console.log(
  `PostgreSQL with ${USERS + 8} users; ${CONNECTIONS} connections; ${ROUNDS} rounds of ${DURATION} s per target, alternating, after a 2 s warm-up; ${tokens.length} tokens in rotation`,
)
console.log(
  PIN
    ? `targets pinned to core ${CORES - 1}, the load generator to core 0 (BENCH_PIN=0 to turn off)`
    : 'no core pinning (taskset missing or one core)',
)

const targets: Target[] = [
  { name: 'baseline (hand-written)', kind: 'baseline', method: 'GET', path: '/user/profile' },
  { name: 'REST GET /user/profile', kind: 'gateway', method: 'GET', path: '/user/profile' },
  { name: 'GraphQL { me }', kind: 'gateway', method: 'POST', path: '/graphql', body: PROFILE_QUERY },
  // The peers: the same schema, resolvers, auth and database, another GraphQL engine (bench/peers.ts).
  { name: 'GraphQL Yoga 5 { me }', kind: 'yoga', method: 'POST', path: '/yoga', body: PROFILE_QUERY },
  { name: 'Apollo Server 5 { me }', kind: 'apollo', method: 'POST', path: '/apollo', body: PROFILE_QUERY },
  // npm start's default: the embedded database, holding a copy of the same rows.
  { name: 'REST, embedded database', kind: 'gateway-embedded', method: 'GET', path: '/user/profile' },
]
// BENCH_ONLY='baseline (hand-written),GraphQL { me }': only the targets so named (the fast-path verdicts need them all).
if (process.env.BENCH_ONLY) {
  const only = process.env.BENCH_ONLY.split(',').map((name) => name.trim())
  targets.splice(0, targets.length, ...targets.filter((target) => only.includes(target.name)))
}
// BENCH_TRACING=1: the same two gateway targets again with tracing on, exporting over OTLP/HTTP to a
// collector stand-in here that only counts the spans it receives (to show that none were dropped).
let spansReceived = 0
if (process.env.BENCH_TRACING === '1') {
  const collector = createServer((req, res) => {
    let body = ''
    req.setEncoding('utf8')
    req.on('data', (chunk: string) => (body += chunk))
    req.on('end', () => {
      spansReceived += body.split('"spanId":').length - 1
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}')
    })
  })
  await new Promise<void>((resolve) => collector.listen(0, '127.0.0.1', resolve))
  collector.unref()
  const otel = {
    OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${(collector.address() as AddressInfo).port}`,
    OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json', // what the stand-in counts
  }
  targets.push(
    { name: 'REST, tracing on', kind: 'gateway', method: 'GET', path: '/user/profile', env: otel },
    { name: 'GraphQL, tracing on', kind: 'gateway', method: 'POST', path: '/graphql', body: PROFILE_QUERY, env: otel },
  )
}
// BENCH_COST=1: the same query on a gateway without its cost limits, for what the limits cost.
if (process.env.BENCH_COST === '1') {
  targets.push({ name: 'GraphQL, no cost limits', kind: 'gateway-unlimited', method: 'POST', path: '/graphql', body: PROFILE_QUERY })
}
// Every target stays up (an idle one costs nothing); rounds alternate between them so that a
// passing disturbance on this shared machine hits all of them alike. Medians are reported.
const running: Running[] = []
for (const target of targets)
  running.push({ target, ...(await startTarget(target.kind, target.name, { ...env, ...target.env })), tokenIndex: 0 })
// A benchmark that cannot lie: every target must give the same answer to the same request before it is
// measured (the baseline's body equals the REST route's byte for byte; GraphQL's data.me equals its data).
async function answerOf(r: Running, token: string): Promise<{ status: number; body: string }> {
  const res = await fetch(`http://127.0.0.1:${r.port}${r.target.path}`, {
    method: r.target.method,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    ...(r.target.body && { body: r.target.body }),
  })
  return { status: res.status, body: await res.text() }
}
const sameFields = (a: Record<string, unknown> | undefined, b: Record<string, unknown> | undefined) =>
  !!a &&
  !!b &&
  Object.keys(a).length === Object.keys(b).length &&
  Object.keys(b).every((k) => JSON.stringify(a[k]) === JSON.stringify(b[k]))
const reference = await answerOf(running[1]!, tokens[0]!)
const problems: string[] = []
if (reference.status !== 200) problems.push(`REST answered ${reference.status}: ${reference.body.slice(0, 200)}`)
for (const r of running) {
  const answer = await answerOf(r, tokens[0]!)
  if (answer.status !== 200) problems.push(`${r.target.name} answered ${answer.status}: ${answer.body.slice(0, 200)}`)
  else if (r.target.body) {
    const me = JSON.parse(answer.body).data?.me
    const expected = JSON.parse(reference.body).data
    if (!sameFields(me, expected)) problems.push(`${r.target.name}: data.me ${JSON.stringify(me)} ≠ REST data ${JSON.stringify(expected)}`)
  } else if (answer.body !== reference.body) problems.push(`${r.target.name}: body ${answer.body} ≠ REST body ${reference.body}`)
}
if (problems.length > 0) {
  console.error(`targets disagree, nothing measured:\n  ${problems.join('\n  ')}`)
  for (const r of running) r.child.kill('SIGTERM')
  process.exit(1)
}
console.log('every target gives the same answer to the same request')
const warmUpRequests = new Map<Running, number>()
for (const r of running) warmUpRequests.set(r, (await load(r, tokens, 2)).requests.total) // warm-up: JIT, connection pool, token cache
const samples = new Map<Running, autocannon.Result[]>(running.map((r) => [r, []]))
// CPU time per request is steadier than requests/s when the load generator and PostgreSQL share the cores.
const cpu = new Map<Running, { micros: number; requests: number }>(running.map((r) => [r, { micros: 0, requests: 0 }]))
for (let round = 0; round < ROUNDS; round++) {
  for (const r of running) {
    const before = (await usageOf(r.child)).cpuMicros
    const result = await load(r, tokens, DURATION)
    const after = (await usageOf(r.child)).cpuMicros
    samples.get(r)!.push(result)
    cpu.get(r)!.micros += after - before
    cpu.get(r)!.requests += result.requests.total
  }
}
// Latency under a load the target can carry: p50 and p99 at a fixed 50 % and 90 % of its own peak (the median
// req/s of its rounds), where queueing does not dominate as it does at full speed. BENCH_LATENCY=0 skips it.
const LATENCY = process.env.BENCH_LATENCY !== '0'
const atRate = new Map<Running, { share: number; rate: number; p50: number; p99: number; non2xx: number }[]>()
if (LATENCY) {
  for (const share of [0.5, 0.9]) {
    for (const r of running) {
      const rate = Math.max(1, Math.round(median(samples.get(r)!.map((x) => x.requests.average)) * share))
      const { result, p50, p99 } = await latencyAt(r, rate)
      const list = atRate.get(r) ?? []
      list.push({ share, rate, p50, p99, non2xx: result.non2xx + result.errors })
      atRate.set(r, list)
    }
  }
}

/**
 * p50 and p99 at a capped load (see load()), in hundredths of a millisecond. autocannon's own histogram keeps whole
 * milliseconds (a sub-millisecond median reads 0, and "p99 ≤ 2 × p50" could never hold), so each 2xx answer's time is
 * taken from its 'response' event, with the same correction for coordinated omission autocannon applies at a fixed
 * rate: an answer slower than a connection's interval between requests also stands for the requests it held back.
 */
async function latencyAt(r: Running, rate: number) {
  const interval = (CONNECTIONS * 1000) / rate
  const times: number[] = []
  // Without a callback autocannon returns its instance, an EventEmitter that is also the result's promise.
  const instance = load(r, tokens, DURATION, rate) as Promise<autocannon.Result> & Pick<autocannon.Instance, 'on'>
  instance.on('response', (_client: unknown, statusCode: number, _bytes: number, ms: number) => {
    if (statusCode < 200 || statusCode > 299) return
    times.push(ms)
    for (let held = ms - interval; held > interval; held -= interval) times.push(held)
  })
  const result = await instance
  times.sort((a, b) => a - b)
  const at = (q: number) =>
    times.length === 0 ? NaN : Math.round(100 * times[Math.min(times.length - 1, Math.floor(q * times.length))]!) / 100
  return { result, p50: at(0.5), p99: at(0.99) }
}
const results: {
  name: string
  rps: number
  p50: number
  p99: number
  non2xx: number
  rssMiB: number
  cpuPerRequest: number
  spread: string
}[] = []
for (const r of running) {
  const runs = samples.get(r)!
  const rps = median(runs.map((x) => x.requests.average))
  results.push({
    name: r.target.name,
    rps,
    p50: median(runs.map((x) => x.latency.p50)),
    p99: median(runs.map((x) => x.latency.p99)),
    non2xx: runs.reduce((n, x) => n + x.non2xx + x.errors, 0) + (atRate.get(r) ?? []).reduce((n, x) => n + x.non2xx, 0),
    rssMiB: (await usageOf(r.child)).rss / 2 ** 20,
    cpuPerRequest: cpu.get(r)!.micros / cpu.get(r)!.requests,
    spread: `${Math.min(...runs.map((x) => x.requests.average)).toFixed(0)}–${Math.max(...runs.map((x) => x.requests.average)).toFixed(0)}`,
  })
  r.child.removeAllListeners('exit')
  r.child.kill('SIGTERM')
}
const base = results[0]!.rps
console.log('')
const baseCpu = results[0]!.cpuPerRequest
console.log('target                      req/s  (rounds)      p50 ms  p99 ms  vs baseline  CPU µs/req  (baseline/it)  errors  RSS MiB')
for (const r of results) {
  console.log(
    `${r.name.padEnd(26)} ${r.rps.toFixed(0).padStart(6)}  ${`(${r.spread})`.padEnd(13)} ${String(r.p50).padStart(6)} ${String(r.p99).padStart(7)} ${(r.rps / base).toFixed(2).padStart(11)} ${r.cpuPerRequest.toFixed(0).padStart(11)} ${(baseCpu / r.cpuPerRequest).toFixed(2).padStart(14)} ${String(r.non2xx).padStart(7)} ${r.rssMiB.toFixed(0).padStart(8)}`,
  )
}
if (LATENCY) {
  console.log('')
  console.log('latency at a fixed load     50 % of peak: req/s  p50 ms  p99 ms  p99 ≤ 2×p50   90 % of peak: req/s  p50 ms  p99 ms')
  const ms = (value: number) => value.toFixed(2)
  for (const r of running) {
    const [half, most] = atRate.get(r)!
    console.log(
      `${r.target.name.padEnd(26)} ${String(half!.rate).padStart(19)} ${ms(half!.p50).padStart(7)} ${ms(half!.p99).padStart(7)} ${(half!.p99 <= 2 * half!.p50 ? 'yes' : 'no').padStart(12)} ${String(most!.rate).padStart(20)} ${ms(most!.p50).padStart(7)} ${ms(most!.p99).padStart(7)}`,
    )
  }
}
// The fast-path issue's targets, each from this run's own figures, met or not.
const byName = (name: string) => results.find((r) => r.name === name)
const rest = byName('REST GET /user/profile')
const graphql = byName('GraphQL { me }')
const yoga = byName('GraphQL Yoga 5 { me }')
const apollo = byName('Apollo Server 5 { me }')
const embedded = byName('REST, embedded database')
const verdict = (value: number, target: number) =>
  `${value.toFixed(2)} (target ≥ ${target.toFixed(2)}: ${value >= target ? 'met' : 'not met'})`
console.log('')
if (rest) console.log(`REST CPU per request, baseline/REST:            ${verdict(baseCpu / rest.cpuPerRequest, 0.9)}`)
if (graphql) console.log(`GraphQL CPU per request, baseline/GraphQL:      ${verdict(baseCpu / graphql.cpuPerRequest, 0.85)}`)
if (yoga && graphql)
  console.log(`GraphQL CPU efficiency vs Yoga (Yoga/ours):     ${verdict(yoga.cpuPerRequest / graphql.cpuPerRequest, 2)}`)
if (apollo && graphql)
  console.log(`GraphQL CPU efficiency vs Apollo (Apollo/ours): ${verdict(apollo.cpuPerRequest / graphql.cpuPerRequest, 2)}`)
if (embedded && rest) console.log(`embedded database req/s vs PostgreSQL (REST):   ${verdict(embedded.rps / rest.rps, 0.5)}`)
if (process.env.BENCH_TRACING === '1') {
  await new Promise((resolve) => setTimeout(resolve, 2000)) // the stopped targets flush their last batch
  const traced = running.filter((r) => r.target.env)
  const requests = traced.reduce((n, r) => n + warmUpRequests.get(r)! + samples.get(r)!.reduce((m, x) => m + x.requests.total, 0), 0)
  console.log(
    `tracing: the collector received ${spansReceived} spans for ${requests} traced requests (${(spansReceived / requests).toFixed(2)} per request)`,
  )
}
const admin = new pg.Client({ connectionString: adminUrl })
await admin.connect()
await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`)
await admin.end()
const failed = results.filter((r) => r.non2xx > 0)
if (failed.length > 0) {
  console.error(`non-2xx answers or errors during the run: ${failed.map((r) => `${r.name} (${r.non2xx})`).join(', ')}`)
  process.exit(1)
}
// The targets were told to stop; the embedded one may take a while to close its database.
process.exit(0)
