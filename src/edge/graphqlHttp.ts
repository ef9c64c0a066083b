// GET and POST /graphql as the GraphQL-over-HTTP spec has them: media types, request errors and their
// statuses, no mutation over GET, and one 401 for a token that does not name a live session and user.
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { execute, getVariableValues, type ExecutionResult, type GraphQLError, type GraphQLSchema } from 'graphql'
import { authChallenge } from '../auth/plugin.js'
import { formatError, type ErrorExtensions } from '../graphql/errors.js'
import type { GatewayContext } from '../graphql/context.js'
import type { OperationPreparer, RequestError } from './operation.js'
import type { PersistedOperations } from './persisted.js'
import type { ExecutionResult as ObservedResult, OperationObservation } from '../observability/graphql.js'

export const GRAPHQL_RESPONSE_JSON = 'application/graphql-response+json'
export const APPLICATION_JSON = 'application/json'
type ResponseMediaType = typeof GRAPHQL_RESPONSE_JSON | typeof APPLICATION_JSON

const CONTENT_TYPE: Record<ResponseMediaType, string> = {
  [GRAPHQL_RESPONSE_JSON]: `${GRAPHQL_RESPONSE_JSON}; charset=utf-8`,
  [APPLICATION_JSON]: `${APPLICATION_JSON}; charset=utf-8`,
}

/**
 * The response media type for an Accept header: application/graphql-response+json when the client
 * accepts it at least as much as application/json; application/json otherwise (also without Accept).
 */
export function responseMediaType(accept: string | undefined): ResponseMediaType {
  if (!accept || !accept.includes(GRAPHQL_RESPONSE_JSON)) return APPLICATION_JSON
  let graphqlResponse = 0
  let json = 0
  for (const part of accept.split(',')) {
    const [range, ...parameters] = part.split(';')
    const type = range!.trim().toLowerCase()
    const qParameter = parameters.map((p) => p.trim()).find((p) => p.startsWith('q='))
    const q = qParameter ? Number(qParameter.slice(2)) || 0 : 1
    if (type === GRAPHQL_RESPONSE_JSON) graphqlResponse = Math.max(graphqlResponse, q)
    else if (type === APPLICATION_JSON || type === 'application/*' || type === '*/*') json = Math.max(json, q)
  }
  return graphqlResponse > 0 && graphqlResponse >= json ? GRAPHQL_RESPONSE_JSON : APPLICATION_JSON
}

/** The parameters of a GraphQL-over-HTTP request, checked; no query only for a persisted operation's hash. */
export interface GraphQLParams {
  query: string | undefined
  operationName: string | undefined
  variables: Record<string, unknown> | undefined
  extensions: Record<string, unknown> | undefined
}

const isMap = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value)

/** From a JSON body or a query string (variables and extensions as JSON text) to the parameters, or why not. */
export function readParams(source: unknown, fromQueryString: boolean): GraphQLParams | string {
  if (!isMap(source)) return 'The request body must be a JSON object'
  const { query, operationName } = source
  let { variables, extensions } = source
  if (query !== undefined && typeof query !== 'string') return 'The query parameter must be a string'
  if (operationName !== undefined && operationName !== null && typeof operationName !== 'string') {
    return 'The operationName parameter must be a string'
  }
  if (fromQueryString) {
    try {
      if (typeof variables === 'string') variables = JSON.parse(variables)
      if (typeof extensions === 'string') extensions = JSON.parse(extensions)
    } catch {
      return 'The variables and extensions parameters must be JSON'
    }
  }
  if (variables !== undefined && variables !== null && !isMap(variables)) return 'The variables parameter must be a map'
  if (extensions !== undefined && extensions !== null && !isMap(extensions)) return 'The extensions parameter must be a map'
  if (query === undefined && !isMap((extensions as Record<string, unknown> | null)?.persistedQuery)) return 'The query parameter is missing'
  return {
    query,
    operationName: operationName ?? undefined,
    variables: (variables as Record<string, unknown> | null) ?? undefined,
    extensions: (extensions as Record<string, unknown> | null) ?? undefined,
  }
}

interface WireError {
  message: string
  locations?: readonly { line: number; column: number }[]
  path?: readonly (string | number)[]
  extensions: ErrorExtensions
}

const badInput = (error: RequestError): WireError => ({ ...error, extensions: error.extensions ?? { code: 'BAD_USER_INPUT' } })
const UNAUTHENTICATED: WireError = {
  message: 'Authentication required',
  extensions: { code: 'UNAUTHENTICATED', errorCode: 'NO_AUTH_USER' },
}
const GET_MUTATION: WireError = {
  message: 'Only queries can be sent with GET; send mutations with POST',
  extensions: { code: 'BAD_USER_INPUT' },
}

/** The operation observed for a reply (tracing or metrics on), finished with the body it is answered with. */
const observations = new WeakMap<FastifyReply, OperationObservation>()

function send(reply: FastifyReply, media: ResponseMediaType, status: number, body: object) {
  observations.get(reply)?.finish(body as ObservedResult)
  return reply.code(status).header('content-type', CONTENT_TYPE[media]).send(JSON.stringify(body))
}

/** A request error (nothing executed): no data entry; 400 in graphql-response+json, 200 in application/json. */
function sendRequestErrors(reply: FastifyReply, media: ResponseMediaType, errors: WireError[]) {
  return send(reply, media, media === GRAPHQL_RESPONSE_JSON ? 400 : 200, { errors })
}

function sendUnauthenticated(request: FastifyRequest, reply: FastifyReply, media: ResponseMediaType) {
  reply.header('www-authenticate', authChallenge(request))
  return send(reply, media, 401, { errors: [UNAUTHENTICATED] })
}

