// Metrics and tracing, wired as one plugin. Whatever is switched off registers no hook at all.
import type { Server } from 'node:http'
import type { FastifyInstance, FastifyReply, FastifyRequest, RouteHandlerMethod } from 'fastify'
import fp from 'fastify-plugin'
import { context, defaultTextMapGetter, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Context, type Span } from '@opentelemetry/api'
import { W3CTraceContextPropagator } from '@opentelemetry/core'
import {
  ATTR_HTTP_REQUEST_METHOD,
  ATTR_HTTP_RESPONSE_STATUS_CODE,
  ATTR_HTTP_ROUTE,
  ATTR_URL_PATH,
  ATTR_URL_SCHEME,
} from '@opentelemetry/semantic-conventions'
import type { Config } from '../config.js'
import type { Database } from '../db/database.js'
import { observeDatabase } from './database.js'
import { createGraphqlObserver, type GraphqlObserver } from './graphql.js'
import { createMetrics, listenForScrapes, portOf, type GatewayMetrics } from './metrics.js'
import { ATTR_REQUEST_ID, createTracing, REQUEST_ID, type Tracing } from './tracing.js'
import type { SpanExporter } from '@opentelemetry/sdk-trace-node'

/** What the app observes itself with; created before the app, because the database is wrapped as it opens. */
export interface Observability {
  readonly metrics: GatewayMetrics | undefined
  readonly tracing: Tracing | undefined
  /** The database as the app should use it: every query timed and traced when either is on. */
  observeDatabase(db: Database): Database
}

export function createObservability(config: Config, options: { spanExporter?: SpanExporter } = {}): Observability {
  const metrics = config.metrics.port !== undefined ? createMetrics() : undefined
  const tracing = createTracing(config.tracing, options.spanExporter)
  return {
    metrics,
    tracing,
    observeDatabase(db) {
      if (metrics && db.poolStats) metrics.watchPool(() => db.poolStats!())
      return observeDatabase(db, { tracer: tracing?.tracer, metrics })
    },
  }
}

declare module 'fastify' {
  interface FastifyInstance {
    /** The metrics listener's port, when it listens (METRICS_PORT=0 picks a free one). */
    metricsPort: number | undefined
    /** Observes each GraphQL operation (span, counts); undefined when tracing and metrics are off. */
    graphqlObserver: GraphqlObserver | undefined
  }
}

const kSpan = Symbol('httpSpan')
const kTraceContext = Symbol('traceContext')
type Traced = FastifyRequest & { [kSpan]?: Span; [kTraceContext]?: Context }

const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'])
const UNMATCHED = '(unmatched)'
const propagator = new W3CTraceContextPropagator()

async function observabilityPlugin(app: FastifyInstance, { observability }: { observability: Observability }) {
  const { metrics, tracing } = observability
  app.decorate('metricsPort', undefined)
  const graphqlObserver = createGraphqlObserver({ tracer: tracing?.tracer, metrics })
  app.decorate('graphqlObserver', graphqlObserver)

  if (metrics) {
    const { port, host } = app.config.metrics
    let server: Server | undefined
    // Once the app is whole: a gateway that fails to start leaves no listener behind.
    app.addHook('onReady', async () => {
      server = await listenForScrapes(metrics.registry, port!, host)
      app.metricsPort = portOf(server)
      app.log.info(`metrics at http://${host}:${app.metricsPort}/metrics`)
    })
    app.addHook('onClose', async () => {
      if (!server) return
      server.closeAllConnections()
      await new Promise((resolve) => server!.close(resolve))
    })
    app.addHook('onResponse', (request, reply, done) => {
      const method = METHODS.has(request.method) ? request.method : 'OTHER'
      const route = request.routeOptions.url ?? UNMATCHED
      // The exact code: 401, 403 and 429 mean different things; Fastify answers only codes from 100 to 599.
      metrics.httpDuration.observe({ method, route, status_code: reply.statusCode }, reply.elapsedTime / 1000)
      done()
    })
  }

  if (tracing) {
    const { tracer } = tracing
    app.addHook('onRequest', (request: Traced, _reply, done) => {
      // A caller's traceparent continues its trace; otherwise the request starts one.
      const parent = request.headers.traceparent ? propagator.extract(ROOT_CONTEXT, request.headers, defaultTextMapGetter) : ROOT_CONTEXT
      const route = request.routeOptions.url
      const span = tracer.startSpan(
        route ? `${request.method} ${route}` : request.method,
        {
          kind: SpanKind.SERVER,
          attributes: {
            [ATTR_HTTP_REQUEST_METHOD]: request.method,
            [ATTR_URL_PATH]: request.url.split('?')[0]!,
            // http or https as the client used it (X-Forwarded-Proto from a trusted proxy, TRUST_PROXY).
            [ATTR_URL_SCHEME]: request.protocol,
            ...(route && { [ATTR_HTTP_ROUTE]: route }),
            [ATTR_REQUEST_ID]: request.id,
          },
        },
        parent,
      )
      request[kSpan] = span
      request[kTraceContext] = trace.setSpan(parent, span).setValue(REQUEST_ID, request.id)
      done()
    })
    /** Ends the request's span; status undefined: the client went away first. */
    const end = (request: Traced, status: number | undefined) => {
      const span = request[kSpan]
      if (!span) return
      request[kSpan] = undefined
      if (status === undefined) span.setAttribute('http.request.aborted', true)
      else span.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, status)
      if (status === undefined || status >= 500) span.setStatus({ code: SpanStatusCode.ERROR })
      span.end()
    }
    app.addHook('onResponse', (request, reply, done) => {
      end(request, reply.statusCode)
      done()
    })
    app.addHook('onRequestAbort', (request, done) => {
      end(request, undefined)
      done()
    })
    // Handlers run inside the request's span, so that what they start (GraphQL, queries) nests under it.
    app.addHook('onRoute', (route) => {
      const handler = route.handler as RouteHandlerMethod
      route.handler = function tracedHandler(this: FastifyInstance, request: Traced, reply: FastifyReply) {
        const ctx = request[kTraceContext]
        return ctx ? context.with(ctx, handler, this, request, reply) : handler.call(this, request, reply)
      } as RouteHandlerMethod
    })
    app.addHook('onClose', async () => {
      await tracing.shutdown()
    })
  }
}

export default fp(observabilityPlugin, { name: 'observability', dependencies: ['config'] })
