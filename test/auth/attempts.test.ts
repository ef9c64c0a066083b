// The attempt limiter's two stores, directly.
import t from 'tap'
import { Redis } from 'ioredis'
import { MemoryAttemptLimiter, RedisAttemptLimiter } from '../../src/auth/attempts.js'
import { REDIS_URL, redisAnswers, uniquePrefix } from './limitsScenario.js'

t.test('memory store: fixed window, Retry-After, reset, expiry and bounded size', async (t) => {
  let now = 1_000_000
  const limiter = new MemoryAttemptLimiter(100, () => now)
  const limit = { limit: 2, windowSeconds: 10 }
  t.match(await limiter.hit('k', limit), { allowed: true })
  t.match(await limiter.hit('k', limit), { allowed: true })
  now += 2_500
  t.same(await limiter.hit('k', limit), { allowed: false, retryAfter: 8 })
  t.match(await limiter.hit('other', limit), { allowed: true }, 'keys are independent')
  await limiter.reset('k')
  t.match(await limiter.hit('k', limit), { allowed: true }, 'reset forgets the count')
  await limiter.hit('k', limit)
  t.match(await limiter.hit('k', limit), { allowed: false })
  now += 10_000
  t.match(await limiter.hit('k', limit), { allowed: true }, 'a new window starts')
  for (let i = 0; i < 500; i++) await limiter.hit(`flood-${i}`, limit)
  t.ok(limiter.size <= 100, 'never more keys than its bound')
})

t.test('Redis store: atomic count with expiry, reset, shared between limiters', async (t) => {
  if (!(await redisAnswers(t))) return
  const prefix = uniquePrefix(t)
  const a = new RedisAttemptLimiter(REDIS_URL, prefix)
  const b = new RedisAttemptLimiter(REDIS_URL, prefix)
  t.teardown(async () => {
    await a.close()
    await b.close()
  })
  const limit = { limit: 3, windowSeconds: 30 }
  const verdicts = await Promise.all([1, 2, 3, 4, 5].map((i) => (i % 2 ? a : b).hit('k', limit)))
  t.equal(verdicts.filter((v) => v.allowed).length, 3, 'concurrent hits through two clients count once each')
  const blocked = verdicts.find((v) => !v.allowed)!
  t.ok(blocked.retryAfter >= 29 && blocked.retryAfter <= 30, `retryAfter ${blocked.retryAfter}`)
  const redis = new Redis(REDIS_URL)
  t.teardown(() => redis.quit())
  const ttl = await redis.pttl(`${prefix}k`)
  t.ok(ttl > 0 && ttl <= 30_000, 'the key expires with its window')
  await a.reset('k')
  t.equal(await redis.exists(`${prefix}k`), 0)
  t.match(await b.hit('k', limit), { allowed: true })
  // A key that lost its expiry (a crash between two commands elsewhere) gets one again.
  await redis.set(`${prefix}stuck`, '7')
  await a.hit('stuck', { limit: 100, windowSeconds: 5 })
  t.ok((await redis.pttl(`${prefix}stuck`)) > 0)
})
