// The caller's devices (docs/devices.md): list, read, trust, untrust, remove. A user sees and changes only
// its own devices; another user's device is as unknown as a made-up id.
import type { Resolvers } from './schemaTypes.js'
import { recordAudit } from '../db/repositories/auditEvents.js'
import {
  deviceIdOfSession,
  findDevice,
  findDeviceByFingerprint,
  listDevices,
  removeDevice,
  trustDevice,
  untrustDevices,
  type DeviceRow,
} from '../db/repositories/devices.js'
import { isMfaEnforced } from '../db/repositories/mfa.js'
import { listLiveSessionsOfDevices, type LiveSessionRow } from '../db/repositories/sessions.js'
import { inTransaction } from '../db/repositories/transaction.js'
import { hashOpaqueToken, newOpaqueToken } from '../crypto/opaqueTokens.js'
import { fingerprintProblem, isTrusted, trustExpiry, trustRefusal } from '../domain/devices.js'
import { TRUST_REFUSALS } from './denials.js'
import { fieldMessage } from './fieldMessages.js'
import { isUuid } from '../domain/fields.js'
import { DEVICES_MAX_PAGE } from '../domain/listBounds.js'
import { activeRequester, type GatewayContext } from './context.js'
import { badInput, GatewayError } from './errors.js'
import { sessionPage, sessionView } from './auth.js'
import { requireRecentAuthentication } from './recentAuth.js'

export const DEVICE_NOT_FOUND = 'Device not found'
const deviceNotFound = () => new GatewayError('NOT_FOUND', DEVICE_NOT_FOUND)

const currentSessionOf = (ctx: GatewayContext) => (ctx.request.auth.status === 'valid' ? ctx.request.auth.sessionId : null)

/** The device of the request's own session, looked up once per request. */
const currentDevices = new WeakMap<object, Promise<string | null>>()
function currentDeviceOf(ctx: GatewayContext, userId: string): Promise<string | null> {
  let known = currentDevices.get(ctx.request)
  if (!known) {
    const sessionId = currentSessionOf(ctx)
    known = sessionId ? deviceIdOfSession(ctx.app.db.prisma, userId, sessionId) : Promise.resolve(null)
    currentDevices.set(ctx.request, known)
  }
  return known
}

/** A device row as the client's DeviceItem names it; `ownerId` is kept for its sessions. */
function deviceView(row: DeviceRow, ownerId: string, currentDeviceId: string | null, now: Date) {
  const trusted = isTrusted(row, now)
  return {
    id: row.id,
    deviceName: row.deviceName,
    deviceType: row.deviceType,
    os: row.os,
    browser: row.browser,
    ipAddress: row.ipAddress,
    country: null,
    city: null,
    isTrusted: trusted,
    trustLevel: trusted ? 'TRUSTED' : 'KNOWN',
    lastSeen: row.lastSeenAt,
    createdAt: row.createdAt,
    trustExpiresAt: trusted ? row.trustExpiresAt : null,
    userAgent: row.userAgent,
    deviceFingerprint: row.fingerprint,
    current: row.id === currentDeviceId,
    ownerId,
  }
}

/** The page `devices` asks for: limit 1–DEVICES_MAX_PAGE (default DEVICES_MAX_PAGE), offset ≥ 0 (default 0). */
function devicePage(args: { limit?: number | null; offset?: number | null }) {
  const limit = args.limit ?? DEVICES_MAX_PAGE
  const offset = args.offset ?? 0
  if (limit < 1 || limit > DEVICES_MAX_PAGE) throw badInput(`limit must be between 1 and ${DEVICES_MAX_PAGE}`)
  if (offset < 0) throw badInput('offset must not be negative')
  return { limit, offset }
}

/**
 * The sessions of the devices of one list, in one query: every Device.sessions of a request asking for the same
 * page joins the batch that the first one starts (resolved once the list's items have all asked), so a page of
 * 100 devices costs one query, not 100.
 */
type SessionsByDevice = Map<string, LiveSessionRow[]>
const sessionBatches = new WeakMap<object, Map<string, { ids: Set<string>; rows: Promise<SessionsByDevice> }>>()
function sessionsOfDevice(ctx: GatewayContext, ownerId: string, deviceId: string, page: { limit: number; offset: number }) {
  let batches = sessionBatches.get(ctx.request)
  if (!batches) sessionBatches.set(ctx.request, (batches = new Map()))
  const key = `${ownerId}:${page.limit}:${page.offset}`
  let batch = batches.get(key)
  if (!batch) {
    const ids = new Set<string>()
    const rows = new Promise<SessionsByDevice>((resolve, reject) =>
      setImmediate(() => {
        // Later fields with the same page start a new batch.
        batches.delete(key)
        listLiveSessionsOfDevices(ctx.app.db.prisma, ownerId, [...ids], page).then((list) => {
          const byDevice: SessionsByDevice = new Map()
          for (const row of list) {
            const rows = byDevice.get(row.deviceId)
            if (rows) rows.push(row)
            else byDevice.set(row.deviceId, [row])
          }
          resolve(byDevice)
        }, reject)
      }),
    )
    batches.set(key, (batch = { ids, rows }))
  }
  batch.ids.add(deviceId)
  return batch.rows.then((byDevice) => byDevice.get(deviceId) ?? [])
}

