// TOTP secrets at rest: AES-256-GCM under MFA_ENCRYPTION_KEY, bound to their user by the associated data.
import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto'

const VERSION = 'v1'
const IV_BYTES = 12

export interface SecretBox {
  seal(plaintext: string, userId: string): string
  /** Throws when the box was not sealed with this key for this user (tampered, swapped or another key). */
  open(sealed: string, userId: string): string
  /** A keyed hash (HMAC-SHA-256) for backup codes: a stolen table cannot be brute-forced without the key. */
  digest(text: string): string
}

export function createSecretBox(key: Buffer): SecretBox {
  if (key.length !== 32) throw new Error('AES-256-GCM needs a 32-byte key')
  return {
    seal(plaintext, userId) {
      const iv = randomBytes(IV_BYTES)
      const cipher = createCipheriv('aes-256-gcm', key, iv)
      cipher.setAAD(Buffer.from(userId, 'utf8'))
      const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()])
      return [VERSION, iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), body.toString('base64url')].join(':')
    },
    open(sealed, userId) {
      const [version, iv, tag, body] = sealed.split(':')
      if (version !== VERSION || !iv || !tag || body === undefined) throw new Error('not a sealed MFA secret')
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'))
      decipher.setAAD(Buffer.from(userId, 'utf8'))
      decipher.setAuthTag(Buffer.from(tag, 'base64url'))
      return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8')
    },
    digest(text) {
      return createHmac('sha256', key).update(`mfa-backup-code:${text}`, 'utf8').digest('hex')
    },
  }
}
