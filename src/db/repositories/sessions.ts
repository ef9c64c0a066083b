// The sessions table: one row per login. Access tokens name their session, so revoking it revokes them.
import type { Tx } from './transaction.js'
import { MAX_USER_AGENT_LENGTH } from '../../domain/fields.js'
import type { DeviceDescriptor } from '../../domain/devices.js'

export interface SessionInfo {
  ipAddress?: string
  userAgent?: string
  deviceInfo?: object
  /** PASSWORD unless said otherwise (see Session.loginMethod in the schema). */
  loginMethod?: string
  /** When the password or second factor was proven for this session; unset: never (see credentialsProvenAt). */
  credentialsProvenAt?: Date
  /** The device the login came from: a known device's id, or what the login tells about it (recorded as a device). */
  device?: { id: string } | DeviceDescriptor
}

/** Why a session ended, as stored in revoked_reason. */
export type RevokeReason =
  | 'logout'
  | 'revoked_by_user'
  | 'refresh_token_reused'
  | 'password_changed'
  | 'user_deleted'
  | 'device_removed'
  | (string & Record<never, never>)

export async function startSession(db: Tx, userId: string, ttlSeconds: number, info: SessionInfo = {}) {
  const device = info.device
  const deviceId = device === undefined ? undefined : 'fingerprint' in device ? await recordDeviceOf(db, userId, device) : device.id
  return db.session.create({
    data: {
      userId,
      expiresAt: new Date(Date.now() + ttlSeconds * 1000),
      ipAddress: info.ipAddress,
      userAgent: info.userAgent?.slice(0, MAX_USER_AGENT_LENGTH),
      deviceInfo: info.deviceInfo as never,
      loginMethod: info.loginMethod,
      credentialsProvenAt: info.credentialsProvenAt,
      deviceId,
    },
    select: { id: true, expiresAt: true },
  })
}

/** The device of a login, created on its first login and described by its newest; returns its id. */
export async function recordDeviceOf(db: Tx, userId: string, device: DeviceDescriptor): Promise<string> {
  const { fingerprint, ...description } = device
  const seen = { ...description, lastSeenAt: new Date() }
  const row = await db.device.upsert({
    where: { userId_fingerprint: { userId, fingerprint } },
    create: { userId, fingerprint, ...seen },
    update: seen,
    select: { id: true },
  })
  return row.id
}

/** When the password or second factor was last proven in a live session of `userId`; null: never, or no such session. */
export async function findCredentialsProvenAt(db: Tx, scope: { sessionId: string; userId: string }): Promise<Date | null> {
  const row = await db.session.findFirst({
    where: { id: scope.sessionId, userId: scope.userId, revokedAt: null, expiresAt: { gt: new Date() } },
    select: { credentialsProvenAt: true },
  })
  return row?.credentialsProvenAt ?? null
}

/** Records a fresh proof (a correct current password or code) in a live session of `userId`. */
export async function markCredentialsProven(db: Tx, scope: { sessionId: string; userId: string }, at: Date): Promise<void> {
  await db.session.updateMany({
    where: { id: scope.sessionId, userId: scope.userId, revokedAt: null, expiresAt: { gt: at } },
    data: { credentialsProvenAt: at },
  })
}

/** A page of the user's sessions that are neither revoked nor expired, newest first. */
export function listLiveSessions(db: Tx, userId: string, page: { limit: number; offset: number }) {
  return db.session.findMany({
    where: { userId, revokedAt: null, expiresAt: { gt: new Date() } },
    orderBy: [{ createdAt: 'desc' }, { id: 'asc' }],
    take: page.limit,
    skip: page.offset,
    select: {
      id: true,
      createdAt: true,
      lastUsedAt: true,
      expiresAt: true,
      ipAddress: true,
      userAgent: true,
      deviceInfo: true,
      loginMethod: true,
    },
  })
}

/** A session row as listLiveSessions answers it, with its device. */
export type LiveSessionRow = Awaited<ReturnType<typeof listLiveSessions>>[number] & { deviceId: string }

