// Opaque tokens (refresh tokens, mailed one-time tokens): random strings of which only the SHA-256 is stored.
import { randomBytes } from 'node:crypto'
import { sha256 } from './digest.js'

/** 256 bits of randomness, as the contract asks: 43 characters of base64url. */
export const OPAQUE_TOKEN_BYTES = 32

/** Ours are 43 characters; a presented one much longer is not one, and is neither hashed nor looked up. */
export const MAX_OPAQUE_TOKEN_LENGTH = 512

export function newOpaqueToken(): string {
  return randomBytes(OPAQUE_TOKEN_BYTES).toString('base64url')
}

/** SHA-256 is enough: the token is random and long, so there is nothing to brute-force. */
export const hashOpaqueToken = (token: string): string => sha256(token)