/** The caller's device by id: NOT_FOUND for a non-UUID (no query), an unknown id or another user's. */
async function ownDevice(ctx: GatewayContext, userId: string, id: string): Promise<DeviceRow> {
  if (!isUuid(id)) throw deviceNotFound()
  const row = await findDevice(ctx.app.db.prisma, userId, id)
  if (!row) throw deviceNotFound()
  return row
}

export const deviceResolvers: Resolvers = {
  Query: {
    async devices(_root, args: { limit?: number | null; offset?: number | null }, ctx) {
      const caller = await activeRequester(ctx)
      const page = devicePage(args)
      const [rows, current] = await Promise.all([listDevices(ctx.app.db.prisma, caller.id, page), currentDeviceOf(ctx, caller.id)])
      const now = new Date()
      return rows.map((row) => deviceView(row, caller.id, current, now))
    },

    async device(_root, args: { id: string }, ctx) {
      const caller = await activeRequester(ctx)
      const row = await ownDevice(ctx, caller.id, args.id)
      return deviceView(row, caller.id, await currentDeviceOf(ctx, caller.id), new Date())
    },
  },

  Device: {
    async sessions(parent, args: { limit?: number | null; offset?: number | null }, ctx) {
      const { id, ownerId } = parent as { id: string; ownerId: string }
      const rows = await sessionsOfDevice(ctx, ownerId, id, sessionPage(args))
      const current = currentSessionOf(ctx)
      return rows.map(({ deviceId: _device, ...row }) => sessionView(row, current))
    },
  },

  Mutation: {
    async trustDevice(_root, args: { fingerprint: string; currentPassword?: string | null }, ctx) {
      const { app } = ctx
      const caller = await activeRequester(ctx)
      const problem = fingerprintProblem(args.fingerprint)
      if (problem) throw badInput(fieldMessage('fingerprint', problem))
      const refusal = trustRefusal(app.config.trustedDevices, await isMfaEnforced(app.db.prisma, caller.orgId))
      if (refusal) throw badInput(TRUST_REFUSALS[refusal], 'TRUSTED_DEVICES_DISABLED')
      const device = await findDeviceByFingerprint(app.db.prisma, caller.id, args.fingerprint)
      if (!device) throw deviceNotFound()
      await requireRecentAuthentication(ctx, caller, args.currentPassword)
      const deviceToken = newOpaqueToken()
      const trustExpiresAt = trustExpiry(new Date(), app.config.trustedDevices.days)
      await inTransaction(app.db.prisma, async (tx) => {
        if (!(await trustDevice(tx, caller.id, device.id, hashOpaqueToken(deviceToken), trustExpiresAt))) throw deviceNotFound()
        await recordAudit(tx, {
          actorId: caller.id,
          targetId: caller.id,
          orgId: caller.orgId,
          action: 'device.trusted',
          changes: {
            device: { old: null, new: { id: device.id, deviceName: device.deviceName } },
            trustExpiresAt: { old: device.trustExpiresAt?.toISOString() ?? null, new: trustExpiresAt.toISOString() },
          },
        })
      })
      return { success: true, message: 'Device trusted successfully', deviceId: device.id, trustExpiresAt, deviceToken }
    },

    async untrustDevice(_root, args: { id: string }, ctx) {
      const caller = await activeRequester(ctx)
      const device = await ownDevice(ctx, caller.id, args.id)
      await inTransaction(ctx.app.db.prisma, async (tx) => {
        const untrusted = await untrustDevices(tx, caller.id, device.id)
        if (untrusted === 0) return
        await recordAudit(tx, {
          actorId: caller.id,
          targetId: caller.id,
          orgId: caller.orgId,
          action: 'device.untrusted',
          changes: { device: { old: { id: device.id, deviceName: device.deviceName }, new: null } },
        })
      })
      return { success: true, message: 'Device untrusted successfully' }
    },

    async removeDevice(_root, args: { id: string }, ctx) {
      const caller = await activeRequester(ctx)
      const device = await ownDevice(ctx, caller.id, args.id)
      const removed = await inTransaction(ctx.app.db.prisma, async (tx) => {
        const result = await removeDevice(tx, caller.id, device.id)
        if (!result) return null
        await recordAudit(tx, {
          actorId: caller.id,
          targetId: caller.id,
          orgId: caller.orgId,
          action: 'device.removed',
          changes: {
            device: { old: { id: device.id, deviceName: device.deviceName }, new: null },
            endedSessions: { old: null, new: result.endedSessions },
          },
        })
        return result
      })
      if (!removed) throw deviceNotFound()
      return { success: true, message: 'Device removed successfully', endedSessions: removed.endedSessions }
    },
  },
}
