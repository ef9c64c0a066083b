// GraphQL errors with extensions.code, and the formatter that masks anything unexpected.
import mercurius from 'mercurius'
import type { GraphQLError } from 'graphql'
import type { FastifyBaseLogger } from 'fastify'
import type { Denial } from './denials.js'
import type { FailureLog } from '../failureLog.js'

export type ErrorCode = 'UNAUTHENTICATED' | 'FORBIDDEN' | 'NOT_FOUND' | 'BAD_USER_INPUT' | 'RATE_LIMITED' | 'INTERNAL_SERVER_ERROR'

export interface ErrorExtensions {
  code: ErrorCode
  /** The REST `error_code` of the auth-flow routes (e.g. INVALID_PASSWORD). */
  errorCode?: string
  /** Seconds, with RATE_LIMITED. */
  retryAfter?: number
  /** With INTERNAL_SERVER_ERROR: a fixed, safe phrase. */
  category?: string
  /** With BAD_USER_INPUT from the edge: why, machine-readable (COST_LIMIT, PERSISTED_QUERY_NOT_FOUND…). */
  reason?: string
}

/** An error we mean to show: its message and extensions reach the client as they are. */
export class GatewayError extends mercurius.ErrorWithProps {
  declare extensions: ErrorExtensions
  constructor(code: ErrorCode, message: string, extra: Omit<ErrorExtensions, 'code'> = {}) {
    super(message, { code, ...extra })
    this.name = 'GatewayError'
  }
}

export const deny = (denial: Denial) => new GatewayError(denial.code, denial.message)
export const unauthenticated = () => new GatewayError('UNAUTHENTICATED', 'Authentication required', { errorCode: 'NO_AUTH_USER' })
export const badInput = (message: string, errorCode?: string) => new GatewayError('BAD_USER_INPUT', message, errorCode ? { errorCode } : {})

export const INTERNAL_MESSAGE = 'Internal server error'

/** A fixed phrase for what went wrong, safe to show: never a driver message. */
export function internalCategory(err: unknown): string {
  const text = `${(err as { code?: unknown })?.code ?? ''} ${(err as Error)?.name ?? ''} ${(err as Error)?.message ?? ''}`
  // statement_timeout (57014), no answer at all from a frozen server, or a transaction that could not start or
  // finish in its time (Prisma's P2028: no connection within maxWait, or its timeout passed)
  if (/57014|Query read timeout|statement timeout|P1008|P2028/i.test(text)) return DATABASE_TIMEOUT
  if (
    /ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENOTFOUND|57P0\d|08\d{3}|P1001|P1002|P1017|Connection terminated|connect|closed|after calling end/i.test(
      text,
    )
  ) {
    return DATABASE_UNAVAILABLE
  }
  return 'Unexpected error'
}

export const DATABASE_UNAVAILABLE = 'Database connection failed'
export const DATABASE_TIMEOUT = 'Database timeout'

/** A failing dependency rather than a bug: logged throttled, not a stack per request. */
export const isDependencyFailure = (category: string) => category === DATABASE_UNAVAILABLE || category === DATABASE_TIMEOUT

export interface FormattedError {
  message: string
  locations?: readonly { line: number; column: number }[]
  path?: readonly (string | number)[]
  extensions: ErrorExtensions
}

/** Turns one GraphQL error into what the client sees, logging what it hides. */
export function formatError(
  error: GraphQLError,
  log: FastifyBaseLogger,
  failures?: FailureLog,
  publicMessage: (message: string) => string = (m) => m,
): FormattedError[] {
  const original = error.originalError
  if (original instanceof GatewayError) {
    return [{ message: original.message, locations: error.locations, path: error.path, extensions: original.extensions }]
  }
  if (!original) {
    // graphql-js' own error (a non-null violation, an enum it cannot serialize): the caller's input
    return [{ message: publicMessage(error.message), locations: error.locations, path: error.path, extensions: { code: 'BAD_USER_INPUT' } }]
  }
  const category = internalCategory(original)
  if (failures && isDependencyFailure(category)) failures.report(category, original)
  else log.error({ err: original, path: error.path }, 'unexpected error in a resolver')
  return [
    { message: INTERNAL_MESSAGE, locations: error.locations, path: error.path, extensions: { code: 'INTERNAL_SERVER_ERROR', category } },
  ]
}

/** mercurius' errorFormatter: the errors of an execution, as the client sees them (src/graphql/engine.ts). */
export function errorFormatter(
  execution: { data?: unknown; errors?: readonly GraphQLError[] },
  ctx: { reply?: { log: FastifyBaseLogger }; app: { log: FastifyBaseLogger; failures?: FailureLog } },
  publicMessage?: (message: string) => string,
) {
  const log = ctx?.reply?.log ?? ctx?.app?.log
  const errors = (execution.errors ?? []).flatMap((e) => formatError(e, log, ctx?.app?.failures, publicMessage))
  return { statusCode: 200, response: { data: execution.data ?? null, errors } }
}
