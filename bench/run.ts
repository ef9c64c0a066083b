// npm run bench: GET /user/profile, the GraphQL `me` query and a hand-written baseline, side by side,
// on PostgreSQL with 10,000 users. Prints requests/s, p50 and p99 latency, and each target's
// throughput as a ratio of the baseline. Targets run one at a time, each in its own process.
import { fork, type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import autocannon from 'autocannon'
import pg from 'pg'
import { loadConfig } from '../src/config.js'
import { openDatabase } from '../src/db/database.js'
import { migrate } from '../src/db/migrate.js'
import { seedDemoData } from '../src/db/seed.js'
import { createAccessTokens } from '../src/auth/tokens.js'

const USERS = Number(process.env.BENCH_USERS ?? 10_000)
const DURATION = Number(process.env.BENCH_SECONDS ?? 10)
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32)
const TOKENS = 200
const adminUrl = process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/test'
const dbName = 'gw_bench'

const PROFILE_QUERY = JSON.stringify({ query: '{ me { id name lastName email orgId orgRole orgRoleDescription orgRoles validated mfaRequired } }' })

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

function startTarget(kind: string, env: NodeJS.ProcessEnv): Promise<{ child: ChildProcess; port: number }> {
  return new Promise((resolve, reject) => {
    const child = fork(new URL('./target.ts', import.meta.url).pathname, [kind], { env, stdio: ['ignore', 'pipe', 'inherit', 'ipc'], execArgv: ['--import', 'tsx'] })
    child.stdout!.on('data', (chunk: Buffer) => {
      const match = /listening (\d+)/.exec(String(chunk))
      if (match) resolve({ child, port: Number(match[1]) })
    })
    child.once('exit', (code) => reject(new Error(`${kind} exited with ${code}`)))
  })
}

interface Target {
  name: string
  kind: 'gateway' | 'baseline'
  method: 'GET' | 'POST'
  path: string
  body?: string
}

async function measure(target: Target, env: NodeJS.ProcessEnv, tokens: string[]) {
  const { child, port } = await startTarget(target.kind, env)
  let next = 0
  const run = (duration: number) =>
    autocannon({
      url: `http://127.0.0.1:${port}`,
      connections: CONNECTIONS,
      duration,
      requests: [
        {
          method: target.method,
          path: target.path,
          body: target.body,
          setupRequest: (request: autocannon.Request) => ({
            ...request,
            headers: { 'content-type': 'application/json', authorization: `Bearer ${tokens[next++ % tokens.length]}` },
          }),
        },
      ],
    })
  await run(2) // warm-up: JIT, connection pool, token cache
  const result = await run(DURATION)
  const rss = await new Promise<number>((resolve) => {
    child.once('message', (m: { rss: number }) => resolve(m.rss))
    child.send('memory')
  })
  child.removeAllListeners('exit')
  child.kill('SIGTERM')
  const non2xx = result.non2xx + result.errors
  return { name: target.name, rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, non2xx, rssMiB: rss / 2 ** 20 }
}

const databaseUrl = await prepareDatabase()
const secret = randomBytes(32).toString('hex')
const env = { ...process.env, DATABASE_URL: databaseUrl, JWT_SECRET: secret }
const tokens = await issueTokens(databaseUrl, secret)
console.log(`PostgreSQL with ${USERS + 8} users; ${CONNECTIONS} connections, ${DURATION} s per target after a 2 s warm-up; ${tokens.length} tokens in rotation`)

const targets: Target[] = [
  { name: 'baseline (hand-written)', kind: 'baseline', method: 'GET', path: '/user/profile' },
  { name: 'REST GET /user/profile', kind: 'gateway', method: 'GET', path: '/user/profile' },
  { name: 'GraphQL { me }', kind: 'gateway', method: 'POST', path: '/graphql', body: PROFILE_QUERY },
]
const results = []
for (const target of targets) results.push(await measure(target, env, tokens))
const base = results[0]!.rps
console.log('')
console.log('target                      req/s    p50 ms  p99 ms  vs baseline  errors  RSS MiB')
for (const r of results) {
  console.log(
    `${r.name.padEnd(26)} ${r.rps.toFixed(0).padStart(7)} ${String(r.p50).padStart(8)} ${String(r.p99).padStart(7)} ${(r.rps / base).toFixed(2).padStart(11)} ${String(r.non2xx).padStart(7)} ${r.rssMiB.toFixed(0).padStart(8)}`,
  )
}
console.log('\ntargets: REST ≥ 0.85 and GraphQL ≥ 0.75 of the baseline')
const admin = new pg.Client({ connectionString: adminUrl })
await admin.connect()
await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`)
await admin.end()
