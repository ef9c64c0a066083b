// GET and POST /graphql as the GraphQL-over-HTTP spec has them, in front of the one execution path
// (src/graphql/engine.ts → mercurius): media types, request errors and their statuses, persisted
// operations, no mutation over GET, and one 401 for a token that does not name a live session and user.
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { GraphQLError, Kind, type OperationDefinitionNode } from 'graphql'
import { authChallenge } from '../auth/plugin.js'
import { GatewayError, type ErrorExtensions } from '../graphql/errors.js'
import { contextFor } from '../graphql/context.js'
import { refusedErrors, runOperation } from '../graphql/engine.js'
import type { PersistedOperations } from './persisted.js'
import { costReason } from './reasons.js'
import { overResponseLimit, responseLimitError } from './responseLimit.js'

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

const badInput = (message: string): WireError => ({ message, extensions: { code: 'BAD_USER_INPUT' } })
const UNAUTHENTICATED: WireError = {
  message: 'Authentication required',
  extensions: { code: 'UNAUTHENTICATED', errorCode: 'NO_AUTH_USER' },
}
const GET_MUTATION_MESSAGE = 'Only queries can be sent with GET; send mutations with POST'

/** Root fields that run without a requester; every other root field needs one. */
export const PUBLIC_ROOT_FIELDS: ReadonlySet<string> = new Set([
  'register',
  'login',
  'refresh',
  'requestDemo',
  'beginProviderSignIn',
  'completeProviderSignIn',
  'signInWithIdToken',
  'refreshProviderSession',
  'web3Challenge',
  'web3SignIn',
  '__typename',
  '__schema',
  '__type',
])

/** Root fields a login's limited MFA token may use (docs/mfa.md); with that token any other is a 401. */
export const MFA_PENDING_ROOT_FIELDS: ReadonlySet<string> = new Set([
  ...PUBLIC_ROOT_FIELDS,
  'mfaStatus',
  'mfaMethods',
  'verifyMfaLogin',
  'passkeyAuthOptions',
  'sendMfaMagicLink',
  'activateMfaMagicLink',
])

/** Whether any root field (inline fragments included) is not in `allowed`; a named fragment at the root counts as outside. */
function hasRootFieldOutside(operation: OperationDefinitionNode, allowed: ReadonlySet<string>): boolean {
  const pending = [operation.selectionSet]
  while (pending.length > 0) {
    for (const selection of pending.pop()!.selections) {
      if (selection.kind === Kind.INLINE_FRAGMENT) pending.push(selection.selectionSet)
      else if (selection.kind === Kind.FRAGMENT_SPREAD || !allowed.has(selection.name.value)) return true
    }
  }
  return false
}

/** A refusal of this layer, decided before execution; thrown from the engine's beforeExecution. */
class HttpRefusal extends GatewayError {
  readonly status: 401 | 405

  constructor(status: 401 | 405, error: WireError) {
    super(error.extensions.code, error.message, error.extensions.errorCode ? { errorCode: error.extensions.errorCode } : {})
    this.status = status
    this.name = 'HttpRefusal'
  }
}

function send(reply: FastifyReply, media: ResponseMediaType, status: number, body: object) {
  return sendText(reply, media, status, JSON.stringify(body))
}

function sendText(reply: FastifyReply, media: ResponseMediaType, status: number, text: string) {
  return reply.code(status).header('content-type', CONTENT_TYPE[media]).send(text)
}

/** A request error (nothing executed): no data entry; 400 in graphql-response+json, 200 in application/json. */
function sendRequestErrors(reply: FastifyReply, media: ResponseMediaType, errors: WireError[]) {
  return send(reply, media, media === GRAPHQL_RESPONSE_JSON ? 400 : 200, { errors })
}

export interface GraphQLHttpOptions {
  /** Off: "Did you mean …" suggestions are left out of request errors. */
  introspection: boolean
  /** Trusted documents and automatic persisted queries; without it a hash alone is a missing query. */
  persisted?: PersistedOperations
  path?: string
  /** An answer longer than this (UTF-8 bytes) is replaced by a RESPONSE_LIMIT error; default: RESPONSE_LIMIT_BYTES' default. */
  responseLimitBytes?: number
}

/** RESPONSE_LIMIT_BYTES' default (src/config.ts), for the plugin registered on its own. */
export const DEFAULT_RESPONSE_LIMIT_BYTES = 4 * 1024 * 1024

