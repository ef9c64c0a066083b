// TOTP (RFC 6238) through otplib: 30-second steps, 6 digits, SHA-1 as every authenticator app expects.
import { randomInt } from 'node:crypto'
import { generateSecret, generateURI, verify } from 'otplib'
import QRCode from 'qrcode'

export const TOTP_PERIOD = 30
export const BACKUP_CODE_COUNT = 10
const BACKUP_ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789'

export interface TotpEnrollment {
  secret: string
  otpauthUrl: string
  /** A PNG data URL of otpauthUrl, for the authenticator app to scan. */
  qrCode: string
}

export async function newEnrollment(issuer: string, accountName: string): Promise<TotpEnrollment> {
  const secret = generateSecret()
  const otpauthUrl = generateURI({ issuer, label: accountName, secret })
  const qrCode = await QRCode.toDataURL(otpauthUrl, { errorCorrectionLevel: 'M', margin: 1, width: 240 })
  return { secret, otpauthUrl, qrCode }
}

/** Whether the text looks like a TOTP code at all (6 digits, spaces allowed). */
export function normalizeTotpCode(code: string): string | null {
  const digits = code.replace(/\s+/g, '')
  return /^\d{6}$/.test(digits) ? digits : null
}

/**
 * The time step a code matches, within one step either side of now and strictly after `afterTimeStep`
 * (each code works once); null when it matches none.
 */
export async function matchTotp(secret: string, code: string, afterTimeStep: number | null, epochSeconds?: number): Promise<number | null> {
  const result = await verify({
    secret,
    token: code,
    epochTolerance: TOTP_PERIOD,
    ...(epochSeconds !== undefined && { epoch: epochSeconds }),
    ...(afterTimeStep !== null && { afterTimeStep }),
  })
  // The functional API types its answer as HOTP's or TOTP's; a TOTP match carries its timeStep.
  const timeStep = (result as { timeStep?: unknown }).timeStep
  return result.valid && typeof timeStep === 'number' ? timeStep : null
}

/** Ten codes like "k7dm-x2pq": 40 bits each, easy to type, shown once. */
export function newBackupCodes(): string[] {
  const code = () => Array.from({ length: 8 }, () => BACKUP_ALPHABET[randomInt(BACKUP_ALPHABET.length)]).join('')
  return Array.from({ length: BACKUP_CODE_COUNT }, () => {
    const c = code()
    return `${c.slice(0, 4)}-${c.slice(4)}`
  })
}

/** Backup codes compare without case or the dash. */
export function normalizeBackupCode(code: string): string {
  return code.toLowerCase().replace(/[\s-]+/g, '')
}
