// Single-use mailed tokens (password reset, email verification, invitation): random, stored as SHA-256.
import { hashOpaqueToken, MAX_OPAQUE_TOKEN_LENGTH, newOpaqueToken } from '../../crypto/opaqueTokens.js'
import type { Tx } from './transaction.js'

export type TokenPurpose = 'password_reset' | 'email_verification' | 'invitation'

/** How long a mailed token works. */
export const TOKEN_TTL_SECONDS: Record<TokenPurpose, number> = {
  password_reset: 3600,
  email_verification: 24 * 3600,
  invitation: 7 * 24 * 3600,
}

export interface IssuedToken {
  id: string
  /** The secret that goes into the mail; never stored. */
  token: string
}

export interface TokenOwner {
  id: string
  userId: string
}

const plausible = (token: string) => token.length > 0 && token.length <= MAX_OPAQUE_TOKEN_LENGTH

/** Spends every unused token of the user for `purpose`: none of the links already mailed works any more. */
export async function spendTokensOf(db: Tx, userId: string, purpose: TokenPurpose, now = new Date()): Promise<void> {
  await db.oneTimeToken.updateMany({ where: { userId, purpose, usedAt: null }, data: { usedAt: now } })
}

/** A new token for the user; the user's earlier unused tokens of the same purpose stop working. */
export async function issueOneTimeToken(db: Tx, userId: string, purpose: TokenPurpose): Promise<IssuedToken> {
  const now = new Date()
  await spendTokensOf(db, userId, purpose, now)
  const token = newOpaqueToken()
  const { id } = await db.oneTimeToken.create({
    data: { userId, purpose, tokenHash: hashOpaqueToken(token), expiresAt: new Date(now.getTime() + TOKEN_TTL_SECONDS[purpose] * 1000) },
    select: { id: true },
  })
  return { id, token }
}

/** The live token's owner without spending it; null when unknown, spent or expired. */
export async function peekOneTimeToken(db: Tx, token: string, purpose: TokenPurpose): Promise<TokenOwner | null> {
  if (!plausible(token)) return null
  return db.oneTimeToken.findFirst({
    where: { tokenHash: hashOpaqueToken(token), purpose, usedAt: null, expiresAt: { gt: new Date() } },
    select: { id: true, userId: true },
  })
}

/** Spends a live token and names its owner; of two concurrent redemptions only one succeeds. */
export async function redeemOneTimeToken(db: Tx, token: string, purpose: TokenPurpose): Promise<TokenOwner | null> {
  const found = await peekOneTimeToken(db, token, purpose)
  if (!found) return null
  const { count } = await db.oneTimeToken.updateMany({ where: { id: found.id, usedAt: null }, data: { usedAt: new Date() } })
  return count === 1 ? found : null
}

/** The owner of a token by its id (spent or not): the verification mail is resent by the id register answered. */
export async function tokenOwnerById(db: Tx, id: string, purpose: TokenPurpose): Promise<TokenOwner | null> {
  return db.oneTimeToken.findFirst({ where: { id, purpose }, select: { id: true, userId: true } })
}
