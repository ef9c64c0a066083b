// extensions.reason of the edge's refusals, for errors that graphql creates itself (the parser's token limit).
// No imports: the edge's modules read it.

/** Refused by a cost limit (src/edge/cost.ts), graphql's parser token limit included. */
export const COST_LIMIT = 'COST_LIMIT'

/** An answer over RESPONSE_LIMIT_BYTES, replaced by this error (src/edge/responseLimit.ts). */
export const RESPONSE_LIMIT = 'RESPONSE_LIMIT'

/** The only-persisted refusal's message (src/edge/persisted.ts). */
export const PERSISTED_ONLY_MESSAGE = 'Only persisted operations are accepted'

/** For a request error: its own reason, or COST_LIMIT for graphql's maxTokens refusal. */
export function costReason(error: unknown): { reason?: string } {
  const reason = (error as { extensions?: { reason?: unknown } })?.extensions?.reason
  if (typeof reason === 'string') return { reason }
  const message = (error as Error)?.message
  return typeof message === 'string' && message.startsWith('Syntax Error: Document contains more that') ? { reason: COST_LIMIT } : {}
}
