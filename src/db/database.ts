// One code path for both databases: PostgreSQL through pg, or embedded PostgreSQL (PGlite).
// Prisma serves the domain queries; `sql` runs raw SQL (migrations, the per-request requester lookup).
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import pg from 'pg'
import { PGlite } from '@electric-sql/pglite'
import { PrismaPg } from '@prisma/adapter-pg'
import { PrismaPGlite } from 'pglite-prisma-adapter'
import { PrismaClient } from '../generated/prisma/client.js'
import { fencedAdapterFactory, readsOnly, WriteFence } from './changes.js'

export interface SqlExecutor {
  /** Runs one parameterised statement and returns its rows; `name` prepares it once per connection (not behind PgBouncer). */
  query<Row = Record<string, unknown>>(text: string, params?: unknown[], name?: string): Promise<Row[]>
  /** Runs a script of several statements with no parameters. */
  exec(script: string): Promise<void>
}

export interface Database {
  readonly kind: 'postgres' | 'pglite'
  readonly prisma: PrismaClient
  readonly sql: SqlExecutor
  /** Runs fn on one connection inside BEGIN/COMMIT (ROLLBACK on throw). */
  transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T>
  close(): Promise<void>
  /** Every write this process completes through `prisma`, `sql` or `transaction`, counted (src/db/changes.ts). */
  readonly fence: WriteFence
  /** PostgreSQL only: the server's URL when it is reached directly (not through a transaction-mode pooler). */
  readonly directUrl?: string
  /** Embedded database only: LISTEN on a channel in its own session; resolves to the UNLISTEN. */
  listen?(channel: string, callback: (payload: string) => void): Promise<() => Promise<void>>
  /** PostgreSQL only: the pool's connections now (for the metrics). */
  poolStats?(): { total: number; idle: number; waiting: number }
  /** Embedded database only: its whole data directory as a tarball (tests start from such a template). */
  dumpDataDir?(): Promise<Blob>
}

export interface DatabaseOptions {
  /** postgresql://… for a PostgreSQL server; undefined for the embedded database. */
  databaseUrl?: string
  /** Where the embedded database keeps its files; 'memory://' keeps it in memory. */
  dataDir: string
  /** Connections in the pool (PostgreSQL only). */
  poolSize?: number
  /**
   * Embedded database only: start in memory from a dumped data directory (the tar `dumpDataDir` makes) instead
   * of an empty one. Read, never changed, so one copy in memory can start any number of databases.
   */
  template?: Uint8Array
  /**
   * Embedded database only: PostgreSQL's shared_buffers (default 128MB). Every start initialises the whole pool,
   * so a small one (the test suite's 2MB) starts a database several times faster; the data is in memory anyway.
   */
  sharedBuffers?: string
  /** PostgreSQL only: bounded waits (the server's settings); without them, waits are unbounded (migrations, scripts). */
  limits?: PostgresLimits
}

export interface PostgresLimits {
  statementTimeoutMs: number
  acquireTimeoutMs: number
  reconnectBackoffMaxMs: number
}

/** How much longer than statement_timeout the client waits for a server that does not answer at all. */
const READ_TIMEOUT_MARGIN_MS = 500
const FIRST_BACKOFF_MS = 50

/** Thrown instead of opening a connection while the previous attempts failed: no connection storm. */
export class ReconnectBackoffError extends Error {
  // The code of the failure it stands in for, so that Prisma and our 500 category read it as an unreachable database.
  readonly code = 'ECONNREFUSED'
  constructor(waitMs: number) {
    super(`database connection failed recently; next connection attempt in ${waitMs} ms`)
    this.name = 'ReconnectBackoffError'
  }
}

/** After a failed connection attempt, the next waits 50 ms, doubling up to the maximum; a success resets it. */
export class ReconnectBackoff {
  private failures = 0
  private nextAttemptAt = 0

  private readonly maxMs: number
  private readonly now: () => number

  constructor(maxMs: number, now: () => number = Date.now) {
    this.maxMs = maxMs
    this.now = now
  }

  /** Milliseconds until a connection attempt is allowed again (0: now). */
  wait(): number {
    return Math.max(0, this.nextAttemptAt - this.now())
  }

  record(err: unknown) {
    if (!err) {
      this.failures = 0
      this.nextAttemptAt = 0
      return
    }
    this.failures += 1
    this.nextAttemptAt = this.now() + Math.min(this.maxMs, FIRST_BACKOFF_MS * 2 ** Math.min(this.failures - 1, 20))
  }
}

