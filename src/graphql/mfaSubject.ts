// Who an MFA operation acts for, and the session a login's second factor starts (TOTP, passkey, magic link).
import { startLoginSession } from '../db/repositories/tokens.js'
import { inTransaction } from '../db/repositories/transaction.js'
import { findMfaSubject } from '../db/repositories/mfa.js'
import { activeRequester, type GatewayContext } from './context.js'
import { unauthenticated } from './errors.js'
import { deviceOfHeaders } from './requestDevice.js'

export interface MfaSubject {
  id: string
  email: string
  orgId: string | null
  orgRole: number | null
  /** Whether the request carries a full-access token (not the limited one of an MFA login). */
  full: boolean
  /** users.mfa_required: MFA enabled, enforced, or asked of the user again by a reset (resetMfa's enable). */
  mfaRequired: boolean
}

/** The caller with a full token, or (when `pendingToo`) with the limited token of an MFA login. */
export async function mfaSubject(ctx: GatewayContext, pendingToo: boolean): Promise<MfaSubject> {
  const auth = ctx.request.auth
  if (auth.status === 'mfaPending') {
    if (!pendingToo) throw unauthenticated()
    const user = await findMfaSubject(ctx.app.db.prisma, auth.userId)
    if (!user) throw unauthenticated()
    return { id: user.id, email: user.email, orgId: user.orgId, orgRole: user.orgRole, full: false, mfaRequired: user.mfaRequired }
  }
  const caller = await activeRequester(ctx)
  const { id, email, orgId, orgRole, mfaRequired } = caller
  return { id, email, orgId, orgRole, full: true, mfaRequired }
}

/** Every code attempt counts, per user; a correct code resets the count. */
export const codeAttemptKey = (userId: string) => `mfa:user:${userId}`

/** The session a login's second factor starts: the answer of verifyMfaLogin and activateMfaMagicLink. */
export async function startMfaSession(ctx: GatewayContext, userId: string) {
  const { app, request } = ctx
  const login = await inTransaction(app.db.prisma, (tx) =>
    startLoginSession(tx, userId, app.config.refreshTokenTtlSeconds, {
      ipAddress: request.ip,
      userAgent: request.headers['user-agent'],
      device: deviceOfHeaders(request),
    }),
  )
  const { accessToken, expiresAt } = app.accessTokens.issue(userId, login.sessionId)
  return {
    success: true,
    message: 'MFA verification successful',
    fullAccessToken: accessToken,
    refreshToken: login.refreshToken,
    tokenId: login.sessionId,
    expiresAt,
  }
}
