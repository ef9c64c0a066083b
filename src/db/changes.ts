// What tells a gateway that a cached requester may be stale: the database itself. A trigger on users and sessions
// (migration 20261205140000_requester_changes) sends NOTIFY "gateway_requester" with the user's id at commit, for
// every write whoever makes it; each gateway LISTENs (a connection of its own on PostgreSQL, in-process on PGlite).
//
// Two more things make "at once" exact rather than "soon":
// - The write fence: every write this process commits (Prisma through its driver adapter, raw SQL, transactions)
//   is counted when it completes. Until this process' listener has received a marker NOTIFY sent after those
//   writes (PostgreSQL delivers notifications in commit order), the cache is not used: a request that follows a
//   write made here never sees what the write replaced, however slow the notification is.
// - The listener's health: caching is on only while the listener is connected and answering; a lost or frozen
//   connection turns it off (and empties the cache) until it is back.
import { randomUUID } from 'node:crypto'
import pg from 'pg'
import type { IsolationLevel, SqlDriverAdapter, SqlDriverAdapterFactory, SqlQuery, Transaction } from '@prisma/driver-adapter-utils'

export const REQUESTER_CHANNEL = 'gateway_requester'
/** The payload of a change that may concern anyone (a TRUNCATE). */
export const EVERYONE = '*'

/** Writes completed by this process, counted as they complete (a transaction's at its commit). */
export class WriteFence {
  written = 0
  wrote(): void {
    this.written += 1
  }
}

/** A statement that only reads (the requester lookup, readiness): not counted as a write. */
export const readsOnly = (sql: string) => /^\s*select\b/i.test(sql)

/**
 * Prisma's driver adapter, counting writes into the fence: a statement outside a transaction when it is not a
 * SELECT, a transaction at its commit. Every Prisma call of the process goes through it, whatever client
 * extension wraps the client.
 */
export function fencedAdapterFactory<F extends SqlDriverAdapterFactory>(factory: F, fence: WriteFence): F {
  return delegate(factory, {
    connect: async () => fencedAdapter(await factory.connect(), fence),
  })
}

function fencedAdapter(adapter: SqlDriverAdapter, fence: WriteFence): SqlDriverAdapter {
  const counted =
    <A extends unknown[], R>(run: (query: SqlQuery, ...rest: A) => Promise<R>) =>
    async (query: SqlQuery, ...rest: A): Promise<R> => {
      const result = await run(query, ...rest)
      if (!readsOnly(query.sql)) fence.wrote()
      return result
    }
  return delegate(adapter, {
    queryRaw: counted(adapter.queryRaw.bind(adapter)),
    executeRaw: counted(adapter.executeRaw.bind(adapter)),
    executeScript: async (script: string) => {
      await adapter.executeScript(script)
      fence.wrote()
    },
    startTransaction: async (isolationLevel?: IsolationLevel) => fencedTransaction(await adapter.startTransaction(isolationLevel), fence),
  })
}

function fencedTransaction(transaction: Transaction, fence: WriteFence): Transaction {
  return delegate(transaction, {
    // Prisma sends COMMIT, then calls commit() (the adapter's release); with a phantom query commit() commits.
    commit: async () => {
      await transaction.commit()
      fence.wrote()
    },
  })
}

/** An object that answers with `overrides` first, then with `target`'s own members (bound to it). */
function delegate<T extends object>(target: T, overrides: Record<string, unknown>): T {
  return new Proxy(target, {
    get(object, key) {
      if (typeof key === 'string' && Object.hasOwn(overrides, key)) return overrides[key]
      const value = Reflect.get(object, key, object) as unknown
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(object) : value
    },
  })
}

export interface ChangeListener {
  /** Something the requester lookup of this user reads changed (EVERYONE: of any user). */
  changed(userId: string): void
  /** The feed went down or came back: nothing cached before can be trusted. */
  reset(): void
}

export interface ChangeFeed {
  /** Whether every committed change is being reported: false while the listener is down. */
  readonly live: boolean
  /** Whether every write this process completed has been reported back (see WriteFence). */
  readonly settled: boolean
  /** Other gateways heard from lately: a settle waits for each one's acknowledgement too. */
  readonly peers: number
  subscribe(listener: ChangeListener): void
  /**
   * Resolves once the changes of every write this process completed before the call have been reported, or the
   * feed has given up on them (then it went down, and reset its listeners).
   */
  settle(): Promise<void>
  close(): Promise<void>
}

export interface FeedTransport {
  /** Sends a marker through the channel, in commit order after everything committed before. */
  notify(payload: string): Promise<void>
}