/** pg's error for a query that got no answer within `query_timeout`. */
const isReadTimeout = (err: unknown) => (err as Error | null)?.message === 'Query read timeout'

/**
 * A pg client for bounded waits. A query that got no answer in time leaves the connection out of step (its
 * answer may still come, or never): the connection is closed at once, so that what is queued behind it (the
 * transaction's ROLLBACK) fails at once instead of waiting as long again, and the pool drops it. With a
 * backoff, it refuses to connect while the backoff says wait and reports each attempt's outcome.
 */
function boundedClient(backoff: ReconnectBackoff | null): typeof pg.Client {
  return class BoundedClient extends pg.Client {
    private abandonIfTimedOut(err: unknown) {
      if (isReadTimeout(err)) (this as unknown as { connection?: { stream?: { destroy(): void } } }).connection?.stream?.destroy()
    }

    override query(...args: unknown[]): any {
      const last = args.length - 1
      if (typeof args[last] === 'function') {
        const callback = args[last] as (err: unknown, ...rest: unknown[]) => void
        args[last] = (err: unknown, ...rest: unknown[]) => {
          this.abandonIfTimedOut(err)
          callback(err, ...rest)
        }
      }
      const result = (super.query as (...a: unknown[]) => unknown)(...args)
      if (result && typeof (result as Promise<unknown>).then === 'function') {
        // A side branch that only looks: the caller still gets (and handles) the rejection.
        ;(result as Promise<unknown>).then(undefined, (err: unknown) => this.abandonIfTimedOut(err))
      }
      return result
    }

    override connect(): Promise<pg.Client>
    override connect(callback: ((err: Error) => void) | ((err: null, c: pg.Client) => void)): void
    override connect(callback?: (err: any, c?: any) => void): Promise<pg.Client> | void {
      if (!backoff) return callback ? super.connect(callback) : super.connect()
      const wait = backoff.wait()
      if (wait > 0) {
        const err = new ReconnectBackoffError(wait)
        if (!callback) return Promise.reject(err)
        process.nextTick(callback, err)
        return
      }
      if (!callback) {
        return super.connect().then(
          (client) => {
            backoff.record(undefined)
            return client
          },
          (err: unknown) => {
            backoff.record(err)
            throw err
          },
        )
      }
      super.connect((err: Error | null) => {
        backoff.record(err)
        callback(err, this)
      })
    }
  }
}

export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  return options.databaseUrl
    ? openPostgres(options.databaseUrl, options.poolSize ?? 10, options.limits)
    : openPGlite(options.dataDir, options.template, options.sharedBuffers)
}

/**
 * `?pgbouncer=true` (Prisma's spelling) on DATABASE_URL: a transaction-mode pooler (PgBouncer before 1.21)
 * is in front, so consecutive statements may reach different server connections. Then no statement is
 * prepared under a name, and no startup parameter the pooler refuses (statement_timeout) is sent.
 */
export function poolerSettings(url: string): { url: string; pgbouncer: boolean } {
  const parsed = new URL(url)
  const flag = parsed.searchParams.get('pgbouncer')
  if (flag === null) return { url, pgbouncer: false }
  parsed.searchParams.delete('pgbouncer')
  return { url: parsed.toString(), pgbouncer: flag === 'true' || flag === '1' }
}

