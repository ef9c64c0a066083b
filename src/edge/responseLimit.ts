// One answer's size cap (RESPONSE_LIMIT_BYTES), for /graphql and every REST route: an answer over it is
// replaced by a clear error in the route's envelope, never truncated, never a 500.
import { RESPONSE_LIMIT } from './reasons.js'

/** Whether a serialized answer is over `limit` bytes of UTF-8; counts bytes only when its length leaves doubt. */
export function overResponseLimit(text: string, limit: number): boolean {
  // A UTF-16 code unit is 1 to 3 bytes of UTF-8 (a surrogate pair 4 for 2 units).
  if (text.length * 3 <= limit) return false
  return text.length > limit || Buffer.byteLength(text) > limit
}

export const responseLimitMessage = (limit: number) =>
  `The answer is larger than ${limit} bytes: ask for fewer fields or a smaller page (limit, offset)`

/** The error that replaces an answer over the limit: BAD_USER_INPUT (the request asked for too much), reason RESPONSE_LIMIT. */
export const responseLimitError = (limit: number) => ({
  message: responseLimitMessage(limit),
  extensions: { code: 'BAD_USER_INPUT' as const, reason: RESPONSE_LIMIT },
})
