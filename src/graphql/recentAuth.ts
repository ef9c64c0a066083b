// Recent authentication for changing the password or the second factor (src/domain/recentAuth.ts):
// the session proved the password or second factor within RECENT_AUTH_SECONDS, or the request proves it.
import { findCredentialsProvenAt, markCredentialsProven } from '../db/repositories/sessions.js'
import { findPasswordHash } from '../db/repositories/users.js'
import { MAX_PASSWORD_LENGTH } from '../domain/fields.js'
import { isRecentlyProven } from '../domain/recentAuth.js'
import { reauthenticationMessage, REAUTHENTICATION_REQUIRED } from './denials.js'
import { accountKey, countAttempt } from './attempts.js'
import type { GatewayContext } from './context.js'
import { GatewayError, unauthenticated } from './errors.js'

/** The signed-in user a sensitive change is made for (always the caller). */
export interface ProofSubject {
  id: string
  email: string
}

/** The request's session, which the proof belongs to. */
function sessionOf(ctx: GatewayContext, subject: ProofSubject) {
  const auth = ctx.request.auth
  if (auth.status !== 'valid' || auth.userId !== subject.id) throw unauthenticated()
  return { sessionId: auth.sessionId, userId: subject.id }
}

const wrongCurrentPassword = () => new GatewayError('FORBIDDEN', 'Current password is incorrect', { errorCode: 'INVALID_PASSWORD' })

/** FORBIDDEN (REAUTHENTICATION_REQUIRED) unless the session's proof is recent enough. */
export async function requireRecentSession(ctx: GatewayContext, subject: ProofSubject, proof: 'currentPassword' | 'code') {
  const provenAt = await findCredentialsProvenAt(ctx.app.db.prisma, sessionOf(ctx, subject))
  if (!isRecentlyProven(provenAt, new Date(), ctx.app.config.recentAuthSeconds)) {
    throw new GatewayError('FORBIDDEN', reauthenticationMessage(proof), { errorCode: REAUTHENTICATION_REQUIRED })
  }
}

/** A proof made in this request (a correct current password or MFA code): the session is recent again. */
export async function recordProof(ctx: GatewayContext, subject: ProofSubject) {
  await markCredentialsProven(ctx.app.db.prisma, sessionOf(ctx, subject), new Date())
}

/**
 * A password change or an MFA enrolment step: with `currentPassword`, that password must be right (it
 * counts as a login attempt, under the same limits, and a correct one renews the session's proof);
 * without it, the session's proof must be recent.
 */
export async function requireRecentAuthentication(ctx: GatewayContext, subject: ProofSubject, currentPassword: string | null | undefined) {
  if (currentPassword == null) return requireRecentSession(ctx, subject, 'currentPassword')
  const { app, request } = ctx
  sessionOf(ctx, subject)
  const limits = app.config.attemptLimits
  await countAttempt(app, `login:address:${request.ip}`, limits.loginPerAddress)
  await countAttempt(app, accountKey(subject.email), limits.loginPerAccount)
  const hash = await findPasswordHash(app.db.prisma, subject.id)
  // No password set, or a length no password can have: refused after the same work as a wrong one.
  const candidate = currentPassword.length <= MAX_PASSWORD_LENGTH ? currentPassword : ''
  const matches = await app.credentials.verify(hash ?? app.credentials.dummyHash, candidate)
  if (!hash || !matches || candidate !== currentPassword) throw wrongCurrentPassword()
  await app.attempts.reset(accountKey(subject.email))
  await recordProof(ctx, subject)
}
