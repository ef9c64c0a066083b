// Devices (docs/devices.md): how a login's deviceInfo names its device, and when a device is trusted. Pure.
import { sha256 } from '../crypto/digest.js'
import type { FieldProblem } from './fields.js'

/** Why a device may not stand in for the second factor; the API layer words each one. */
export type TrustRefusal = 'TRUST_OFF' | 'MFA_ENFORCED'

/** A client-reported fingerprint is kept up to this many characters; longer is refused. */
export const MAX_FINGERPRINT_LENGTH = 200
/** deviceName, deviceType, os and browser are kept up to this many characters each. */
const MAX_LABEL_LENGTH = 100
const DEVICE_TYPES = new Set(['DESKTOP', 'MOBILE', 'TABLET'])
const UNKNOWN = 'Unknown'

/** What a login tells about its device: recognized by `fingerprint`, described by the rest. */
export interface DeviceDescriptor {
  fingerprint: string
  deviceName: string
  deviceType: string
  os: string
  browser: string
  userAgent: string | null
  ipAddress: string | null
}

const label = (value: unknown): string | null => {
  if (typeof value !== 'string') return null
  const text = value.trim().slice(0, MAX_LABEL_LENGTH)
  return text === '' ? null : text
}

/** Why a reported fingerprint is refused, or null: 1–200 printable ASCII characters (the API layer words it). */
export function fingerprintProblem(value: unknown): FieldProblem | null {
  if (typeof value !== 'string') return { reason: 'NOT_STRING' }
  if (value.length === 0) return { reason: 'EMPTY' }
  if (value.length > MAX_FINGERPRINT_LENGTH) return { reason: 'TOO_LONG', max: MAX_FINGERPRINT_LENGTH }
  if (!/^[\x21-\x7e]+$/.test(value)) return { reason: 'NOT_PRINTABLE_ASCII' }
  return null
}

/**
 * The device of a login. Its fingerprint is the one the client reports (the X-Device-Fingerprint header, else
 * deviceInfo.fingerprint) when valid, else derived from the user agent alone, so that a login and its MFA step
 * (which sends no deviceInfo) name the same device. Not a secret: it recognizes, it never authenticates.
 */
export function describeDevice(
  deviceInfo: Record<string, unknown> | null,
  userAgent: string | null,
  ipAddress: string | null,
  reportedFingerprint?: unknown,
): DeviceDescriptor {
  const info = deviceInfo ?? {}
  const reported = [reportedFingerprint, info.fingerprint].find((candidate) => candidate != null && fingerprintProblem(candidate) === null)
  const fingerprint = typeof reported === 'string' ? reported : `ua:${sha256(userAgent ?? '')}`
  const os = label(info.os) ?? label(info.platform) ?? UNKNOWN
  const browser = label(info.browser) ?? UNKNOWN
  const type = label(info.deviceType)?.toUpperCase()
  return {
    fingerprint,
    deviceName: label(info.deviceName) ?? (browser === UNKNOWN && os === UNKNOWN ? 'Unknown device' : `${browser} on ${os}`),
    deviceType: type && DEVICE_TYPES.has(type) ? type : 'UNKNOWN',
    os,
    browser,
    userAgent,
    ipAddress,
  }
}

/** Whether a device is trusted at `now`: trusted and not yet expired. */
export const isTrusted = (device: { trustExpiresAt: Date | null }, now: Date) =>
  device.trustExpiresAt !== null && device.trustExpiresAt > now

/** When a trust given at `now` ends. */
export const trustExpiry = (now: Date, days: number) => new Date(now.getTime() + days * 86_400_000)

/**
 * Whether a trusted device may stand in for the second factor: trusting is on (TRUSTED_DEVICE_DAYS > 0) and,
 * where the organization enforces MFA, TRUSTED_DEVICE_WHEN_ENFORCED allows it. Null when it may; else why not.
 */
export function trustRefusal(settings: { days: number; whenEnforced: boolean }, orgEnforcesMfa: boolean): TrustRefusal | null {
  if (settings.days === 0) return 'TRUST_OFF'
  if (orgEnforcesMfa && !settings.whenEnforced) return 'MFA_ENFORCED'
  return null
}
