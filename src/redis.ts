// The one way this gateway connects to Redis (attempt limits, automatically persisted queries): fail fast.
import type * as IORedis from 'ioredis'
import type { Redis } from 'ioredis'
import { lazyPackage } from './lazyPackage.js'

const ioredis = lazyPackage<typeof IORedis>('ioredis')

/** Reconnects back off up to this delay: soon after Redis comes back, no connection storm while it is away. */
const MAX_RECONNECT_DELAY_MS = 1_000

/**
 * A lazily connecting client with no offline queue and no retry of a command, so a caller fails within
 * `commandTimeoutMs` and never hangs; `started` settles (either way) when the first connection attempt does.
 */
export function connectRedis(url: string, commandTimeoutMs: number): { redis: Redis; started: Promise<void> } {
  const redis = new (ioredis().Redis)(url, {
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    commandTimeout: commandTimeoutMs,
    connectTimeout: Math.max(commandTimeoutMs, 1_000),
    retryStrategy: (times) => Math.min(50 * 2 ** Math.min(times, 10), MAX_RECONNECT_DELAY_MS),
  })
  // Connection errors surface on the commands; an unhandled 'error' event would crash the process.
  redis.on('error', () => {})
  return { redis, started: redis.connect().catch(() => {}) }
}
