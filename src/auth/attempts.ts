// Brute-force protection: fixed-window attempt counters, in process or shared through Redis.
import type { Redis } from 'ioredis'
import type { AttemptLimit } from '../config.js'
import type { FailureLog } from '../failureLog.js'
import { connectRedis } from '../redis.js'

export interface AttemptVerdict {
  allowed: boolean
  /** Seconds until the window ends (≥ 1); meaningful when not allowed. */
  retryAfter: number
  /** The store could not count (Redis away): refused, fail closed, whatever the count. */
  unavailable?: boolean
}

/** Counts attempts per key within a fixed window. */
export interface AttemptLimiter {
  /** Counts one attempt; not allowed once the window holds more than the limit. */
  hit(key: string, limit: AttemptLimit): Promise<AttemptVerdict>
  /** Forgets the key's attempts (a successful login ends the count of failed ones). */
  reset(key: string): Promise<void>
  /** Why the store cannot count right now (for /ready); undefined when it can. */
  unavailableReason(): Promise<string | undefined>
  close(): Promise<void>
}

function verdict(count: number, limit: AttemptLimit, msLeft: number): AttemptVerdict {
  return { allowed: count <= limit.limit, retryAfter: Math.max(1, Math.ceil(msLeft / 1000)) }
}

/** One process's counters: a Map in insertion order, so the oldest window is evicted first when full. */
export class MemoryAttemptLimiter implements AttemptLimiter {
  private readonly windows = new Map<string, { count: number; endsAt: number }>()

  private readonly maxKeys: number
  private readonly now: () => number

  constructor(maxKeys: number, now: () => number = Date.now) {
    this.maxKeys = maxKeys
    this.now = now
  }

  async hit(key: string, limit: AttemptLimit): Promise<AttemptVerdict> {
    const now = this.now()
    let window = this.windows.get(key)
    if (!window || window.endsAt <= now) {
      this.windows.delete(key)
      this.makeRoom(now)
      window = { count: 0, endsAt: now + limit.windowSeconds * 1000 }
      this.windows.set(key, window)
    }
    window.count += 1
    return verdict(window.count, limit, window.endsAt - now)
  }

  async reset(key: string): Promise<void> {
    this.windows.delete(key)
  }

  async unavailableReason(): Promise<string | undefined> {
    return undefined
  }

  async close(): Promise<void> {
    this.windows.clear()
  }

  get size(): number {
    return this.windows.size
  }

  private makeRoom(now: number) {
    if (this.windows.size < this.maxKeys) return
    for (const [key, window] of this.windows) if (window.endsAt <= now) this.windows.delete(key)
    // Still full of live windows: drop the oldest ones.
    for (const key of this.windows.keys()) {
      if (this.windows.size < this.maxKeys) break
      this.windows.delete(key)
    }
  }
}

// INCR and the window's expiry in one atomic step; an expiry lost to a crash is set again.
const HIT_SCRIPT = `
local count = redis.call('INCR', KEYS[1])
local ttl = redis.call('PTTL', KEYS[1])
if count == 1 or ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
return {count, ttl}`

export const ATTEMPT_STORE_UNAVAILABLE = 'Rate limiter unavailable'
/** While Redis is away, a refused attempt may come back this soon. */
const UNAVAILABLE_RETRY_AFTER_SECONDS = 1

export interface RedisLimiterOptions {
  url: string
  keyPrefix: string
  /** A command fails after this long (a frozen Redis). */
  commandTimeoutMs: number
  failures?: FailureLog
}

/** Counters shared by every gateway process through one Redis; while Redis is away, every attempt is refused at once. */
export class RedisAttemptLimiter implements AttemptLimiter {
  private readonly redis: Redis
  private readonly keyPrefix: string
  private readonly failures?: FailureLog
  /** The first connection attempt, settled either way: attempts made while it runs wait for it, later ones never wait. */
  private readonly started: Promise<void>

  constructor(options: RedisLimiterOptions) {
    this.keyPrefix = options.keyPrefix
    this.failures = options.failures
    // No offline queue and no retry of a command: a login fails within the command timeout, never hangs.
    const connection = connectRedis(options.url, options.commandTimeoutMs)
    this.redis = connection.redis
    this.started = connection.started
    this.redis.defineCommand('attemptHit', { numberOfKeys: 1, lua: HIT_SCRIPT })
  }

  async hit(key: string, limit: AttemptLimit): Promise<AttemptVerdict> {
    const run = (this.redis as unknown as Record<string, (k: string, ms: number) => Promise<[number, number]>>).attemptHit!
    await this.started
    try {
      const [count, ttl] = await run.call(this.redis, this.keyPrefix + key, limit.windowSeconds * 1000)
      return verdict(count, limit, ttl)
    } catch (err) {
      this.failures?.report(ATTEMPT_STORE_UNAVAILABLE, err)
      return { allowed: false, retryAfter: UNAVAILABLE_RETRY_AFTER_SECONDS, unavailable: true }
    }
  }

  async reset(key: string): Promise<void> {
    await this.started
    // A lost reset only leaves failed attempts counted until their window ends.
    await this.redis.del(this.keyPrefix + key).catch((err: unknown) => this.failures?.report(ATTEMPT_STORE_UNAVAILABLE, err))
  }

  async unavailableReason(): Promise<string | undefined> {
    await this.started
    if (this.redis.status !== 'ready') return `redis ${this.redis.status}`
    try {
      await this.redis.ping()
      return undefined
    } catch {
      return 'redis does not answer'
    }
  }

  async close(): Promise<void> {
    await this.started
    if (this.redis.status !== 'ready') return this.redis.disconnect()
    await this.redis.quit().catch(() => this.redis.disconnect())
  }
}