export interface GraphQLHttpOptions {
  schema: GraphQLSchema
  preparer: OperationPreparer
  /** Trusted documents and automatic persisted queries; without it a hash alone is a missing query. */
  persisted?: PersistedOperations
  path?: string
}

export async function graphqlHttp(app: FastifyInstance, options: GraphQLHttpOptions) {
  const { schema, preparer, persisted } = options
  const observer = app.graphqlObserver
  const path = options.path ?? '/graphql'

  /** Runs the request as one observed GraphQL operation (its span active throughout) when tracing or metrics are on. */
  function observed(request: FastifyRequest, reply: FastifyReply, params: GraphQLParams) {
    if (!observer) return run(request, reply, params, undefined)
    const observation = observer.start(params.operationName)
    observations.set(reply, observation)
    return observation.within(() => run(request, reply, params, observation))
  }

  async function run(request: FastifyRequest, reply: FastifyReply, params: GraphQLParams, observation: OperationObservation | undefined) {
    const media = responseMediaType(request.headers.accept)
    // A persisted operation's hash becomes its document text first: every cache below is keyed by text.
    const resolved = persisted
      ? persisted.resolve(params.query, params.extensions)
      : params.query !== undefined && { ok: true as const, query: params.query }
    if (!resolved) return send(reply, media, 400, { errors: [badInput({ message: 'The query parameter is missing' })] })
    if (!resolved.ok) return sendRequestErrors(reply, media, [resolved.error])
    const prepared = await preparer.prepare(resolved.query, params.operationName)
    if (!prepared.ok) return sendRequestErrors(reply, media, prepared.errors.map(badInput))
    // An automatic persisted query is kept only once its text parsed, passed the cost limits and validated.
    if (resolved.register) persisted!.register(resolved.register, resolved.query)
    const { operation, document } = prepared
    observation?.describe(operation.node)
    // Checked on every run, cached text or not: GET is for queries only.
    if (request.method === 'GET' && operation.type !== 'query') {
      reply.header('allow', 'POST')
      return send(reply, media, 405, { errors: [GET_MUTATION] })
    }
    // The limited MFA token is an invalid token for everything but the MFA login fields (docs/mfa.md).
    if (operation.needsSession && request.auth.status === 'mfaPending') return sendUnauthenticated(request, reply, media)
    if (operation.needsRequester && request.auth.status !== 'none') {
      // A token that was sent but names no live session of a present user: one answer, before execution.
      if (request.auth.status === 'invalid') return sendUnauthenticated(request, reply, media)
      // A failed lookup is left to the resolvers, which meet the same memoised failure and mask it.
      const found = await request.lookUpRequester().catch(() => undefined)
      if (found?.status === 'revoked' || found?.status === 'gone') return sendUnauthenticated(request, reply, media)
    }
    // graphql's own coercion on every run, compiled or not: one verdict and one message for the same variables.
    const coercion = getVariableValues(schema, operation.node.variableDefinitions ?? [], params.variables ?? {})
    if (coercion.errors) {
      return sendRequestErrors(
        reply,
        media,
        coercion.errors.map((e) => badInput({ message: preparer.publicMessage(e.message), locations: e.locations })),
      )
    }
    const contextValue: GatewayContext = { app, request, reply, requestId: request.id }
    const compiled = preparer.compiledFor(document, operation)
    const result: ExecutionResult = compiled
      ? await compiled.query(undefined, contextValue, params.variables ?? {})
      : await execute({ schema, document, operationName: operation.name, contextValue, variableValues: params.variables })
    if (!('data' in result)) {
      // Nothing executed (graphql refused the variables after all): a request error.
      const errors = (result.errors ?? []).map((e) => badInput({ message: preparer.publicMessage(e.message), locations: e.locations }))
      return sendRequestErrors(reply, media, errors)
    }
    const body: { data: unknown; errors?: WireError[] } = { data: result.data }
    if (result.errors?.length) body.errors = result.errors.flatMap((e) => executionErrors(e, request, preparer))
    return send(reply, media, 200, body)
  }

  app.addContentTypeParser('application/graphql', { parseAs: 'string' }, (_request, body, done) => done(null, { query: body }))

  // Refusals before the handler (malformed JSON, unsupported content type, too large): a request error.
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const media = responseMediaType(request.headers.accept)
    const status = error.statusCode
    if (typeof status === 'number' && status >= 400 && status < 500) {
      return send(reply, media, status, { errors: [badInput({ message: error.message })] })
    }
    request.log.error({ err: error }, 'unexpected error on /graphql')
    return send(reply, media, 500, { errors: [{ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] })
  })

  app.get(path, (request, reply) => {
    const params = readParams(request.query, true)
    if (typeof params === 'string')
      return send(reply, responseMediaType(request.headers.accept), 400, { errors: [badInput({ message: params })] })
    return observed(request, reply, params)
  })
  app.post(path, (request, reply) => {
    const params = readParams(request.body, false)
    if (typeof params === 'string')
      return send(reply, responseMediaType(request.headers.accept), 400, { errors: [badInput({ message: params })] })
    return observed(request, reply, params)
  })
}

/** An execution error as the client sees it: ours as they are, graphql's own with suggestions removed, the rest masked. */
function executionErrors(error: GraphQLError, request: FastifyRequest, preparer: OperationPreparer): WireError[] {
  return formatError(error, request.log, request.server.failures).map(({ httpStatus: _status, ...formatted }) =>
    error.originalError ? formatted : { ...formatted, message: preparer.publicMessage(formatted.message) },
  )
}
