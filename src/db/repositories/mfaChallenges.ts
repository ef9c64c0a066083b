// Short-lived, single-use MFA challenges (WebAuthn challenges, magic links): stored as SHA-256, spent once.
import { sha256 } from '../../crypto/digest.js'
import type { Tx } from './transaction.js'

export type ChallengePurpose = 'passkey_registration' | 'passkey_login' | 'magic_link'

/** A presented challenge longer than this is not one of ours: neither hashed nor looked up. */
const MAX_CHALLENGE_LENGTH = 512

/**
 * Stores a new challenge for the user (and, for a login, the limited token's id); the user's earlier unspent
 * challenges of the same purpose stop working: only the newest options or link counts.
 */
export async function storeChallenge(
  db: Tx,
  userId: string,
  purpose: ChallengePurpose,
  secret: string,
  ttlSeconds: number,
  loginId: string | null,
): Promise<void> {
  const now = new Date()
  await db.mfaChallenge.updateMany({ where: { userId, purpose, usedAt: null }, data: { usedAt: now } })
  // Spent and expired rows of the user are of no use any more: the table holds a few rows per user at most.
  await db.mfaChallenge.deleteMany({ where: { userId, OR: [{ usedAt: { not: null } }, { expiresAt: { lte: now } }] } })
  await db.mfaChallenge.create({
    data: { userId, purpose, secretHash: sha256(secret), loginId, expiresAt: new Date(now.getTime() + ttlSeconds * 1000) },
  })
}

/**
 * Spends a live challenge of the user for `purpose` (and `loginId` where given); false when it is unknown, spent,
 * expired, someone else's or another login's. Of two concurrent uses only one succeeds.
 */
export async function spendChallenge(
  db: Tx,
  userId: string,
  purpose: ChallengePurpose,
  secret: string,
  loginId: string | null,
): Promise<boolean> {
  if (secret.length === 0 || secret.length > MAX_CHALLENGE_LENGTH) return false
  const { count } = await db.mfaChallenge.updateMany({
    where: {
      userId,
      purpose,
      secretHash: sha256(secret),
      usedAt: null,
      expiresAt: { gt: new Date() },
      ...(loginId !== null && { loginId }),
    },
    data: { usedAt: new Date() },
  })
  return count === 1
}
