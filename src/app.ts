// buildApp(config): the gateway as a Fastify instance, its plugins registered in order.
import { serializerFactory, sharedValidators } from './edge/serializers.js'
import Fastify, { type FastifyInstance, type FastifyPluginAsync } from 'fastify'
import fp from 'fastify-plugin'
import type { Config, TrustProxy } from './config.js'
import databasePlugin, { type DatabasePluginOptions } from './db/plugin.js'
import authPlugin from './auth/plugin.js'
import credentialsPlugin from './auth/credentials.js'
import graphqlPlugin from './edge/plugin.js'
import restPlugin, { compatRoutes } from './rest/plugin.js'
import opsRoutes, { drain } from './ops.js'
import jwksRoutes from './auth/jwks.js'
import failureLog from './failureLog.js'
import securityHeaders from './securityHeaders.js'
import apiDocs from './docs/plugin.js'
import playgroundRoutes from './playground/plugin.js'
import inputText from './edge/text.js'
import { clientErrorHandler, frameworkErrors, httpProtocolRefusals, MAX_PARAM_LENGTH, repairPercentEncoding } from './edge/refusals.js'
import mailPlugin from './mail/plugin.js'
import requestIds, { requestIdOf } from './observability/requestIds.js'
import { requestSerializer } from './observability/requestLog.js'
import corsPlugin from './observability/cors.js'
import observabilityPlugin, { createObservability } from './observability/plugin.js'
import type { SpanExporter } from '@opentelemetry/sdk-trace-node'

declare module 'fastify' {
  interface FastifyInstance {
    config: Config
  }
}

/** Paths that never reach a log line, in any object logged. */
// Explicit paths, no wildcards: a wildcard makes pino run the redactor on every request's child logger.
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'headers.authorization',
  'password',
  'passwordHash',
  'accessToken',
  'refreshToken',
  'refresh_token',
  'token',
  'secret',
  'body.password',
  'body.refreshToken',
  'body.refresh_token',
  'variables.password',
  'variables.refreshToken',
  'input.password',
  'body.newPassword',
  'body.token',
  'body.code',
  'variables.newPassword',
  'variables.token',
  'variables.code',
  'currentPassword',
  'body.currentPassword',
  'variables.currentPassword',
  'input.currentPassword',
]

/**
 * Fastify's trustProxy for our setting. A hop count becomes a function: Fastify 5.12+ ignores a bare
 * number (it cannot validate the peer), and the count is what the operator promised.
 */
export function fastifyTrustProxy(trust: TrustProxy): boolean | string[] | ((address: string, hop: number) => boolean) {
  if (trust === false || trust === 0) return false
  if (typeof trust === 'number') return (_address, hop) => hop < trust
  return trust
}

export interface BuildOptions extends DatabasePluginOptions {
  /** Where log lines go instead of stdout (tests read them to prove secrets stay out). */
  logStream?: { write(line: string): void }
  /** Traces go here instead of OTLP (tests read them); tracing is on whenever one is given. */
  spanExporter?: SpanExporter
  /**
   * mercurius extensions (hooks with app.graphql.addHook, loaders with app.graphql.defineLoaders, mercurius
   * plugins), registered once the engine is and before the routes: they see /graphql and REST alike.
   * Wrap them with fastify-plugin so that what they decorate is the app's.
   */
  graphqlPlugins?: FastifyPluginAsync[]
  /**
   * Where compiled response serializers are kept between processes (src/edge/serializers.ts): the test suite, whose
   * hundred processes build the same ones. Without it, they are compiled once per process.
   */
  compiledSchemasDir?: string
}

export async function buildApp(config: Config, options: BuildOptions = {}): Promise<FastifyInstance> {
  const observability = createObservability(config, { spanExporter: options.spanExporter })
  const app = Fastify({
    logger: {
      level: config.logLevel,
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      // The URL's query string is redacted too: GET /graphql carries variables there (src/observability/requestLog.ts).
      serializers: { req: requestSerializer },
      ...(options.logStream && { stream: options.logStream }),
    },
    trustProxy: fastifyTrustProxy(config.trustProxy),
    // X-Request-Id when safe, else a UUID: request.id, the reqId of every log line, echoed on the response.
    requestIdHeader: false,
    genReqId: requestIdOf,
    // Responses are small JSON; a large body is a mistake or an attack.
    bodyLimit: config.bodyLimit,
    // The embedded database initialises itself on first start, which can take a while.
    pluginTimeout: 120_000,
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: MAX_PARAM_LENGTH },
    // Framework-level refusals in the contract's envelope (src/edge/refusals.ts).
    rewriteUrl: (request) => repairPercentEncoding(request.url ?? '/'),
    frameworkErrors,
    clientErrorHandler,
    // An HTTP/1.1 request without Host is refused by httpProtocolRefusals, in the envelope, not by Node with an empty body.
    http: { requireHostHeader: false },
    // While stopping, requests still reach our drain hook, which answers with the JSON envelope (src/ops.ts).
    return503OnClosing: false,
    ajv: { customOptions: { removeAdditional: false, coerceTypes: false, allErrors: false } },
    // Response serializers compiled once per process, not once per app (src/edge/serializers.ts).
    // Request validators from one Ajv per set of shared schemas and options, for every app of the process.
    schemaController: {
      compilersFactory: { buildValidator: sharedValidators, buildSerializer: serializerFactory(options.compiledSchemasDir) },
    },
  })
  await app.register(fp(async (instance) => void instance.decorate('config', config), { name: 'config' }))
  httpProtocolRefusals(app)
  await app.register(failureLog)
  await app.register(requestIds)
  await app.register(observabilityPlugin, { observability })
  await app.register(securityHeaders)
  await app.register(drain)
  await app.register(corsPlugin)
  // Before the routes, so that the OpenAPI document sees every one of them.
  await app.register(apiDocs)
  await app.register(databasePlugin, { database: options.database, observe: (db) => observability.observeDatabase(db) })
  await app.register(authPlugin)
  await app.register(inputText)
  await app.register(credentialsPlugin)
  await app.register(mailPlugin)
  await app.register(graphqlPlugin, { restOperations: compatRoutes.map((route) => route.operation) })
  for (const plugin of options.graphqlPlugins ?? []) await app.register(plugin)
  await app.register(restPlugin)
  await app.register(opsRoutes)
  await app.register(jwksRoutes)
  await app.register(playgroundRoutes)
  await app.ready()
  return app
}
