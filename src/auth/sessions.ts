// Sessions: one per login. Access tokens name their session, so revoking it revokes them.
import type { PrismaClient } from '../generated/prisma/client.js'

export interface SessionInfo {
  ipAddress?: string
  userAgent?: string
  deviceInfo?: object
}

type SessionClient = Pick<PrismaClient, 'session'>

export async function startSession(prisma: SessionClient, userId: string, ttlSeconds: number, info: SessionInfo = {}) {
  return prisma.session.create({
    data: {
      userId,
      expiresAt: new Date(Date.now() + ttlSeconds * 1000),
      ipAddress: info.ipAddress,
      userAgent: info.userAgent,
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
