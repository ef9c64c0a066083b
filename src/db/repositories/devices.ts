// The devices table (docs/devices.md): the devices a user signed in from, and which of them are trusted.
// Every function takes the owner's id: a user reads and changes only its own devices.
import { revokeSessions } from './sessions.js'
import type { DeviceDescriptor } from '../../domain/devices.js'
import type { Tx } from './transaction.js'

const DEVICE_SELECT = {
  id: true,
  fingerprint: true,
  deviceName: true,
  deviceType: true,
  os: true,
  browser: true,
  userAgent: true,
  ipAddress: true,
  createdAt: true,
  lastSeenAt: true,
  trustedAt: true,
  trustExpiresAt: true,
} as const

/** A stored device: what its newest login described (DeviceDescriptor), and its history and trust. */
export interface DeviceRow extends DeviceDescriptor {
  id: string
  createdAt: Date
  lastSeenAt: Date
  trustedAt: Date | null
  trustExpiresAt: Date | null
}

/** Marks a device of the user as seen now (a login through its trust). */
export async function touchDevice(db: Tx, userId: string, id: string, ipAddress: string | null): Promise<void> {
  await db.device.updateMany({ where: { id, userId }, data: { lastSeenAt: new Date(), ipAddress } })
}

/** The user's device that holds this trust token (its SHA-256) and whose trust has not expired; null otherwise. */
export async function findTrustedDevice(db: Tx, userId: string, tokenHash: string, now: Date): Promise<string | null> {
  const row = await db.device.findFirst({
    where: { userId, trustTokenHash: tokenHash, trustExpiresAt: { gt: now } },
    select: { id: true },
  })
  return row?.id ?? null
}

/** A page of the user's devices, most recently seen first. */
export function listDevices(db: Tx, userId: string, page: { limit: number; offset: number }): Promise<DeviceRow[]> {
  return db.device.findMany({
    where: { userId },
    orderBy: [{ lastSeenAt: 'desc' }, { id: 'asc' }],
    take: page.limit,
    skip: page.offset,
    select: DEVICE_SELECT,
  })
}

export function findDevice(db: Tx, userId: string, id: string): Promise<DeviceRow | null> {
  return db.device.findFirst({ where: { id, userId }, select: DEVICE_SELECT })
}

export function findDeviceByFingerprint(db: Tx, userId: string, fingerprint: string): Promise<DeviceRow | null> {
  return db.device.findUnique({ where: { userId_fingerprint: { userId, fingerprint } }, select: DEVICE_SELECT })
}

/** The device of a session of the user; null when the session has none. */
export async function deviceIdOfSession(db: Tx, userId: string, sessionId: string): Promise<string | null> {
  const row = await db.session.findFirst({ where: { id: sessionId, userId }, select: { deviceId: true } })
  return row?.deviceId ?? null
}

/** Trusts the user's device until `expiresAt` with a new trust token (its SHA-256); any earlier token stops working. */
export async function trustDevice(db: Tx, userId: string, id: string, tokenHash: string, expiresAt: Date): Promise<boolean> {
  const { count } = await db.device.updateMany({
    where: { id, userId },
    data: { trustedAt: new Date(), trustExpiresAt: expiresAt, trustTokenHash: tokenHash },
  })
  return count === 1
}

/** Takes the trust away from one device of the user (`id`) or from all of them; returns how many were trusted. */
export async function untrustDevices(db: Tx, userId: string, id?: string): Promise<number> {
  const { count } = await db.device.updateMany({
    where: { userId, ...(id !== undefined && { id }), trustTokenHash: { not: null } },
    data: { trustedAt: null, trustExpiresAt: null, trustTokenHash: null },
  })
  return count
}

/** Removes the user's device and ends its sessions first; null when it is not the user's. Run in a transaction. */
export async function removeDevice(tx: Tx, userId: string, id: string): Promise<{ endedSessions: number } | null> {
  const owned = await tx.device.findFirst({ where: { id, userId }, select: { id: true } })
  if (!owned) return null
  const endedSessions = await revokeSessions(tx, { userId, deviceId: id, liveOnly: true }, 'device_removed')
  await tx.device.deleteMany({ where: { id, userId } })
  return { endedSessions }
}
