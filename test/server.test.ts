// The process itself: it starts from the environment, serves, and on SIGTERM drains (finishes the requests in flight,
// tells keep-alive clients to close, refuses new ones with a 503 envelope), closes the database and exits 0.
// A bad setting stops it at once with a clear message.
import t from 'tap'
import { spawn } from 'node:child_process'
import http from 'node:http'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { projectPath } from '../src/paths.js'
import { openDatabase } from '../src/db/database.js'
import { migrate } from '../src/db/migrate.js'
import { seedDemoData } from '../src/db/seed.js'
import { scratchDatabaseUrl, TYPESCRIPT_LOADER } from './helper.js'
import { scratchDir } from './scratch.js'

const SERVER = projectPath('src', 'server.ts')

function start(env: Record<string, string>) {
  // node itself runs the server (stripping its types), so the signal reaches it directly.
  const child = spawn(process.execPath, ['--import', TYPESCRIPT_LOADER, SERVER], {
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

interface Answer {
  status: number
  headers: http.IncomingHttpHeaders
  body: string
  reused: boolean
}

function request(agent: http.Agent, base: string, path: string, options: { method?: string; headers?: object; body?: string } = {}) {
  return new Promise<Answer>((resolve, reject) => {
    const req = http.request(`${base}${path}`, { agent, method: options.method ?? 'GET', headers: options.headers as never }, (res) => {
      let body = ''
      res.setEncoding('utf8')
      res.on('data', (chunk) => (body += chunk))
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body, reused: req.reusedSocket }))
      res.on('error', reject)
    })
    req.on('error', reject)
    req.end(options.body)
  })
}

const waitFor = async (what: string, check: () => boolean, ms = 20_000) => {
  const start = Date.now()
  while (!check()) {
    if (Date.now() - start > ms) throw new Error(`waited ${ms} ms for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
}

/** A server's environment: a fresh DATA_DIR and, on PostgreSQL, a migrated scratch database (the server does not migrate it). */
async function serverEnv(t: Parameters<typeof scratchDatabaseUrl>[0], settings: Record<string, string>): Promise<Record<string, string>> {
  const env: Record<string, string> = { DATA_DIR: scratchDir('gw-server-'), ...settings }
  if (process.env.DATABASE_URL) {
    env.DATABASE_URL = await scratchDatabaseUrl(t, process.env.DATABASE_URL)
    const db = await openDatabase({ databaseUrl: env.DATABASE_URL, dataDir: 'memory://', poolSize: 1 })
    await migrate(db)
    await db.close()
  }
  return env
}

const SHUTTING_DOWN = { success: false, message: 'Service unavailable: the server is shutting down' }

t.test('serves, then drains on SIGTERM: in-flight requests answered, keep-alive clients told to close, no resets', async (t) => {
  const env = await serverEnv(t, { SHUTDOWN_GRACE_MS: '2000' })
  const dataDir = env.DATA_DIR!
  const server = start(env)
  t.teardown(() => void server.child.kill('SIGKILL'))
  const base = await server.listening
  const health = await fetch(`${base}/health`)
  t.equal(health.status, 200)
  if (!process.env.DATABASE_URL) t.ok(existsSync(join(dataDir, 'pglite.pid')), 'the embedded database is held')
  const registered = await fetch(`${base}/user/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      email: 'drain@example.test',
      password: 'Drain-Password-1',
      firstName: 'D',
      lastName: 'R',
      companyName: 'C',
      isBusiness: false,
    }),
  })
  t.equal(registered.status, 201)
  const auth = { authorization: `Bearer ${((await registered.json()) as { accessToken: string }).accessToken}` }

  // Load: 8 keep-alive clients, each until the server tells it to stop (Connection: close or 503), at most 2,000 requests in all.
  const loadAgent = new http.Agent({ keepAlive: true, maxSockets: 8 })
  t.teardown(() => loadAgent.destroy())
  const answers: Answer[] = []
  const errors: string[] = []
  let sent = 0
  const worker = async () => {
    while (sent < 2_000) {
      sent += 1
      try {
        const answer = await request(loadAgent, base, '/user/profile', { headers: auth })
        answers.push(answer)
        if (answer.status === 503 || answer.headers.connection === 'close') return 'told to close'
      } catch (err) {
        errors.push(String((err as { code?: string }).code ?? err))
        return 'error'
      }
    }
    return 'bound reached'
  }
  const workers = Array.from({ length: 8 }, worker)
  // An idle keep-alive connection, used once before the signal and once during the drain.
  const idleAgent = new http.Agent({ keepAlive: true, maxSockets: 1 })
  t.teardown(() => idleAgent.destroy())
  t.equal((await request(idleAgent, base, '/health')).status, 200)

  // A login whose headers the server has read (it logged it) but whose body comes after the signal: in flight.
  const body = JSON.stringify({ email: 'nobody@demo.test', password: 'Wrong-Password-1' })
  const inFlight = new Promise<Answer>((resolve, reject) => {
    const req = http.request(
      `${base}/user/login`,
      { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': body.length } },
      (res) => {
        let text = ''
        res.on('data', (chunk) => (text += chunk))
        res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: text, reused: false }))
      },
    )
    req.on('error', reject)
    req.write(body.slice(0, 10))
    waitFor('the login to arrive', () => /"url":"\/user\/login"[^\n]*"incoming request"/.test(server.output()))
      .then(() => {
        server.child.kill('SIGTERM')
        return waitFor('the drain to start', () => server.output().includes('stopping: finishing in-flight requests'))
      })
      .then(() => req.end(body.slice(10)))
      .catch(reject)
  })
  const login = await inFlight
  t.equal(login.status, 401, 'the request in flight is answered, not cut')
  t.equal(login.headers.connection, 'close', 'and its connection closes')

  const again = await request(idleAgent, base, '/health')
  t.ok(again.reused, 'the idle keep-alive connection was reused during the drain')
  t.equal(again.status, 503, 'a new request during the drain is refused')
  t.same(JSON.parse(again.body), SHUTTING_DOWN, 'with the JSON envelope')
  t.match(again.headers['content-type'], /^application\/json/)
  t.equal(again.headers.connection, 'close')

  const outcomes = await Promise.all(workers)
  t.same(errors, [], 'no connection reset or other socket error')
  t.same(outcomes, Array(8).fill('told to close'), 'every client was told to close its connection')
  for (const answer of answers) {
    if (answer.status === 503) t.same(JSON.parse(answer.body), SHUTTING_DOWN)
    else if (answer.status !== 200) t.fail(`unexpected ${answer.status}: ${answer.body}`)
  }
  t.ok(answers.length >= 8, `${answers.length} answers, ${answers.filter((a) => a.status === 503).length} of them 503`)

  t.equal(await server.exited, 0, `exits 0:\n${server.output().slice(-1500)}`)
  t.match(server.output(), /stopping: finishing in-flight requests/)
  if (!process.env.DATABASE_URL) t.notOk(existsSync(join(dataDir, 'pglite.pid')), 'the embedded database was closed')
})

