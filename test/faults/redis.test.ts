// Redis (REDIS_URL) frozen or stopped under the attempt limits: every limited route fails closed within the
// command timeout (503, Retry-After, the route's envelope), /ready says so, and service resumes without a restart.
// The Redis here is a throwaway redis-server of this test, on a free port; the machine's Redis is never touched.
import t from 'tap'
import { spawn, type ChildProcess } from 'node:child_process'
import net from 'node:net'
import { Writable } from 'node:stream'
import { buildTestApp } from '../helper.js'

const PASSWORD = 'Demo-Password-1'
const UNAVAILABLE = { success: false, error_code: 'SERVICE_UNAVAILABLE', message: 'Temporarily unavailable, try again shortly' }

async function freePort(): Promise<number> {
  const server = net.createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()))
  const { port } = server.address() as net.AddressInfo
  await new Promise((resolve) => server.close(resolve))
  return port
}

function pong(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1')
    socket.setTimeout(200, () => (socket.destroy(), resolve(false)))
    socket.on('error', () => resolve(false))
    socket.on('connect', () => socket.write('PING\r\n'))
    socket.on('data', (data) => {
      socket.destroy()
      resolve(String(data).startsWith('+PONG'))
    })
  })
}

async function startRedis(port: number): Promise<ChildProcess> {
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
    stdio: 'ignore',
  })
  for (let i = 0; i < 100; i++) {
    if (await pong(port)) return child
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  child.kill('SIGKILL')
  throw new Error('redis-server did not start')
}

async function timed<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const start = performance.now()
  return [await fn(), performance.now() - start]
}

t.test('Redis frozen, then stopped: limited routes fail closed fast, /ready 503, recovery without restart', async (t) => {
  const port = await freePort()
  let redis = await startRedis(port)
  t.teardown(() => {
    redis.kill('SIGCONT')
    redis.kill('SIGKILL')
  })
  const lines: Record<string, any>[] = []
  const logStream = new Writable({
    write(chunk, _enc, done) {
      for (const line of String(chunk).split('\n')) if (line.trim()) lines.push(JSON.parse(line))
      done()
    },
  })
  const h = await buildTestApp(
    t,
    {
      REDIS_URL: `redis://127.0.0.1:${port}`,
      LOG_LEVEL: 'error',
      FAILURE_LOG_INTERVAL_MS: '60000',
      RATE_LIMIT_REGISTER_PER_ADDRESS: '100',
    },
    { logStream },
  )
  const login = () => h.call({ method: 'POST', url: '/user/login', payload: { email: 'owner@demo.test', password: PASSWORD } })
  let n = 0
  const register = () =>
    h.call({
      method: 'POST',
      url: '/user/register',
      payload: {
        email: `redis-fault-${++n}@example.test`,
        password: PASSWORD,
        firstName: 'Ada',
        lastName: 'Lovelace',
        companyName: 'Engines',
        isBusiness: false,
      },
    })
  const ready = () => h.call({ method: 'GET', url: '/ready' })
  // On a loaded machine the first connection may take a moment: wait, as a load balancer would, for /ready.
  for (let i = 0; i < 50 && (await ready()).status !== 200; i++) await new Promise((resolve) => setTimeout(resolve, 100))
  const first = await login()
  t.equal(first.status, 200, 'counted in Redis')
  const refreshToken = first.body.refreshToken as string
  const refresh = () => h.call({ method: 'POST', url: '/user/refresh', payload: { refreshToken } })
  t.equal((await ready()).status, 200)

  const failsClosed = async (t: any, state: string, withinMs: number) => {
    for (const [route, call] of [
      ['login', login],
      ['register', register],
      ['refresh', refresh],
    ] as const) {
      const [res, ms] = await timed(call)
      t.equal(res.status, 503, `${route} while Redis is ${state}`)
      t.same(res.body, UNAVAILABLE)
      t.equal(res.headers['retry-after'], '1')
      t.ok(ms < withinMs, `${route} answered in ${Math.round(ms)} ms`)
    }
    const gql = await h.graphql('mutation { login(email: "owner@demo.test", password: "x") { accessToken } }')
    t.match(gql.body.errors[0], {
      message: UNAVAILABLE.message,
      extensions: { code: 'RATE_LIMITED', errorCode: 'SERVICE_UNAVAILABLE', retryAfter: 1 },
    })
    const [probe, probeMs] = await timed(ready)
    t.equal(probe.status, 503)
    t.equal(probe.body.status, 'redis unavailable')
    t.ok(probeMs < 1_000, `/ready answered in ${Math.round(probeMs)} ms`)
  }
  const recovers = async (t: any, withinMs: number) => {
    const start = performance.now()
    let status = 0
    while (performance.now() - start < withinMs && status !== 200) {
      status = (await login()).status
      if (status !== 200) await new Promise((resolve) => setTimeout(resolve, 100))
    }
    t.equal(status, 200, `logins work again after ${Math.round(performance.now() - start)} ms`)
    t.equal((await ready()).status, 200)
  }

  t.test('frozen (SIGSTOP): within the command timeout', async (t) => {
    redis.kill('SIGSTOP')
    // Bounds with room for a loaded machine: the command timeout is 300 ms, the old behaviour was 10 s.
    await failsClosed(t, 'frozen', 2_500)
    redis.kill('SIGCONT')
    await recovers(t, 5_000)
  })

  t.test('stopped: at once; started again: served again, no gateway restart', async (t) => {
    redis.kill('SIGKILL')
    await new Promise((resolve) => redis.once('exit', resolve))
    await new Promise((resolve) => setTimeout(resolve, 100))
    await failsClosed(t, 'stopped', 1_000)
    redis = await startRedis(port)
    await recovers(t, 5_000)
  })

  t.test('logged once per interval, not per request', async (t) => {
    const logged = lines.filter((l) => l.failure === 'Rate limiter unavailable')
    t.equal(logged.length, 1, 'one line for the whole outage so far')
    t.notOk(
      lines.some((l) => l.msg === 'unexpected error in a resolver'),
      'no stack per refused request',
    )
  })
})
