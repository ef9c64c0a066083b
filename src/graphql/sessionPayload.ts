// What register, login, activateAccount and verifyMfaLogin answer: an AuthPayload, full or MFA-pending.
import type { FastifyInstance } from 'fastify'
import type { AuthUserRow } from '../db/repositories/users.js'

/** A full session's AuthPayload (register, login, activateAccount). */
export function sessionPayload(app: FastifyInstance, user: AuthUserRow, login: { sessionId: string; refreshToken: string }) {
  const { accessToken, expiresAt } = app.accessTokens.issue(user.id, login.sessionId)
  return {
    accessToken,
    refreshToken: login.refreshToken,
    tokenId: login.sessionId,
    expiresAt,
    mfaRequired: false,
    verificationTokenId: null as string | null,
    user: { id: user.id, email: user.email, name: user.name, orgId: user.orgId, orgRole: user.orgRole, image_url: user.imageUrl },
  }
}

/** What login answers for an MFA user: a limited token, no session until verifyMfaLogin. */
export function mfaPendingPayload(
  app: FastifyInstance,
  user: { id: string; email: string; name: string; orgId: string | null; orgRole: number | null; imageUrl: string | null },
) {
  const { accessToken, expiresAt } = app.mfaPendingTokens.issue(user.id)
  return {
    accessToken,
    refreshToken: null,
    tokenId: null,
    expiresAt,
    mfaRequired: true,
    verificationTokenId: null,
    user: { id: user.id, email: user.email, name: user.name, orgId: user.orgId, orgRole: user.orgRole, image_url: user.imageUrl },
  }
}