t.test('clients that keep reconnecting through the drain: every request answered or refused at connect, none reset', async (t) => {
  const env = await serverEnv(t, { SHUTDOWN_GRACE_MS: '1000' })
  const server = start(env)
  t.teardown(() => void server.child.kill('SIGKILL'))
  const base = await server.listening
  // 12 keep-alive clients that, told to close, open a new connection at once (as a load generator does),
  // until the listener is gone (ECONNREFUSED) or 5,000 requests in all.
  const agent = new http.Agent({ keepAlive: true, maxSockets: 12 })
  t.teardown(() => agent.destroy())
  const outcomes = new Map<string, number>()
  let sent = 0
  let signalled = false
  const worker = async () => {
    while (sent < 5_000) {
      sent += 1
      let outcome: string
      try {
        const answer = await request(agent, base, '/health')
        outcome = String(answer.status)
        if (answer.status === 503 && answer.body !== JSON.stringify(SHUTTING_DOWN)) outcome = `503 ${answer.body}`
      } catch (err) {
        outcome = String((err as { code?: string }).code ?? err)
      }
      outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1)
      if (outcome === 'ECONNREFUSED' || (!signalled && outcome !== '200')) return
    }
  }
  const workers = Array.from({ length: 12 }, worker)
  await waitFor('some load', () => (outcomes.get('200') ?? 0) >= 100)
  signalled = true
  server.child.kill('SIGTERM')
  await Promise.all(workers)
  t.equal(await server.exited, 0)
  const seen = Object.fromEntries(outcomes)
  t.ok((seen['503'] ?? 0) > 0, `requests during the drain were answered 503: ${JSON.stringify(seen)}`)
  t.same(
    Object.keys(seen).filter((k) => !['200', '503', 'ECONNREFUSED'].includes(k)),
    [],
    `no reset or other socket error: ${JSON.stringify(seen)}`,
  )
})

t.test('a bad setting stops the start with a message naming it', async (t) => {
  const server = start({ PORT: 'eighty', DATA_DIR: scratchDir('gw-server-') })
  t.equal(await server.exited, 1)
  t.match(server.output(), /PORT must be a whole number/)
  t.notMatch(server.output(), /at .*\.ts:\d+/, 'no stack trace')
})

t.test('npm run token works on a stopped gateway, and its token is accepted once the gateway runs', async (t) => {
  const dataDir = scratchDir('gw-token-')
  const env: Record<string, string> = { DATA_DIR: dataDir }
  if (process.env.DATABASE_URL) {
    env.DATABASE_URL = await scratchDatabaseUrl(t, process.env.DATABASE_URL)
    const db = await openDatabase({ databaseUrl: env.DATABASE_URL, dataDir: 'memory://', poolSize: 1 })
    await migrate(db)
    await seedDemoData(db) // on PostgreSQL, npm run db:seed does this
    await db.close()
  }
  // On the embedded database nothing has run yet: the script migrates and seeds, as a first start would.
  const script = spawn(process.execPath, ['--import', TYPESCRIPT_LOADER, projectPath('scripts', 'token.ts'), 'Owner@Demo.test'], {
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
