// The requester of a live session, kept between requests so that most requests need no query at all. Exact: an
// entry goes when the database reports a change to its user or any of their sessions (src/db/changes.ts), when
// the session expires, after the TTL at the latest, and the whole cache goes whenever the report channel is in
// doubt. Its caller (src/auth/requester.ts) keeps only answers that let a request through; a refusal is read afresh.
import type { ChangeFeed } from '../db/changes.js'
import { EVERYONE } from '../db/changes.js'

interface Entry<Answer> {
  userId: string
  /** The answer, resolved already: a hit allocates nothing. */
  answer: Promise<Answer>
  /** Epoch ms: the session's expiry or the TTL, whichever comes first. */
  until: number
}

export interface RequesterCacheOptions {
  /** Entries kept at most; the oldest goes first. */
  maxEntries: number
  ttlMs: number
  now?: () => number
}

/** A token to store a lookup with: taken before the query, it is void if anything changed meanwhile. */
export type Ticket = number

export class RequesterCache<Answer> {
  /** By session id, oldest first. */
  private readonly entries = new Map<string, Entry<Answer>>()
  private readonly byUser = new Map<string, Set<string>>()
  /** Bumped by every change and reset: a lookup that overlapped one is not stored. */
  private generation = 0
  hits = 0
  misses = 0

  private readonly feed: ChangeFeed
  private readonly options: RequesterCacheOptions

  constructor(feed: ChangeFeed, options: RequesterCacheOptions) {
    this.feed = feed
    this.options = options
    feed.subscribe({
      changed: (userId) => (userId === EVERYONE ? this.clear() : this.forget(userId)),
      reset: () => this.clear(),
    })
  }

  get size(): number {
    return this.entries.size
  }

  /** The kept answer for this session of this user, if it may be used now. */
  get(userId: string, sessionId: string): Promise<Answer> | undefined {
    const entry = this.entries.get(sessionId)
    if (entry === undefined || entry.userId !== userId) {
      this.misses += 1
      return undefined
    }
    // A write made here is not yet known to have been reported back: read afresh (and have it settled).
    if (!this.feed.settled) {
      void this.feed.settle()
      this.misses += 1
      return undefined
    }
    if ((this.options.now ?? Date.now)() >= entry.until) {
      this.delete(sessionId, entry.userId)
      this.misses += 1
      return undefined
    }
    this.hits += 1
    return entry.answer
  }

  /** Taken before the query; null while nothing may be kept (the feed is down). */
  ticket(): Ticket | null {
    return this.feed.live ? this.generation : null
  }

  /** Keeps the answer for this session of this user, read with `ticket`, unless a change or reset came in meanwhile. */
  set(ticket: Ticket | null, sessionId: string, userId: string, answer: Answer, sessionExpiresAt: Date): void {
    if (ticket === null || ticket !== this.generation || !this.feed.live) return
    const now = (this.options.now ?? Date.now)()
    const until = Math.min(sessionExpiresAt.getTime(), now + this.options.ttlMs)
    if (until <= now) return
    const previous = this.entries.get(sessionId)
    if (previous) this.delete(sessionId, previous.userId)
    while (this.entries.size >= this.options.maxEntries) {
      const oldest = this.entries.entries().next().value
      if (!oldest) break
      this.delete(oldest[0], oldest[1].userId)
    }
    this.entries.set(sessionId, { userId, answer: Promise.resolve(answer), until })
    let sessions = this.byUser.get(userId)
    if (!sessions) this.byUser.set(userId, (sessions = new Set()))
    sessions.add(sessionId)
  }

  /** Drops every entry of this user. */
  forget(userId: string): void {
    this.generation += 1
    const sessions = this.byUser.get(userId)
    if (!sessions) return
    this.byUser.delete(userId)
    for (const sessionId of sessions) this.entries.delete(sessionId)
  }

  clear(): void {
    this.generation += 1
    this.entries.clear()
    this.byUser.clear()
  }

  private delete(sessionId: string, userId: string) {
    this.entries.delete(sessionId)
    const sessions = this.byUser.get(userId)
    sessions?.delete(sessionId)
    if (sessions?.size === 0) this.byUser.delete(userId)
  }
}
