// A REST compatibility route is a table row: a fixed GraphQL operation, how the request maps to its
// variables, and how the result maps to the documented envelope. No rule or data access lives here.
import type { FastifyInstance, FastifyRequest, HTTPMethods } from 'fastify'
import { contextFor } from '../graphql/context.js'
import { runOperation } from '../graphql/engine.js'
import { defaultErrorBody, restErrorOf, sendError, type ErrorBody, type RestError } from './envelope.js'
import { overResponseLimit, responseLimitError } from '../edge/responseLimit.js'

export interface CompatRoute<Data = any> {
  method: HTTPMethods
  url: string
  summary: string
  description?: string
  /** Route needs a Bearer token (shown in the API docs); authorization itself is the resolvers'. */
  authenticated: boolean
  operation: string
  variables?: (request: FastifyRequest) => Record<string, unknown>
  /** From the operation's data to the status and body of a success. */
  success: (data: Data, request: FastifyRequest) => { status: number; body: unknown }
  /** The route's own error envelope, where it differs from the contract's default (`standard`). */
  errorBody?: (error: RestError, standard: ErrorBody) => ErrorBody
  /** The error_code of a request that fails schema validation, where the route documents one. */
  invalidRequestCode?: string
  params?: object
  querystring?: object
  body?: object
  /** JSON schemas by status, for fast serialization and so nothing undocumented leaks. */
  response: Record<number | string, object>
  tags: string[]
}

declare module 'fastify' {
  interface FastifyContextConfig {
    invalidRequestCode?: string
    errorBody?: (error: RestError, standard: ErrorBody) => ErrorBody
  }
}

/** The OpenAPI operationId of a row: its GraphQL operation's name without the `Rest` prefix (RestUserProfile → userProfile). */
export function operationIdOf(route: Pick<CompatRoute, 'operation' | 'method' | 'url'>): string {
  const name = /^\s*(?:query|mutation)\s+([A-Za-z_]\w*)/.exec(route.operation)?.[1]
  if (!name) throw new Error(`${route.method} ${route.url}: its operation needs a name (it becomes the operationId)`)
  const bare = name.replace(/^Rest(?=[A-Z])/, '')
  return bare[0]!.toLowerCase() + bare.slice(1)
}

export function registerCompatRoute(app: FastifyInstance, route: CompatRoute) {
  app.route({
    method: route.method,
    url: route.url,
    // The error handler shapes a refused request (bad JSON, schema) with the route's own envelope too.
    config: { invalidRequestCode: route.invalidRequestCode, errorBody: route.errorBody },
    schema: {
      operationId: operationIdOf(route),
      summary: route.summary,
      description: route.description,
      tags: route.tags,
      ...(route.authenticated ? { security: [{ BearerAuth: [] }] } : { security: [] }),
      ...(route.params && { params: route.params }),
      ...(route.querystring && { querystring: route.querystring }),
      ...(route.body && { body: route.body }),
      response: route.response,
    },
    async handler(request, reply) {
      const variables = route.variables?.(request)
      const result = await runOperation(reply, { source: route.operation, variables }, contextFor(request))
      const error = restErrorOf(result as never)
      if (error) {
        const standard = defaultErrorBody(error)
        return sendError(request, reply, error, route.errorBody ? route.errorBody(error, standard) : standard)
      }
      const { status, body } = route.success(result.data, request)
      // Serialized by the route's response schema, then measured: an answer over the cap becomes a 400 in the envelope.
      const text = reply.code(status).serialize(body) as string // a JSON schema serializer writes text
      const limit = request.server.config.responseLimitBytes
      if (overResponseLimit(text, limit)) {
        request.log.warn({ bytes: Buffer.byteLength(text), limit }, 'an answer over RESPONSE_LIMIT_BYTES was replaced by an error')
        const refusal = responseLimitError(limit)
        const error: RestError = { status: 400, message: refusal.message, extensions: refusal.extensions }
        const standard = defaultErrorBody(error)
        return sendError(request, reply, error, route.errorBody ? route.errorBody(error, standard) : standard)
      }
      return reply.type('application/json; charset=utf-8').send(text)
    },
  })
}
