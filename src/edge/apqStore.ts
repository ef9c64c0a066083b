// Where automatically persisted queries are kept: anyone may register one, so every store is bounded in
// bytes (GRAPHQL_APQ_MAX_BYTES), least recently used out first. In this process's memory, or, with
// REDIS_URL, in Redis, shared by every gateway, with this process's memory as a first level in front.
// A document is found by its sha256 and never changes, so a copy is never stale.
import type { Redis } from 'ioredis'
import type { FailureLog } from '../failureLog.js'
import { connectRedis } from '../redis.js'

export interface AutomaticDocumentStore {
  get(hash: string): Promise<string | undefined>
  /** Keeps a document; a store that cannot (Redis away) keeps what it can and never throws. */
  set(hash: string, text: string): Promise<void>
  close(): Promise<void>
}

/** What an entry counts against the bound: its text's UTF-8 bytes and its hash's. */
export const entryBytes = (hash: string, text: string) => Buffer.byteLength(text) + hash.length

/** One process's documents: a Map in recency order, bounded by the bytes of what it holds. */
export class MemoryDocuments implements AutomaticDocumentStore {
  private readonly entries = new Map<string, { text: string; bytes: number }>()
  private total = 0

  readonly maxBytes: number

  constructor(maxBytes: number) {
    this.maxBytes = maxBytes
  }

  /** The bytes held now (never above maxBytes). */
  get bytes() {
    return this.total
  }

  get size() {
    return this.entries.size
  }

  peek(hash: string): string | undefined {
    const entry = this.entries.get(hash)
    if (!entry) return undefined
    this.entries.delete(hash)
    this.entries.set(hash, entry)
    return entry.text
  }

  async get(hash: string) {
    return this.peek(hash)
  }

  keep(hash: string, text: string) {
    const bytes = entryBytes(hash, text)
    const known = this.entries.get(hash)
    if (known) {
      this.entries.delete(hash)
      this.total -= known.bytes
    }
    if (bytes > this.maxBytes) return
    for (const [oldest, entry] of this.entries) {
      if (this.total + bytes <= this.maxBytes) break
      this.entries.delete(oldest)
      this.total -= entry.bytes
    }
    this.entries.set(hash, { text, bytes })
    this.total += bytes
  }

  async set(hash: string, text: string) {
    this.keep(hash, text)
  }

  async close() {
    this.entries.clear()
    this.total = 0
  }
}

// KEYS: the documents (a hash: sha256 → text, and ':bytes', their total), their recency (a sorted set).
// Adds a document and drops the least recently used ones until the total fits; atomic, so several gateways
// writing at once keep one bound. A lost recency set (evicted by Redis) drops the documents rather than the bound.
const SET_SCRIPT = `
local docs, recency = KEYS[1], KEYS[2]
local hash, text, now, max = ARGV[1], ARGV[2], tonumber(ARGV[3]), tonumber(ARGV[4])
local size = #text + #hash
if size > max then return 0 end
if redis.call('HSETNX', docs, hash, text) == 1 then redis.call('HINCRBY', docs, ':bytes', size) end
redis.call('ZADD', recency, now, hash)
local total = tonumber(redis.call('HGET', docs, ':bytes') or '0')
while total > max do
  local oldest = redis.call('ZPOPMIN', recency)
  if #oldest == 0 then
    redis.call('DEL', docs)
    return 1
  end
  local length = redis.call('HSTRLEN', docs, oldest[1])
  if length > 0 then
    redis.call('HDEL', docs, oldest[1])
    total = redis.call('HINCRBY', docs, ':bytes', -(length + #oldest[1]))
  end
end
return 1`

// Reads a document and marks it used.
const GET_SCRIPT = `
local text = redis.call('HGET', KEYS[1], ARGV[1])
if text then redis.call('ZADD', KEYS[2], ARGV[2], ARGV[1]) end
return text`

export const APQ_STORE_UNAVAILABLE = 'Persisted query store unavailable'

export interface RedisDocumentsOptions {
  url: string
  keyPrefix: string
  maxBytes: number
  commandTimeoutMs: number
  failures?: FailureLog
}

type Script = (docs: string, recency: string, ...args: (string | number)[]) => Promise<unknown>

/**
 * Documents shared by every gateway through Redis (at most maxBytes there, by the same rule), with this
 * process's memory (at most maxBytes too) in front. While Redis is away: memory only, never an error —
 * a client whose hash is unknown here sends its text again (PersistedQueryNotFound), as the protocol has it.
 */
export class RedisDocuments implements AutomaticDocumentStore {
  readonly local: MemoryDocuments
  private readonly redis: Redis
  private readonly docsKey: string
  private readonly recencyKey: string
  private readonly started: Promise<void>

  private readonly options: RedisDocumentsOptions

  constructor(options: RedisDocumentsOptions) {
    this.options = options
    this.local = new MemoryDocuments(options.maxBytes)
    this.docsKey = `${options.keyPrefix}docs`
    this.recencyKey = `${options.keyPrefix}recency`
    // As the attempt limiter's connection: no offline queue, no retries, a bounded wait per command.
    const connection = connectRedis(options.url, options.commandTimeoutMs)
    this.redis = connection.redis
    this.started = connection.started
    this.redis.defineCommand('apqSet', { numberOfKeys: 2, lua: SET_SCRIPT })
    this.redis.defineCommand('apqGet', { numberOfKeys: 2, lua: GET_SCRIPT })
  }

  private script(name: 'apqSet' | 'apqGet'): Script {
    const command = (this.redis as unknown as Record<string, Script>)[name]!
    return (...args) => command.call(this.redis, ...args)
  }

  async get(hash: string): Promise<string | undefined> {
    const known = this.local.peek(hash)
    if (known !== undefined) return known
    await this.started
    try {
      const text = await this.script('apqGet')(this.docsKey, this.recencyKey, hash, Date.now())
      if (typeof text !== 'string') return undefined
      this.local.keep(hash, text)
      return text
    } catch (err) {
      this.options.failures?.report(APQ_STORE_UNAVAILABLE, err)
      return undefined
    }
  }

  async set(hash: string, text: string): Promise<void> {
    this.local.keep(hash, text)
    await this.started
    try {
      await this.script('apqSet')(this.docsKey, this.recencyKey, hash, text, Date.now(), this.options.maxBytes)
    } catch (err) {
      this.options.failures?.report(APQ_STORE_UNAVAILABLE, err)
    }
  }

  async close(): Promise<void> {
    await this.local.close()
    await this.started
    if (this.redis.status !== 'ready') return this.redis.disconnect()
    await this.redis.quit().catch(() => this.redis.disconnect())
  }
}
