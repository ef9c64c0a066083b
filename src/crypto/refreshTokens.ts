// Refresh tokens: opaque random strings; only their SHA-256 is stored (src/db/repositories/tokens.ts).
import { createHash, randomBytes } from 'node:crypto'

/** 256 bits of randomness, as the contract asks. */
export const REFRESH_TOKEN_BYTES = 32

export function newRefreshToken(): string {
  return randomBytes(REFRESH_TOKEN_BYTES).toString('base64url')
}

/** SHA-256 is enough: the token is random and long, so there is nothing to brute-force. */
export function hashRefreshToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex')
}
