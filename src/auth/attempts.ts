// Brute-force protection: fixed-window attempt counters, in process or shared through Redis.
import { Redis } from 'ioredis'
import type { AttemptLimit } from '../config.js'

export interface AttemptVerdict {
  allowed: boolean
  /** Seconds until the window ends (≥ 1); meaningful when not allowed. */
  retryAfter: number
}

/** Counts attempts per key within a fixed window. */
export interface AttemptLimiter {
  /** Counts one attempt; not allowed once the window holds more than the limit. */
  hit(key: string, limit: AttemptLimit): Promise<AttemptVerdict>
  /** Forgets the key's attempts (a successful login ends the count of failed ones). */
  reset(key: string): Promise<void>
  close(): Promise<void>
}

function verdict(count: number, limit: AttemptLimit, msLeft: number): AttemptVerdict {
  return { allowed: count <= limit.limit, retryAfter: Math.max(1, Math.ceil(msLeft / 1000)) }
}

/** One process's counters: a Map in insertion order, so the oldest window is evicted first when full. */
export class MemoryAttemptLimiter implements AttemptLimiter {
  private readonly windows = new Map<string, { count: number; endsAt: number }>()

  constructor(
    private readonly maxKeys: number,
    private readonly now: () => number = Date.now,
  ) {}

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

/** Counters shared by every gateway process through one Redis. */
export class RedisAttemptLimiter implements AttemptLimiter {
  private readonly redis: Redis

  constructor(
    url: string,
    private readonly keyPrefix: string,
  ) {
    // Fail fast rather than queue commands while Redis is away: a login must not hang.
    this.redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1, enableOfflineQueue: true, connectTimeout: 2_000 })
    this.redis.defineCommand('attemptHit', { numberOfKeys: 1, lua: HIT_SCRIPT })
    // Connection errors surface on the commands; an unhandled 'error' event would crash the process.
    this.redis.on('error', () => {})
  }

  async hit(key: string, limit: AttemptLimit): Promise<AttemptVerdict> {
    const run = (this.redis as unknown as Record<string, (k: string, ms: number) => Promise<[number, number]>>).attemptHit!
    const [count, ttl] = await run.call(this.redis, this.keyPrefix + key, limit.windowSeconds * 1000)
    return verdict(count, limit, ttl)
  }

  async reset(key: string): Promise<void> {
    await this.redis.del(this.keyPrefix + key)
  }

  async close(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect())
  }
}
