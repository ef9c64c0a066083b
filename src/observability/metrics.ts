// Prometheus metrics (prom-client) in a registry of the app's own, served on a listener of its own.
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client'

/** A pool's connections now; PostgreSQL only (the embedded database has one connection, no pool). */
export interface PoolStats {
  total: number
  idle: number
  waiting: number
}

export interface GatewayMetrics {
  readonly registry: Registry
  readonly httpDuration: Histogram<'method' | 'route' | 'status_code'>
  readonly graphqlOperations: Counter<'operation' | 'outcome'>
  readonly graphqlDuration: Histogram<'operation' | 'type'>
  readonly dbQueryDuration: Histogram<'operation' | 'outcome'>
  readonly authOutcomes: Counter<'flow' | 'outcome'>
  readonly rateLimitRefusals: Counter<'operation'>
  /** Adds the pool gauges, which read these stats at every scrape. */
  watchPool(stats: () => PoolStats | undefined): void
}

const SECONDS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]

export function createMetrics(): GatewayMetrics {
  const registry = new Registry()
  collectDefaultMetrics({ register: registry })
  return {
    registry,
    httpDuration: new Histogram({
      name: 'gateway_http_request_duration_seconds',
      help: 'HTTP requests by method, route pattern and status code, until the response is sent',
      labelNames: ['method', 'route', 'status_code'],
      buckets: SECONDS,
      registers: [registry],
    }),
    graphqlOperations: new Counter({
      name: 'gateway_graphql_operations_total',
      help: 'GraphQL operations (over /graphql and behind the REST routes) by operation name and outcome',
      labelNames: ['operation', 'outcome'],
      registers: [registry],
    }),
    graphqlDuration: new Histogram({
      name: 'gateway_graphql_operation_duration_seconds',
      help: 'GraphQL operations (over /graphql and behind the REST routes) by known operation name and type, parse to result',
      labelNames: ['operation', 'type'],
      buckets: SECONDS,
      registers: [registry],
    }),
    dbQueryDuration: new Histogram({
      name: 'gateway_db_query_duration_seconds',
      help: 'Database queries by operation (statement name or Prisma model.action) and outcome',
      labelNames: ['operation', 'outcome'],
      buckets: SECONDS,
      registers: [registry],
    }),
    authOutcomes: new Counter({
      name: 'gateway_auth_outcomes_total',
      help: 'Logins and refreshes by outcome (success or the error_code)',
      labelNames: ['flow', 'outcome'],
      registers: [registry],
    }),
    rateLimitRefusals: new Counter({
      name: 'gateway_rate_limit_refusals_total',
      help: 'Requests refused by the attempt limits, by operation field (login, register, refresh …)',
      labelNames: ['operation'],
      registers: [registry],
    }),
    watchPool(stats) {
      // Registered only for a database with a pool, so that the embedded one shows no made-up zeros.
      const poolGauge = (name: string, help: string, read: (s: PoolStats) => number) =>
        new Gauge({
          name,
          help,
          registers: [registry],
          collect() {
            const now = stats()
            if (now) this.set(read(now))
          },
        })
      poolGauge('gateway_db_pool_connections', 'PostgreSQL connections open in the pool', (s) => s.total)
      poolGauge('gateway_db_pool_idle_connections', 'PostgreSQL connections idle in the pool', (s) => s.idle)
      poolGauge('gateway_db_pool_waiting_requests', 'Queries waiting for a free PostgreSQL connection', (s) => s.waiting)
    },
  }
}

/** GET /metrics on its own port, so that it is never exposed with the API. */
export async function listenForScrapes(registry: Registry, port: number, host: string): Promise<Server> {
  const server = createServer((req, res) => {
    const path = (req.url ?? '').split('?')[0]
    if (req.method !== 'GET' || path !== '/metrics') {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('Not found\n')
      return
    }
    registry.metrics().then(
      (text) => res.writeHead(200, { 'content-type': registry.contentType }).end(text),
      () => res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' }).end('Metrics unavailable\n'),
    )
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, host, () => {
      server.off('error', reject)
      resolve()
    })
  })
  return server
}

export const portOf = (server: Server) => (server.address() as AddressInfo).port
