// extensions.reason of the edge's refusals, for errors that graphql or mercurius create themselves.
// No imports: src/graphql/errors.ts reads it while formatting every error.

/** Refused by a cost limit (src/edge/cost.ts), graphql's parser token limit included. */
export const COST_LIMIT = 'COST_LIMIT'

const PERSISTED_REASONS: Record<string, string> = {
  MER_ERR_GQL_PERSISTED_QUERY_NOT_FOUND: 'PERSISTED_QUERY_NOT_FOUND',
  MER_ERR_GQL_PERSISTED_QUERY_NOT_SUPPORTED: 'PERSISTED_QUERY_NOT_SUPPORTED',
  MER_ERR_GQL_PERSISTED_QUERY_MISMATCH: 'PERSISTED_QUERY_MISMATCH',
}

/** The only-persisted refusal's message (src/edge/persisted.ts). */
export const PERSISTED_ONLY_MESSAGE = 'Only persisted operations are accepted'

/** For a validation-phase error: COST_LIMIT when it is ours or graphql's maxTokens. */
export function costReason(error: unknown): { reason?: string } {
  const reason = (error as { extensions?: { reason?: unknown } })?.extensions?.reason
  if (typeof reason === 'string') return { reason }
  const message = (error as Error)?.message
  return typeof message === 'string' && message.startsWith('Syntax Error: Document contains more that') ? { reason: COST_LIMIT } : {}
}

/** For mercurius' persisted-query errors: PERSISTED_QUERY_NOT_FOUND (the APQ retry signal), … */
export function persistedReason(error: unknown): { reason?: string } {
  const code = (error as { code?: unknown })?.code
  if (typeof code !== 'string' || !PERSISTED_REASONS[code]) return {}
  return { reason: (error as Error).message === PERSISTED_ONLY_MESSAGE ? 'PERSISTED_ONLY' : PERSISTED_REASONS[code] }
}
