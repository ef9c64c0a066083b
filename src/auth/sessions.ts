// Sessions: one per login. Access tokens name their session, so revoking it revokes them.
import type { PrismaClient } from '../generated/prisma/client.js'
import { hashRefreshToken, newRefreshToken } from './refreshTokens.js'

export interface SessionInfo {
  ipAddress?: string
  userAgent?: string
  deviceInfo?: object
}

type SessionClient = Pick<PrismaClient, 'session'>
type LoginClient = Pick<PrismaClient, 'session' | 'refreshToken'>

/** Stored user agents are cut here: the header is the client's to fill. */
const MAX_USER_AGENT = 512

export async function startSession(prisma: SessionClient, userId: string, ttlSeconds: number, info: SessionInfo = {}) {
  return prisma.session.create({
    data: {
      userId,
      expiresAt: new Date(Date.now() + ttlSeconds * 1000),
      ipAddress: info.ipAddress,
      userAgent: info.userAgent?.slice(0, MAX_USER_AGENT),
      deviceInfo: info.deviceInfo as never,
    },
    select: { id: true, expiresAt: true },
  })
}

/** Ends every live session of a user (all but `except`, the caller's own, when given). */
export async function revokeSessionsOf(prisma: SessionClient, userId: string, reason: string, except?: string) {
  const { count } = await prisma.session.updateMany({
    where: { userId, revokedAt: null, ...(except ? { id: { not: except } } : {}) },
    data: { revokedAt: new Date(), revokedReason: reason },
  })
  return count
}

/** A login: a session and its first refresh token, which lives as long as the session. Run in a transaction. */
export async function startLoginSession(tx: LoginClient, userId: string, ttlSeconds: number, info: SessionInfo = {}) {
  const session = await startSession(tx, userId, ttlSeconds, info)
  const refreshToken = newRefreshToken()
  await tx.refreshToken.create({ data: { sessionId: session.id, tokenHash: hashRefreshToken(refreshToken), expiresAt: session.expiresAt } })
  return { sessionId: session.id, refreshToken }
}
