// The attempt limits as the auth routes apply them; run once per store (limits.test.ts, limits-redis.test.ts).
import t from 'tap'
import { randomBytes } from 'node:crypto'
import { Redis } from 'ioredis'
import { buildTestApp, untilReady } from '../helper.js'
import { REDIS_URL, redisProblem } from '../../scripts/test-prerequisites.js'

// CI runs Redis too: both variants need one (the memory one proves nothing reaches Redis).
export { REDIS_URL }

/** Fails the test at once, saying what to do, when no Redis answers (instead of hanging until the timeout). */
export async function redisAnswers(t: { fail(message: string): void }): Promise<boolean> {
  const problem = await redisProblem(REDIS_URL)
  if (problem) t.fail(problem)
  return !problem
}
const PASSWORD = 'Demo-Password-1'
const TOO_MANY = { success: false, error_code: 'TOO_MANY_ATTEMPTS', message: 'Too many attempts, try again later' }

/** A key prefix of this run only; every key under it is deleted afterwards. */
export function uniquePrefix(t: { teardown(fn: () => unknown): void }) {
  const prefix = `gw-test:${randomBytes(6).toString('hex')}:`
  t.teardown(async () => {
    const redis = new Redis(REDIS_URL)
    const keys = await redis.keys(`${prefix}*`)
    if (keys.length > 0) await redis.del(...keys)
    await redis.quit()
  })
  return prefix
}

export function limitsThroughTheRoutes(store: 'memory' | 'redis') {
  t.test(`limits through the routes (${store} store)`, async (t) => {
    if (!(await redisAnswers(t))) return
    const env: Record<string, string> = {
      RATE_LIMIT_LOGIN_PER_ACCOUNT: '3',
      RATE_LIMIT_LOGIN_PER_ADDRESS: '8',
      RATE_LIMIT_REGISTER_PER_ADDRESS: '2',
      RATE_LIMIT_REFRESH_PER_ADDRESS: '2',
      RATE_LIMIT_REFRESH_PER_ADDRESS_WINDOW: '60',
    }
    const prefix = uniquePrefix(t)
    // Counting is what is tested here; the command timeout's own test is test/faults/redis.test.ts (a loaded CI machine can pass 300 ms).
    if (store === 'redis') Object.assign(env, { REDIS_URL, RATE_LIMIT_KEY_PREFIX: prefix, REDIS_COMMAND_TIMEOUT_MS: '2000' })
    const h = await buildTestApp(t, env)
    await untilReady(h.app)
    const login = (email: string, password: string, ip = '127.0.0.1') =>
      h.call({ method: 'POST', url: '/user/login', payload: { email, password }, remoteAddress: ip } as never)

    t.test('per account: failed attempts, case-insensitively; a success resets the count', async (t) => {
      t.equal((await login('user@demo.test', 'wrong-1')).status, 401)
      t.equal((await login('USER@demo.test', 'wrong-2')).status, 401)
      t.equal((await login('user@demo.test', PASSWORD)).status, 200, 'third attempt, correct: allowed, and resets')
      for (let i = 0; i < 3; i++) t.equal((await login('user@demo.test', 'wrong')).status, 401)
      const blocked = await login('user@demo.test', PASSWORD, '10.0.0.9')
      t.equal(blocked.status, 429, 'even the right password, from another address')
      t.same(blocked.body, TOO_MANY)
      const retryAfter = Number(blocked.headers['retry-after'])
      t.ok(retryAfter > 0 && retryAfter <= 900, `Retry-After: ${retryAfter}`)
      t.equal((await login('billing@demo.test', PASSWORD, '10.0.0.9')).status, 200, 'other accounts are unaffected')
    })

    t.test('per address, over many accounts', async (t) => {
      const ip = '10.0.0.1'
      const statuses = []
      for (let i = 0; i < 9; i++) statuses.push((await login(`nobody-${i}@demo.test`, 'x', ip)).status)
      t.same(statuses, [...Array(8).fill(401), 429])
      const other = await login('owner@demo.test', PASSWORD, '10.0.0.2')
      t.equal(other.status, 200, 'another address is not limited')
    })

    t.test('register per address', async (t) => {
      const body = (i: number) => ({
        email: `limit-${store}-${i}@example.com`,
        password: 'Str0ng-Pass',
        firstName: 'L',
        lastName: 'M',
        companyName: 'C',
        isBusiness: false,
      })
      t.equal((await h.call({ method: 'POST', url: '/user/register', payload: body(1) })).status, 201)
      t.equal((await h.call({ method: 'POST', url: '/user/register', payload: body(2) })).status, 201)
      const third = await h.call({ method: 'POST', url: '/user/register', payload: body(3) })
      t.equal(third.status, 429)
      t.same(third.body, TOO_MANY)
      t.ok(Number(third.headers['retry-after']) > 0)
      t.equal(await h.db.prisma.user.count({ where: { email: body(3).email } }), 0)
    })

    t.test('refresh per address, and GraphQL’s RATE_LIMITED', async (t) => {
      const { refreshToken } = (await login('admin@demo.test', PASSWORD, '10.0.0.3')).body
      t.equal((await h.call({ method: 'POST', url: '/user/refresh', payload: { refreshToken } })).status, 200)
      t.equal((await h.call({ method: 'POST', url: '/user/refresh', payload: { refreshToken: 'unknown' } })).status, 401)
      const third = await h.call({ method: 'POST', url: '/user/refresh', payload: { refreshToken: 'unknown' } })
      t.equal(third.status, 429)
      t.same(third.body, TOO_MANY)
      const retryAfter = Number(third.headers['retry-after'])
      t.ok(retryAfter > 0 && retryAfter <= 60, `Retry-After: ${retryAfter}`)
      const gql = await h.graphql('mutation { refresh(refreshToken: "unknown") { expiresAt } }')
      t.match(gql.body.errors[0].extensions, { code: 'RATE_LIMITED', errorCode: 'TOO_MANY_ATTEMPTS' })
      t.ok(gql.body.errors[0].extensions.retryAfter > 0)
    })

    t.test(`the counters live ${store === 'redis' ? 'in Redis' : 'in the process'}`, async (t) => {
      const redis = new Redis(REDIS_URL)
      t.teardown(() => redis.quit())
      const keys = await redis.keys(`${prefix}*`)
      if (store === 'redis') t.ok(keys.includes(`${prefix}login:account:user@demo.test`), 'the account counter is in Redis')
      else t.same(keys, [])
    })
  })
}