/**
 * What both transports share: dispatching payloads, the settle markers and their acknowledgements, resets.
 *
 * Payloads besides a user id: `hello:<gateway>` (each gateway's heartbeat, so that gateways know each other),
 * `marker:<gateway>:<n>` (a settle's marker) and `ack:<gateway>:<n>:<from>` (a gateway that received the marker
 * — and so, notifications being delivered in commit order, every change committed before it).
 */
class FeedCore implements ChangeFeed {
  live = false
  private listeners: ChangeListener[] = []
  private settledUpTo = 0
  private settling: Promise<void> | null = null
  private readonly markers = new Map<string, { back: boolean; waitingFor: Set<string>; done: () => void }>()
  readonly instance = randomUUID()
  /** Other gateways, by the time they were last heard from. */
  private readonly heardFrom = new Map<string, number>()
  private sequence = 0
  transport: FeedTransport | null = null

  private readonly fence: WriteFence
  private readonly settleTimeoutMs: number
  /** How long a gateway not heard from still counts as one that must acknowledge markers. */
  private readonly peerWindowMs: number
  /** Called when our own marker did not come back in time: the transport must be torn down (and go down). */
  private readonly onMarkerLost: () => void

  constructor(fence: WriteFence, settleTimeoutMs: number, peerWindowMs: number, onMarkerLost: () => void) {
    this.fence = fence
    this.settleTimeoutMs = settleTimeoutMs
    this.peerWindowMs = peerWindowMs
    this.onMarkerLost = onMarkerLost
  }

  get settled(): boolean {
    return this.settledUpTo >= this.fence.written
  }

  get peers(): number {
    return this.heardFrom.size
  }

  subscribe(listener: ChangeListener): void {
    this.listeners.push(listener)
  }

  receive(payload: string): void {
    const colon = payload.indexOf(':')
    const kind = colon > 0 ? payload.slice(0, colon) : ''
    if (kind === 'hello') return this.heard(payload.slice(colon + 1))
    if (kind === 'marker') {
      const [from, n] = payload.slice(colon + 1).split(':')
      if (from === this.instance) return this.arrived(payload, undefined)
      if (!from || !n) return
      this.heard(from)
      // Every change committed before that marker has reached this gateway: say so.
      this.transport?.notify(`ack:${from}:${n}:${this.instance}`).catch(() => {})
      return
    }
    if (kind === 'ack') {
      const [to, n, from] = payload.slice(colon + 1).split(':')
      if (!from) return
      this.heard(from)
      if (to === this.instance) this.arrived(`marker:${to}:${n}`, from)
      return
    }
    for (const listener of this.listeners) listener.changed(payload)
  }

  private heard(peer: string) {
    if (peer !== this.instance) this.heardFrom.set(peer, Date.now())
  }

  private arrived(marker: string, ackFrom: string | undefined) {
    const waiting = this.markers.get(marker)
    if (!waiting) return
    if (ackFrom === undefined) waiting.back = true
    else waiting.waitingFor.delete(ackFrom)
    if (waiting.back && waiting.waitingFor.size === 0) waiting.done()
  }

  up(): void {
    this.live = true
    for (const listener of this.listeners) listener.reset()
  }

  down(): void {
    const was = this.live
    this.live = false
    // Markers in flight will not come back on this connection: their waiters go on (the cache is off now).
    for (const waiting of this.markers.values()) waiting.done()
    this.markers.clear()
    if (was) for (const listener of this.listeners) listener.reset()
  }

  settle(): Promise<void> {
    if (this.settled) return Promise.resolve()
    this.settling ??= this.settleAll().finally(() => (this.settling = null))
    return this.settling
  }

  private async settleAll(): Promise<void> {
    while (!this.settled) {
      const upTo = this.fence.written
      // While down the cache is off, and it is emptied when the feed comes back: nothing to wait for.
      if (this.live && this.transport) await this.roundTrip(this.transport)
      this.settledUpTo = Math.max(this.settledUpTo, upTo)
    }
  }

  /** Our marker back on our own listener, and acknowledged by every gateway heard from lately. */
  private async roundTrip(transport: FeedTransport): Promise<void> {
    const payload = `marker:${this.instance}:${++this.sequence}`
    const now = Date.now()
    const waitingFor = new Set<string>()
    for (const [peer, seen] of this.heardFrom) {
      if (now - seen <= this.peerWindowMs) waitingFor.add(peer)
      else this.heardFrom.delete(peer)
    }
    let timer: NodeJS.Timeout | undefined
    const waiting = { back: false, waitingFor, done: () => {} }
    const finished = new Promise<void>((resolve) => {
      waiting.done = () => {
        this.markers.delete(payload)
        resolve()
      }
      this.markers.set(payload, waiting)
      timer = setTimeout(() => {
        if (!this.markers.has(payload)) return
        waiting.done()
        // A gateway that did not answer is no longer waited for (it is gone, or its own heartbeat will fail).
        for (const peer of waiting.waitingFor) this.heardFrom.delete(peer)
        if (!waiting.back) this.onMarkerLost()
      }, this.settleTimeoutMs)
    })
    try {
      await transport.notify(payload)
      await finished
    } catch {
      // The marker could not be sent: the channel is in doubt.
      waiting.done()
      this.onMarkerLost()
    } finally {
      clearTimeout(timer)
    }
  }

