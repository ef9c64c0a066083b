// From a GraphQL execution result to the documented REST envelope, status and headers.
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { ErrorCode, ErrorExtensions } from '../graphql/errors.js'
import { INTERNAL_MESSAGE } from '../graphql/errors.js'
import { authChallenge } from '../auth/plugin.js'

export const STATUS_BY_CODE: Record<ErrorCode, number> = {
  BAD_USER_INPUT: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  RATE_LIMITED: 429,
  INTERNAL_SERVER_ERROR: 500,
}

export interface RestError {
  status: number
  message: string
  extensions: ErrorExtensions
}

export type ErrorBody = Record<string, unknown>

/** The contract's default error envelopes; a route may shape its own from the same RestError. */
export function defaultErrorBody(error: RestError): ErrorBody {
  const { code, errorCode, category } = error.extensions
  if (code === 'UNAUTHENTICATED') return { success: false, error_code: 'NO_AUTH_USER', message: 'Authentication required' }
  if (code === 'INTERNAL_SERVER_ERROR') return { success: false, message: INTERNAL_MESSAGE, error: category ?? 'Unexpected error' }
  return errorCode ? { success: false, error_code: errorCode, message: error.message } : { success: false, message: error.message }
}

/**
 * The object without those of `keys` that are null: a field the public client declares optional (`location?`)
 * is left out rather than sent as null.
 */
export function omitNulls<T extends Record<string, unknown>>(object: T, keys: readonly (keyof T)[]): T {
  const out = { ...object }
  for (const key of keys) if (out[key] === null) delete out[key]
  return out
}

interface ExecutionResult {
  data?: Record<string, unknown> | null
  errors?: readonly { message: string; extensions?: Record<string, unknown> }[]
}

/** The first error of a result, as a REST error; undefined when the operation succeeded. */
export function restErrorOf(result: ExecutionResult): RestError | undefined {
  const first = result.errors?.[0]
  if (!first) return undefined
  const extensions = (first.extensions ?? { code: 'INTERNAL_SERVER_ERROR' }) as unknown as ErrorExtensions
  // A limit that cannot be counted (its store is away) is the service's state, not the client's doing.
  // A sign-in provider that cannot be reached is a bad gateway: the fault is upstream, not here.
  const status =
    extensions.errorCode === 'SERVICE_UNAVAILABLE'
      ? 503
      : extensions.errorCode === 'PROVIDER_UNAVAILABLE'
        ? 502
        : (STATUS_BY_CODE[extensions.code] ?? 500)
  return { status, message: first.message, extensions }
}

/** Sends an error: status, challenge or Retry-After headers, and the body. */
export function sendError(request: FastifyRequest, reply: FastifyReply, error: RestError, body: ErrorBody) {
  if (error.status === 401) reply.header('www-authenticate', authChallenge(request))
  if ((error.status === 429 || error.status === 503) && error.extensions.retryAfter)
    reply.header('retry-after', String(error.extensions.retryAfter))
  return reply.code(error.status).send(body)
}
