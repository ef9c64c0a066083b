// GET /health: the process is up. GET /ready: the database answers and is migrated, Redis (when configured)
// answers. And the drain: after SIGTERM, new requests get a 503 envelope and every response closes its connection.
import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import { MIGRATE_HINT, pendingMigrations, readMigrations } from './db/migrate.js'
import { internalCategory } from './graphql/errors.js'

const health = {
  type: 'object',
  properties: { status: { type: 'string' } },
  required: ['status'],
} as const

const readiness = {
  type: 'object',
  properties: { status: { type: 'string' }, reason: { type: 'string' } },
  required: ['status'],
} as const

export const SHUTTING_DOWN = { success: false, message: 'Service unavailable: the server is shutting down' } as const
const STOPPING = { status: 'shutting down', reason: 'the server is shutting down' } as const

export interface Drain {
  /** From now on: new requests are answered 503, responses in flight close their connection, /ready is 503. */
  start(): void
  /**
   * While held, responses keep their connection open (requests are still answered 503), so clients stop
   * opening new connections and the listener can close with none queued; released, they close again.
   */
  holdConnections(hold: boolean): void
  readonly draining: boolean
}

declare module 'fastify' {
  interface FastifyInstance {
    drain: Drain
  }
}

interface NotReady {
  status: string
  reason: string
}

/** Registered before every route, so that its hooks apply to all of them. */
async function drainPlugin(app: FastifyInstance) {
  let draining = false
  let closing = false
  app.decorate('drain', {
    start: () => void (draining = closing = true),
    holdConnections: (hold: boolean) => void (closing = draining && !hold),
    get draining() {
      return draining
    },
  })
  // Callback style, one boolean each: these run on every request.
  app.addHook('onRequest', (request, reply, done) => {
    if (!draining) return done()
    if (closing) reply.header('connection', 'close')
    // /ready keeps its own shape (a load balancer reads it): 503 while stopping.
    if (request.routeOptions.url === '/ready') return reply.code(503).send(STOPPING)
    reply.code(503).send(SHUTTING_DOWN)
  })
  app.addHook('onSend', (_request, reply, payload, done) => {
    if (closing) reply.header('connection', 'close')
    done(null, payload)
  })
}

export const drain = fp(drainPlugin, { name: 'drain' })

/** A check that does not answer in time is a problem of its own. */
function within<T>(ms: number, check: Promise<T>, late: NotReady): Promise<T | NotReady> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<NotReady>((resolve) => (timer = setTimeout(() => resolve(late), ms)))
  return Promise.race([check, timeout]).finally(() => clearTimeout(timer))
}

async function opsPlugin(app: FastifyInstance) {
  const expected = readMigrations().map((m) => m.name)
  const { readyTimeoutMs } = app.config.faults
  const noAnswer = `no answer within ${readyTimeoutMs} ms`

  async function databaseProblem(): Promise<NotReady | undefined> {
    let pending: string[]
    try {
      pending = await pendingMigrations(app.db)
    } catch (err) {
      const category = internalCategory(err)
      app.failures.report(category, err)
      return { status: 'database unavailable', reason: category }
    }
    if (pending.length === 0) return undefined
    return {
      status: 'database not migrated',
      reason: `${pending.length} of ${expected.length} migrations not applied (${MIGRATE_HINT})`,
    }
  }

  async function redisProblem(): Promise<NotReady | undefined> {
    const reason = await app.attempts.unavailableReason()
    return reason ? { status: 'redis unavailable', reason } : undefined
  }

  app.get('/health', { schema: { tags: ['Operations'], summary: 'Liveness', security: [], response: { 200: health } } }, async () => ({
    status: 'ok',
  }))
  app.get(
    '/ready',
    {
      schema: {
        tags: ['Operations'],
        summary: 'Readiness: 503 while the database does not answer or is not migrated, or Redis (when configured) does not answer',
        security: [],
        response: { 200: readiness, 503: readiness },
      },
    },
    async (_request, reply) => {
      const problems = await Promise.all([
        within(readyTimeoutMs, databaseProblem(), { status: 'database unavailable', reason: noAnswer }),
        within(readyTimeoutMs, redisProblem(), { status: 'redis unavailable', reason: noAnswer }),
      ])
      const problem = problems.find((p) => p !== undefined)
      return problem ? reply.code(503).send(problem) : { status: 'ready' }
    },
  )
}

export default fp(opsPlugin, { name: 'ops', dependencies: ['database', 'credentials', 'failure-log'] })
