// Stellar wallet sign-in: the challenge text a wallet signs and its SEP-53 signature check.
import { createHash } from 'node:crypto'
import type * as StellarBase from '@stellar/stellar-base'
import { lazyPackage } from '../lazyPackage.js'

const stellar = lazyPackage<typeof StellarBase>('@stellar/stellar-base')

/** SEP-53 (stellar-protocol ecosystem/sep-0053.md): the signed bytes are SHA-256 of this prefix and the message. */
const SEP53_PREFIX = 'Stellar Signed Message:\n'

/** A Stellar account address (G…, an ed25519 public key in StrKey form). */
export const isStellarAddress = (address: string): boolean => address.length === 56 && stellar().StrKey.isValidEd25519PublicKey(address)

export interface ChallengeText {
  domain: string
  address: string
  network: string
  nonce: string
  issuedAt: Date
  expiresAt: Date
}

/** The message the wallet signs: readable in the wallet's prompt, and naming everything the server checks. */
export function challengeMessage(c: ChallengeText): string {
  return [
    `${c.domain} asks you to sign in with your Stellar account:`,
    c.address,
    '',
    `Network: ${c.network}`,
    `Nonce: ${c.nonce}`,
    `Issued At: ${c.issuedAt.toISOString()}`,
    `Expiration Time: ${c.expiresAt.toISOString()}`,
  ].join('\n')
}

/** The SEP-53 digest of a message: what the wallet's ed25519 key signs. */
export const sep53Digest = (message: string): Buffer =>
  createHash('sha256')
    .update(Buffer.concat([Buffer.from(SEP53_PREFIX, 'utf8'), Buffer.from(message, 'utf8')]))
    .digest()

/** A signature as the wallet sends it: base64 (SEP-53's form) or hex, 64 bytes; null when it is neither. */
export function decodeSignature(text: string): Buffer | null {
  const hex = /^[0-9a-f]{128}$/i.test(text) ? Buffer.from(text, 'hex') : null
  if (hex) return hex
  if (!/^[A-Za-z0-9+/_-]{85,86}={0,2}$/.test(text)) return null
  const bytes = Buffer.from(text.replaceAll('-', '+').replaceAll('_', '/'), 'base64')
  return bytes.length === 64 ? bytes : null
}

/** Whether `signature` is the address's key's SEP-53 signature of `message`. */
export function verifyWalletSignature(address: string, message: string, signature: Buffer): boolean {
  try {
    return stellar().Keypair.fromPublicKey(address).verify(sep53Digest(message), signature)
  } catch {
    return false
  }
}