  async close(): Promise<void> {}
}

export interface PostgresFeedOptions {
  url: string
  fence: WriteFence
  /** A listener that does not answer its heartbeat within this long is dropped (and caching stops). */
  timeoutMs: number
  /** How often the listener is checked. */
  heartbeatMs: number
  /** Reconnection waits, doubling from 100 ms up to this. */
  reconnectMaxMs: number
  onError?: (err: unknown) => void
}

/** LISTEN on a connection of its own (never through a transaction-mode pooler: LISTEN needs a session). */
export function postgresChangeFeed(options: PostgresFeedOptions): ChangeFeed {
  let client: pg.Client | null = null
  let closed = false
  let failures = 0
  let reconnectTimer: NodeJS.Timeout | undefined
  let heartbeatTimer: NodeJS.Timeout | undefined

  const drop = (which: pg.Client) => {
    if (which !== client) return
    client = null
    clearInterval(heartbeatTimer)
    core.transport = null
    core.down()
    // The socket, not end(): end() waits for a server that may never answer.
    ;(which as unknown as { connection?: { stream?: { destroy(): void } } }).connection?.stream?.destroy()
    which.end().catch(() => {})
    if (!closed) {
      const wait = Math.min(options.reconnectMaxMs, 100 * 2 ** Math.min(failures, 10))
      failures += 1
      reconnectTimer = setTimeout(() => void connect(), wait)
      reconnectTimer.unref()
    }
  }
  const core = new FeedCore(options.fence, options.timeoutMs, 3 * options.heartbeatMs + options.timeoutMs, () => client && drop(client))
  const hello = `hello:${core.instance}`

  const withTimeout = <T>(work: Promise<T>): Promise<T> => {
    let timer: NodeJS.Timeout | undefined
    const late = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => reject(new Error('change feed: no answer in time')), options.timeoutMs)
    })
    return Promise.race([work, late]).finally(() => clearTimeout(timer))
  }

  async function connect() {
    if (closed) return
    const candidate = new pg.Client({ connectionString: options.url, keepAlive: true, connectionTimeoutMillis: options.timeoutMs })
    client = candidate
    candidate.on('notification', (message) => {
      if (candidate === client && message.channel === REQUESTER_CHANNEL) core.receive(message.payload ?? EVERYONE)
    })
    candidate.on('error', (err) => {
      options.onError?.(err)
      drop(candidate)
    })
    candidate.on('end', () => drop(candidate))
    try {
      await withTimeout(candidate.connect())
      await withTimeout(candidate.query(`LISTEN ${REQUESTER_CHANNEL}`))
    } catch (err) {
      options.onError?.(err)
      drop(candidate)
      return
    }
    if (candidate !== client || closed) return
    failures = 0
    const transport: FeedTransport = {
      async notify(payload) {
        await withTimeout(candidate.query('SELECT pg_notify($1, $2)', [REQUESTER_CHANNEL, payload]))
      },
    }
    core.transport = transport
    // The heartbeat checks the connection and tells the other gateways this one is there (they then wait for its
    // acknowledgement of their markers).
    const beat = () =>
      transport.notify(hello).catch((err: unknown) => {
        options.onError?.(err)
        drop(candidate)
      })
    heartbeatTimer = setInterval(beat, options.heartbeatMs)
    heartbeatTimer.unref()
    core.up()
    void beat()
  }

  void connect()
  core.close = async () => {
    closed = true
    clearTimeout(reconnectTimer)
    if (client) drop(client)
  }
  return core
}

/** PGlite: LISTEN in the database's own (only) session; notifications arrive in-process, nothing can be lost. */
export async function embeddedChangeFeed(
  listen: (channel: string, callback: (payload: string) => void) => Promise<() => Promise<void>>,
  notify: (payload: string) => Promise<void>,
  fence: WriteFence,
): Promise<ChangeFeed> {
  // One process: no other gateway to wait for, and nothing can be lost.
  const core = new FeedCore(fence, 10_000, 0, () => {})
  const unlisten = await listen(REQUESTER_CHANNEL, (payload) => core.receive(payload))
  core.transport = { notify }
  core.up()
  core.close = async () => {
    core.down()
    await unlisten().catch(() => {})
  }
  return core
}
