// The refresh_tokens table. Only the SHA-256 of a refresh token is stored; every refresh spends the
// presented token and issues its successor in the same session (the token family).
import type { PrismaClient } from '../../generated/prisma/client.js'
import { hashOpaqueToken, newOpaqueToken } from '../../crypto/opaqueTokens.js'
import { revokeSessions, startSession, type SessionInfo } from './sessions.js'
import { inTransaction, type Tx } from './transaction.js'

export type Rotation =
  | { status: 'rotated'; userId: string; sessionId: string; refreshToken: string }
  /** Unknown, expired, or its session revoked, ended, or its user deactivated. */
  | { status: 'invalid' }
  /** The token was spent before: its session is now revoked. */
  | { status: 'reused'; sessionId: string }

/** Issues a new refresh token of `sessionId`; returns the token itself (only its hash is stored). */
export async function issueRefreshToken(db: Tx, sessionId: string, expiresAt: Date): Promise<string> {
  const refreshToken = newOpaqueToken()
  await db.refreshToken.create({ data: { sessionId, tokenHash: hashOpaqueToken(refreshToken), expiresAt } })
  return refreshToken
}

/** The session (and its user) that a refresh token, spent or not, belongs to; null for an unknown token. */
export async function findRefreshTokenSession(db: Tx, presented: string): Promise<{ sessionId: string; userId: string } | null> {
  const row = await db.refreshToken.findUnique({
    where: { tokenHash: hashOpaqueToken(presented) },
    select: { sessionId: true, session: { select: { userId: true } } },
  })
  return row ? { sessionId: row.sessionId, userId: row.session.userId } : null
}

/**
 * A login: a session and its first refresh token, which lives as long as the session. Every caller has
 * just proven the password (or the second factor), so the session starts proven. Run in a transaction.
 */
export async function startLoginSession(tx: Tx, userId: string, ttlSeconds: number, info: SessionInfo = {}) {
  const session = await startSession(tx, userId, ttlSeconds, { credentialsProvenAt: new Date(), ...info })
  const refreshToken = await issueRefreshToken(tx, session.id, session.expiresAt)
  return { sessionId: session.id, refreshToken }
}

/** Rotates a refresh token in one transaction of its own. */
export function rotateRefreshToken(prisma: PrismaClient, presented: string, ttlSeconds: number): Promise<Rotation> {
  return inTransaction(prisma, async (tx) => {
    const hash = hashOpaqueToken(presented)
    // Spends the token only if it, its session and its user are all still good; the row lock makes a
    // second concurrent caller wait, re-check `spent_at IS NULL`, and find nothing.
    const spent = await tx.$queryRaw<{ session_id: string; user_id: string }[]>`UPDATE refresh_tokens rt SET spent_at = now()
      FROM sessions s JOIN users u ON u.id = s.user_id
      WHERE rt.token_hash = ${hash} AND rt.spent_at IS NULL AND rt.expires_at > now()
        AND s.id = rt.session_id AND s.revoked_at IS NULL AND s.expires_at > now() AND u.deleted_at IS NULL
      RETURNING rt.session_id::text AS session_id, s.user_id::text AS user_id`
    const row = spent[0]
    if (!row) {
      const earlier = await tx.refreshToken.findFirst({ where: { tokenHash: hash, spentAt: { not: null } }, select: { sessionId: true } })
      if (!earlier) return { status: 'invalid' }
      // Reuse of a spent token: whoever holds the family may be a thief, so the whole login ends.
      await revokeSessions(tx, { sessionId: earlier.sessionId }, 'refresh_token_reused')
      return { status: 'reused', sessionId: earlier.sessionId }
    }
    const expiresAt = new Date(Date.now() + ttlSeconds * 1000)
    const refreshToken = await issueRefreshToken(tx, row.session_id, expiresAt)
    // The session lives as long as its newest refresh token (a sliding window).
    await tx.session.update({ where: { id: row.session_id }, data: { lastUsedAt: new Date(), expiresAt } })
    return { status: 'rotated', userId: row.user_id, sessionId: row.session_id, refreshToken }
  })
}
