// Attempt counting for the resolvers that a client may repeat (login, codes, mails): one window per key.
import type { FastifyInstance } from 'fastify'
import type { AttemptLimit } from '../config.js'
import { GatewayError } from './errors.js'

export const SERVICE_UNAVAILABLE_MESSAGE = 'Temporarily unavailable, try again shortly'

export const TOO_MANY_ATTEMPTS_MESSAGE = 'Too many attempts, try again later'

/** Counts an attempt under `key`; RATE_LIMITED with retryAfter (and `message`) once the window is full. */
export async function countAttempt(app: FastifyInstance, key: string, limit: AttemptLimit, message = TOO_MANY_ATTEMPTS_MESSAGE) {
  const verdict = await app.attempts.hit(key, limit)
  if (verdict.unavailable) {
    // Fail closed, fast: attempts that cannot be counted are not allowed (README, Failure behaviour).
    throw new GatewayError('RATE_LIMITED', SERVICE_UNAVAILABLE_MESSAGE, {
      errorCode: 'SERVICE_UNAVAILABLE',
      retryAfter: verdict.retryAfter,
    })
  }
  if (!verdict.allowed) {
    throw new GatewayError('RATE_LIMITED', message, {
      errorCode: 'TOO_MANY_ATTEMPTS',
      retryAfter: verdict.retryAfter,
    })
  }
}

/** The per-account login counter; a wrong currentPassword (src/graphql/recentAuth.ts) counts here too. */
export const accountKey = (email: string) => `login:account:${email}`
