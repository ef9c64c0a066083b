// The sign_in_challenges table: pending sign-ins, single use and short-lived. Keyed by the SHA-256 of the
// state (OpenID Connect) or the nonce (wallet), so a database read does not hand out live keys. Also the ID tokens
// already used (kind 'id_token'), kept until they would be refused anyway, so that none signs in twice.
import type { Prisma } from '../../generated/prisma/client.js'
import { sha256 } from '../../crypto/digest.js'
import { isUniqueViolation, type Tx } from './transaction.js'

export type ChallengeKind = 'oauth' | 'wallet'

/** Deletes expired rows of every kind, at most 100 a call (each store calls it: the table stays bounded). */
async function sweepExpired(db: Tx, now: Date): Promise<void> {
  const stale = await db.signInChallenge.findMany({ where: { expiresAt: { lte: now } }, select: { id: true }, take: 100 })
  if (stale.length > 0) await db.signInChallenge.deleteMany({ where: { id: { in: stale.map((s) => s.id) } } })
}

/** Stores a pending sign-in; expired ones are swept on the way (bounded: at most 100 rows a call). */
export async function storeChallenge(db: Tx, kind: ChallengeKind, key: string, data: object, ttlSeconds: number): Promise<Date> {
  const now = new Date()
  await sweepExpired(db, now)
  const expiresAt = new Date(now.getTime() + ttlSeconds * 1000)
  await db.signInChallenge.create({ data: { kind, keyHash: sha256(`${kind}:${key}`), data: data as Prisma.InputJsonValue, expiresAt } })
  return expiresAt
}

/** Takes a pending sign-in: its data once, then never again (of two concurrent takers one wins); null when unknown or expired. */
export async function takeChallenge<T extends object>(db: Tx, kind: ChallengeKind, key: string): Promise<T | null> {
  const keyHash = sha256(`${kind}:${key}`)
  const found = await db.signInChallenge.findUnique({ where: { keyHash }, select: { id: true, data: true, expiresAt: true } })
  if (!found) return null
  const { count } = await db.signInChallenge.deleteMany({ where: { id: found.id } })
  if (count !== 1 || found.expiresAt.getTime() <= Date.now()) return null
  return found.data as T
}

/**
 * Records that an ID token was used, until `until`: true the first time, false for a token already recorded (of
 * two concurrent users one wins). Only a token that passed its checks gets here, so nobody can fill the table.
 */
export async function spendIdToken(db: Tx, key: string, until: Date): Promise<boolean> {
  const now = new Date()
  await sweepExpired(db, now)
  const keyHash = sha256(`id_token:${key}`)
  const earlier = await db.signInChallenge.findUnique({ where: { keyHash }, select: { id: true } })
  if (earlier) return false
  try {
    await db.signInChallenge.create({ data: { kind: 'id_token', keyHash, expiresAt: until } })
    return true
  } catch (err) {
    if (isUniqueViolation(err)) return false
    throw err
  }
}
