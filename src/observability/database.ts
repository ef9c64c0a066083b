// Each database query as a span and a duration: raw SQL (by statement name or verb), Prisma (by model.action), transactions.
import { context, SpanKind, SpanStatusCode, trace, type Tracer } from '@opentelemetry/api'
import { ATTR_DB_OPERATION_NAME, ATTR_DB_QUERY_TEXT, ATTR_DB_SYSTEM_NAME, ATTR_ERROR_TYPE } from '@opentelemetry/semantic-conventions'
import type { Database, SqlExecutor } from '../db/database.js'
import type { PrismaClient } from '../generated/prisma/client.js'
import type { GatewayMetrics } from './metrics.js'
import { ATTR_REQUEST_ID, requestIdIn } from './tracing.js'

export interface DatabaseObservers {
  tracer?: Tracer
  metrics?: GatewayMetrics
}

/** SELECT, INSERT …: a label with a handful of values, whatever the SQL. */
export function sqlVerb(text: string): string {
  const verb = /^\s*([A-Za-z]+)/.exec(text)?.[1]?.toUpperCase()
  return verb && ['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'WITH', 'BEGIN', 'COMMIT', 'ROLLBACK'].includes(verb) ? verb : 'OTHER'
}

export function observeDatabase(db: Database, { tracer, metrics }: DatabaseObservers): Database {
  if (!tracer && !metrics) return db

  async function observed<T>(operation: string, attributes: Record<string, string>, run: () => Promise<T>): Promise<T> {
    const start = performance.now()
    let outcome = 'success'
    const active = context.active()
    const requestId = requestIdIn(active)
    const span = tracer?.startSpan(
      operation,
      {
        kind: SpanKind.CLIENT,
        attributes: { [ATTR_DB_SYSTEM_NAME]: 'postgresql', ...attributes, ...(requestId && { [ATTR_REQUEST_ID]: requestId }) },
      },
      active,
    )
    try {
      return span ? await context.with(trace.setSpan(active, span), run) : await run()
    } catch (err) {
      outcome = 'error'
      // The error's class only: a driver message can quote the data.
      span?.setAttribute(ATTR_ERROR_TYPE, (err as Error)?.name ?? 'Error')
      span?.setStatus({ code: SpanStatusCode.ERROR })
      throw err
    } finally {
      span?.end()
      metrics?.dbQueryDuration.observe({ operation, outcome }, (performance.now() - start) / 1000)
    }
  }

  const observeSql = (sql: SqlExecutor): SqlExecutor => ({
    query(text, params, name) {
      const verb = sqlVerb(text)
      return observed(name ?? verb, { [ATTR_DB_OPERATION_NAME]: verb, [ATTR_DB_QUERY_TEXT]: text }, () => sql.query(text, params, name))
    },
    exec(script) {
      return observed('script', { [ATTR_DB_OPERATION_NAME]: 'script' }, () => sql.exec(script))
    },
  })

  // One span per Prisma call; the SQL it runs is Prisma's business, the call is ours.
  const prisma = db.prisma.$extends({
    query: {
      $allOperations({ model, operation, args, query }) {
        const name = model ? `${model}.${operation}` : operation
        return observed(name, { [ATTR_DB_OPERATION_NAME]: operation }, () => query(args))
      },
    },
  }) as unknown as PrismaClient

  return {
    ...db,
    kind: db.kind,
    prisma,
    sql: observeSql(db.sql),
    transaction: (fn) =>
      observed('transaction', { [ATTR_DB_OPERATION_NAME]: 'transaction' }, () => db.transaction((tx) => fn(observeSql(tx)))),
    close: () => db.close(),
  }
}
