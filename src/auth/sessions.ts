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