export async function graphqlHttp(app: FastifyInstance, options: GraphQLHttpOptions) {
  const { persisted, introspection } = options
  const path = options.path ?? '/graphql'
  const responseLimit = options.responseLimitBytes ?? DEFAULT_RESPONSE_LIMIT_BYTES
  const SUGGESTION = / ?Did you mean [^?]*\?/g
  const publicMessage = (message: string) => (introspection ? message : message.replace(SUGGESTION, ''))

  /** graphql's own errors keep their message; anything else a text makes the parser throw gets a fixed one. */
  function requestError(err: unknown): WireError {
    if (!(err instanceof GraphQLError)) {
      return badInput(err instanceof RangeError ? 'The document is nested too deeply.' : 'The document could not be read.')
    }
    const error: WireError = { message: publicMessage(err.message), extensions: { code: 'BAD_USER_INPUT', ...costReason(err) } }
    return err.locations ? { message: error.message, locations: err.locations, extensions: error.extensions } : error
  }

  async function run(request: FastifyRequest, reply: FastifyReply, params: GraphQLParams) {
    const media = responseMediaType(request.headers.accept)
    // A persisted operation's hash becomes its document text first: the engine's cache is keyed by text.
    const resolved = persisted
      ? await persisted.resolve(params.query, params.extensions)
      : params.query !== undefined && { ok: true as const, query: params.query }
    if (!resolved) return send(reply, media, 400, { errors: [badInput('The query parameter is missing')] })
    if (!resolved.ok) return sendRequestErrors(reply, media, [resolved.error])
    const safeMethod = request.method !== 'POST'
    const beforeExecution = async (operation: OperationDefinitionNode) => {
      // An automatic persisted query is kept only once its text parsed, passed the cost limits and validated.
      if (resolved.register) await persisted!.register(resolved.register, resolved.query)
      // Checked on every run, cached text or not: GET (and HEAD) is for queries only.
      if (safeMethod && operation.operation !== 'query') throw new HttpRefusal(405, badInput(GET_MUTATION_MESSAGE))
      // The limited MFA token is an invalid token for everything but the MFA login fields (docs/mfa.md).
      if (request.auth.status === 'mfaPending' && hasRootFieldOutside(operation, MFA_PENDING_ROOT_FIELDS)) {
        throw new HttpRefusal(401, UNAUTHENTICATED)
      }
      if (hasRootFieldOutside(operation, PUBLIC_ROOT_FIELDS) && request.auth.status !== 'none') {
        // A token that was sent but names no live session of a present user: one answer, before execution.
        if (request.auth.status === 'invalid') throw new HttpRefusal(401, UNAUTHENTICATED)
        // A failed lookup is left to the resolvers, which meet the same memoised failure and mask it.
        const found = await request.lookUpRequester().catch(() => undefined)
        if (found?.status === 'revoked' || found?.status === 'gone') throw new HttpRefusal(401, UNAUTHENTICATED)
      }
    }
    let result
    try {
      result = await runOperation(
        reply,
        { source: resolved.query, variables: params.variables, operationName: params.operationName },
        contextFor(request),
        { beforeExecution },
      )
    } catch (err) {
      const refused = refusedErrors(err)
      if (refused) return sendRequestErrors(reply, media, refused.map(requestError))
      // mercurius' own GET check, before any hook on a cached text: the same answer as ours.
      if ((err as { code?: unknown }).code === 'MER_ERR_METHOD_NOT_ALLOWED' || (err instanceof HttpRefusal && err.status === 405)) {
        reply.header('allow', 'POST')
        return send(reply, media, 405, { errors: [badInput(GET_MUTATION_MESSAGE)] })
      }
      if (err instanceof HttpRefusal) {
        reply.header('www-authenticate', authChallenge(request))
        return send(reply, media, err.status, { errors: [UNAUTHENTICATED] })
      }
      // A document check's refusal (cost limits): a request error with its own extensions.
      if (err instanceof GatewayError) return sendRequestErrors(reply, media, [{ message: err.message, extensions: err.extensions }])
      throw err
    }
    const body: { data: unknown; errors?: unknown[] } = { data: result.data }
    if (result.errors?.length) body.errors = result.errors as unknown[]
    const text = JSON.stringify(body)
    if (overResponseLimit(text, responseLimit)) {
      // It ran (a mutation's change stands): data null, as for an error at the root, with what to do instead.
      request.log.warn(
        { bytes: Buffer.byteLength(text), limit: responseLimit },
        'an answer over RESPONSE_LIMIT_BYTES was replaced by an error',
      )
      return send(reply, media, 200, { data: null, errors: [responseLimitError(responseLimit)] })
    }
    return sendText(reply, media, 200, text)
  }

  app.addContentTypeParser('application/graphql', { parseAs: 'string' }, (_request, body, done) => done(null, { query: body }))

  // Refusals before the handler (malformed JSON, unsupported content type, too large): a request error.
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const media = responseMediaType(request.headers.accept)
    const status = error.statusCode
    if (typeof status === 'number' && status >= 400 && status < 500) {
      return send(reply, media, status, { errors: [badInput(error.message)] })
    }
    request.log.error({ err: error }, 'unexpected error on /graphql')
    return send(reply, media, 500, { errors: [{ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] })
  })

  app.get(path, (request, reply) => {
    const params = readParams(request.query, true)
    if (typeof params === 'string') return send(reply, responseMediaType(request.headers.accept), 400, { errors: [badInput(params)] })
    return run(request, reply, params)
  })
  app.post(path, (request, reply) => {
    const params = readParams(request.body, false)
    if (typeof params === 'string') return send(reply, responseMediaType(request.headers.accept), 400, { errors: [badInput(params)] })
    return run(request, reply, params)
  })
}