/**
 * One page (newest first) of the live sessions of each of `deviceIds`, all of them devices of `userId`, in one
 * statement: a device's sessions are numbered in their order and the page is cut from each.
 */
export async function listLiveSessionsOfDevices(
  db: Tx,
  userId: string,
  deviceIds: readonly string[],
  page: { limit: number; offset: number },
): Promise<LiveSessionRow[]> {
  if (deviceIds.length === 0) return []
  const rows = await db.$queryRaw<
    {
      id: string
      device_id: string
      created_at: Date
      last_used_at: Date
      expires_at: Date
      ip_address: string | null
      user_agent: string | null
      device_info: unknown
      login_method: string
    }[]
  >`SELECT id::text AS id, device_id::text AS device_id, created_at, last_used_at, expires_at, ip_address, user_agent, device_info, login_method
    FROM (
      SELECT s.*, row_number() OVER (PARTITION BY s.device_id ORDER BY s.created_at DESC, s.id ASC) AS position
      FROM sessions s
      WHERE s.user_id = ${userId}::uuid AND s.device_id = ANY(${[...deviceIds]}::uuid[])
        AND s.revoked_at IS NULL AND s.expires_at > now()
    ) numbered
    WHERE position > ${page.offset} AND position <= ${page.offset + page.limit}
    ORDER BY device_id, position`
  return rows.map((row) => ({
    id: row.id,
    deviceId: row.device_id,
    createdAt: row.created_at,
    lastUsedAt: row.last_used_at,
    expiresAt: row.expires_at,
    ipAddress: row.ip_address,
    userAgent: row.user_agent,
    deviceInfo: row.device_info as LiveSessionRow['deviceInfo'],
    loginMethod: row.login_method,
  }))
}

/**
 * A heartbeat: marks a live session of `userId` as used now and moves its expiry (and that of its
 * unspent refresh tokens, which must not end first) to `ttlSeconds` from now. Returns the new expiry,
 * or null when the user has no such live session. Run in a transaction.
 */
export async function extendSession(tx: Tx, scope: { sessionId: string; userId: string }, ttlSeconds: number): Promise<Date | null> {
  const now = new Date()
  const expiresAt = new Date(now.getTime() + ttlSeconds * 1000)
  const { count } = await tx.session.updateMany({
    where: { id: scope.sessionId, userId: scope.userId, revokedAt: null, expiresAt: { gt: now } },
    data: { lastUsedAt: now, expiresAt },
  })
  if (count === 0) return null
  await tx.refreshToken.updateMany({ where: { sessionId: scope.sessionId, spentAt: null, expiresAt: { gt: now } }, data: { expiresAt } })
  return expiresAt
}

/** Which sessions to end: one by id, or all of a user's; `userId` with `sessionId` says whose it must be. */
export type SessionScope =
  | { sessionId: string; userId?: string; exceptSessionId?: undefined; deviceId?: undefined; liveOnly?: boolean }
  | { userId: string; sessionId?: undefined; exceptSessionId?: string; deviceId?: string; liveOnly?: boolean }

/**
 * The one way a session ends (logout, revocation, reuse detection, password change, deactivation):
 * sets revoked_at on every matching session that is not revoked yet. `liveOnly` leaves expired ones
 * alone. Returns how many it ended.
 */
export async function revokeSessions(db: Tx, scope: SessionScope, reason: RevokeReason): Promise<number> {
  const { count } = await db.session.updateMany({
    where: {
      revokedAt: null,
      ...(scope.sessionId !== undefined && { id: scope.sessionId }),
      ...(scope.userId !== undefined && { userId: scope.userId }),
      ...(scope.exceptSessionId !== undefined && { id: { not: scope.exceptSessionId } }),
      ...(scope.deviceId !== undefined && { deviceId: scope.deviceId }),
      ...(scope.liveOnly && { expiresAt: { gt: new Date() } }),
    },
    data: { revokedAt: new Date(), revokedReason: reason },
  })
  return count
}