async function openPostgres(givenUrl: string, poolSize: number, limits?: PostgresLimits): Promise<Database> {
  const { url, pgbouncer } = poolerSettings(givenUrl)
  const pool = new pg.Pool({
    connectionString: url,
    max: poolSize,
    connectionTimeoutMillis: limits?.acquireTimeoutMs ?? 5_000,
    // The server cancels a slow statement; the client gives up on one that gets no answer at all (a frozen server).
    // Behind PgBouncer the server's limit comes from the role or database (README): the pooler refuses the parameter.
    ...(limits && !pgbouncer && { statement_timeout: limits.statementTimeoutMs }),
    ...(limits && { query_timeout: limits.statementTimeoutMs + READ_TIMEOUT_MARGIN_MS }),
    ...(limits && {
      Client: boundedClient(limits.reconnectBackoffMaxMs > 0 ? new ReconnectBackoff(limits.reconnectBackoffMaxMs) : null),
    }),
    keepAlive: true,
  })
  // An idle client that errors (the server restarted) must not crash the process.
  pool.on('error', () => {})
  // A transaction waits for its connection no longer than any query does, and (unless it says otherwise, as
  // the membership changes queued on an organization's lock do) runs no longer than one statement may wait.
  const transactionOptions = limits && { maxWait: limits.acquireTimeoutMs, timeout: limits.statementTimeoutMs + READ_TIMEOUT_MARGIN_MS }
  const fence = new WriteFence()
  const prisma = new PrismaClient({
    adapter: fencedAdapterFactory(new PrismaPg(pool), fence),
    ...(transactionOptions && { transactionOptions }),
  })
  const sql: SqlExecutor = {
    async query(text, params, name) {
      const { rows } = await pool.query({ text, values: params as unknown[], name: pgbouncer ? undefined : name })
      if (!readsOnly(text)) fence.wrote()
      return rows
    },
    async exec(script) {
      await pool.query(script)
      fence.wrote()
    },
  }
  return {
    kind: 'postgres',
    prisma,
    sql,
    fence,
    ...(!pgbouncer && { directUrl: url }),
    async transaction(fn) {
      const client = await pool.connect()
      const tx: SqlExecutor = {
        async query(text, params) {
          return (await client.query(text, params as unknown[])).rows
        },
        async exec(script) {
          await client.query(script)
        },
      }
      try {
        await client.query('BEGIN')
        const result = await fn(tx)
        await client.query('COMMIT')
        fence.wrote()
        return result
      } catch (err) {
        await client.query('ROLLBACK').catch(() => {})
        throw err
      } finally {
        client.release()
      }
    },
    async close() {
      await prisma.$disconnect()
      await pool.end()
    },
    poolStats: () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }),
  }
}

export class DatabaseInUseError extends Error {}

/** PGlite is single-process: a pid file keeps a second process (a server, a script) away. */
function lockDataDir(dataDir: string): () => void {
  const file = join(dataDir, 'pglite.pid')
  try {
    writeFileSync(file, String(process.pid), { flag: 'wx' })
  } catch {
    const holder = Number(readFileSync(file, 'utf8'))
    let alive = false
    try {
      alive = holder > 0 && holder !== process.pid && process.kill(holder, 0)
    } catch {
      // no such process: the lock is stale
    }
    if (alive) throw new DatabaseInUseError(`the embedded database in ${dataDir} is in use by process ${holder}; stop it first`)
    writeFileSync(file, String(process.pid))
  }
  return () => rmSync(file, { force: true })
}

/** A dumped data directory as PGlite's loadDataDir reads it (only `type` and `arrayBuffer()`), without a copy. */
function tarOf(bytes: Uint8Array): Blob {
  const whole = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength
  const buffer = whole ? (bytes.buffer as ArrayBuffer) : (bytes.slice().buffer as ArrayBuffer)
  return { type: 'application/x-tar', arrayBuffer: async () => buffer } as Blob
}

async function openPGlite(dataDir: string, template?: Uint8Array, sharedBuffers?: string): Promise<Database> {
  let location = dataDir
  let unlock = () => {}
  if (!dataDir.startsWith('memory://') && !template) {
    location = join(dataDir, 'pglite')
    mkdirSync(location, { recursive: true })
    unlock = lockDataDir(dataDir)
  }
  const startParams = sharedBuffers ? { startParams: [...PGlite.defaultStartParams, '-c', `shared_buffers=${sharedBuffers}`] } : {}
  const db = await (
    template ? PGlite.create({ loadDataDir: tarOf(template), ...startParams }) : PGlite.create(location, startParams)
  ).catch((err) => {
    unlock()
    throw err
  })
  const fence = new WriteFence()
  const prisma = new PrismaClient({ adapter: fencedAdapterFactory(new PrismaPGlite(db), fence) })
  // Inside a transaction nothing is counted: the transaction is, at its commit.
  const wrap = (conn: Pick<PGlite, 'query' | 'exec'>, count: boolean): SqlExecutor => ({
    async query(text, params) {
      const { rows } = await conn.query(text, params as unknown[])
      if (count && !readsOnly(text)) fence.wrote()
      return rows as never[]
    },
    async exec(script) {
      await conn.exec(script)
      if (count) fence.wrote()
    },
  })
  return {
    kind: 'pglite',
    prisma,
    sql: wrap(db, true),
    fence,
    async transaction(fn) {
      const result = await db.transaction((tx) => fn(wrap(tx, false)))
      fence.wrote()
      return result
    },
    async listen(channel, callback) {
      return db.listen(channel, callback)
    },
    async close() {
      await prisma.$disconnect()
      await db.close()
      unlock()
    },
    dumpDataDir: () => db.dumpDataDir('none') as Promise<Blob>,
  }
}
