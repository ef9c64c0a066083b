// Refresh tokens: opaque random strings; only their SHA-256 is stored. Every refresh spends the
// presented token and issues its successor in the same session (the token family).
import { createHash, randomBytes, randomUUID } from 'node:crypto'
import type { SqlExecutor } from '../db/database.js'

/** 256 bits of randomness, as the contract asks. */
export const REFRESH_TOKEN_BYTES = 32

export function newRefreshToken(): string {
  return randomBytes(REFRESH_TOKEN_BYTES).toString('base64url')
}

/** SHA-256 is enough: the token is random and long, so there is nothing to brute-force. */
export function hashRefreshToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex')
}

export type Rotation =
  | { status: 'rotated'; userId: string; sessionId: string; refreshToken: string }
  /** Unknown, expired, or its session revoked, ended, or its user deactivated. */
  | { status: 'invalid' }
  /** The token was spent before: its session is now revoked. */
  | { status: 'reused'; sessionId: string }

// Spends the token only if it, its session and its user are all still good; the row lock makes a
// second concurrent caller wait, re-check `spent_at IS NULL`, and find nothing.
const SPEND_SQL = `UPDATE refresh_tokens rt SET spent_at = now()
FROM sessions s JOIN users u ON u.id = s.user_id
WHERE rt.token_hash = $1 AND rt.spent_at IS NULL AND rt.expires_at > now()
  AND s.id = rt.session_id AND s.revoked_at IS NULL AND s.expires_at > now() AND u.deleted_at IS NULL
RETURNING rt.session_id, s.user_id`

const SPENT_SQL = 'SELECT session_id FROM refresh_tokens WHERE token_hash = $1 AND spent_at IS NOT NULL'

export const REUSE_REASON = 'refresh_token_reused'

/** Revokes a session unless it is revoked already; returns whether it did. */
export async function revokeSession(sql: SqlExecutor, sessionId: string, reason: string): Promise<boolean> {
  const rows = await sql.query(
    'UPDATE sessions SET revoked_at = now(), revoked_reason = $2 WHERE id = $1 AND revoked_at IS NULL RETURNING id',
    [sessionId, reason],
  )
  return rows.length > 0
}

/** Rotates a refresh token; run it inside one transaction (`tx`). */
export async function rotateRefreshToken(tx: SqlExecutor, presented: string, ttlSeconds: number): Promise<Rotation> {
  const hash = hashRefreshToken(presented)
  const spent = await tx.query<{ session_id: string; user_id: string }>(SPEND_SQL, [hash])
  const row = spent[0]
  if (!row) {
    const earlier = (await tx.query<{ session_id: string }>(SPENT_SQL, [hash]))[0]
    if (!earlier) return { status: 'invalid' }
    // Reuse of a spent token: whoever holds the family may be a thief, so the whole login ends.
    await revokeSession(tx, earlier.session_id, REUSE_REASON)
    return { status: 'reused', sessionId: earlier.session_id }
  }
  const refreshToken = newRefreshToken()
  const expiresAt = new Date(Date.now() + ttlSeconds * 1000)
  await tx.query('INSERT INTO refresh_tokens (id, session_id, token_hash, expires_at) VALUES ($1, $2, $3, $4)', [
    randomUUID(),
    row.session_id,
    hashRefreshToken(refreshToken),
    expiresAt,
  ])
  // The session lives as long as its newest refresh token (a sliding window).
  await tx.query('UPDATE sessions SET last_used_at = now(), expires_at = $2 WHERE id = $1', [row.session_id, expiresAt])
  return { status: 'rotated', userId: row.user_id, sessionId: row.session_id, refreshToken }
}
