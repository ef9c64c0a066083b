// Passkeys (WebAuthn credentials), several per user, and the magic-link switch; mfa_required follows whether any
// second factor is left.
import type { Tx } from './transaction.js'

import { MAX_PASSKEYS_PER_USER } from '../../domain/listBounds.js'

export { MAX_PASSKEYS_PER_USER }

export interface PasskeyRow {
  id: string
  credentialId: string
  publicKey: Uint8Array
  counter: bigint
  transports: string[]
  name: string
  createdAt: Date
  lastUsedAt: Date | null
}

const select = {
  id: true,
  credentialId: true,
  publicKey: true,
  counter: true,
  transports: true,
  name: true,
  createdAt: true,
  lastUsedAt: true,
} as const

const toRow = (row: Omit<PasskeyRow, 'transports'> & { transports: string }): PasskeyRow => ({
  ...row,
  transports: row.transports ? row.transports.split(',') : [],
})

export async function listPasskeys(db: Tx, userId: string): Promise<PasskeyRow[]> {
  const rows = await db.passkeyCredential.findMany({
    where: { userId },
    select,
    orderBy: { createdAt: 'asc' },
    take: MAX_PASSKEYS_PER_USER,
  })
  return rows.map(toRow)
}

export async function countPasskeys(db: Tx, userId: string): Promise<number> {
  return db.passkeyCredential.count({ where: { userId } })
}

export async function findPasskey(db: Tx, userId: string, credentialId: string): Promise<PasskeyRow | null> {
  const row = await db.passkeyCredential.findFirst({ where: { userId, credentialId }, select })
  return row && toRow(row)
}

/** Stores a registered passkey; the profile's mfaRequired becomes true. Run in a transaction. */
export async function addPasskey(
  db: Tx,
  userId: string,
  passkey: { credentialId: string; publicKey: Uint8Array; counter: number; transports: string[]; name: string },
): Promise<string> {
  const { id } = await db.passkeyCredential.create({
    data: {
      userId,
      credentialId: passkey.credentialId,
      publicKey: Buffer.from(passkey.publicKey),
      counter: BigInt(passkey.counter),
      transports: passkey.transports.join(','),
      name: passkey.name,
    },
    select: { id: true },
  })
  await db.user.update({ where: { id: userId }, data: { mfaRequired: true } })
  return id
}

/**
 * Records an assertion's signature count, only if the stored one is still `previous`: of two concurrent uses
 * of one assertion, or of a cloned key, one loses.
 */
export async function acceptPasskeyCounter(db: Tx, id: string, previous: bigint, next: number): Promise<boolean> {
  const { count } = await db.passkeyCredential.updateMany({
    where: { id, counter: previous },
    data: { counter: BigInt(next), lastUsedAt: new Date() },
  })
  return count === 1
}

/** Whether the user has a second factor left: TOTP enabled, a passkey, or magic links. */
export async function hasSecondFactor(db: Tx, userId: string): Promise<boolean> {
  const [totp, passkeys, magicLink] = await Promise.all([
    db.mfaCredential.count({ where: { userId, enabledAt: { not: null } } }),
    db.passkeyCredential.count({ where: { userId } }),
    db.mfaMagicLink.count({ where: { userId } }),
  ])
  return totp + passkeys + magicLink > 0
}

/** After a second factor is removed: mfaRequired stays true while another is left or the organization enforces MFA. */
export async function settleMfaRequired(db: Tx, userId: string): Promise<void> {
  const user = await db.user.findUnique({ where: { id: userId }, select: { organization: { select: { mfaEnforced: true } } } })
  const required = (user?.organization?.mfaEnforced ?? false) || (await hasSecondFactor(db, userId))
  await db.user.update({ where: { id: userId }, data: { mfaRequired: required } })
}

/** Removes one of the user's passkeys; false when it has none with this id. Run in a transaction. */
export async function removePasskey(db: Tx, userId: string, id: string): Promise<boolean> {
  const { count } = await db.passkeyCredential.deleteMany({ where: { id, userId } })
  if (count === 1) await settleMfaRequired(db, userId)
  return count === 1
}

/** Removes every passkey of the user. Run in a transaction. */
export async function removeAllPasskeys(db: Tx, userId: string): Promise<void> {
  await db.passkeyCredential.deleteMany({ where: { userId } })
  await settleMfaRequired(db, userId)
}

export async function isMagicLinkEnabled(db: Tx, userId: string): Promise<boolean> {
  return (await db.mfaMagicLink.count({ where: { userId } })) > 0
}

/** Run in a transaction. */
export async function enableMagicLink(db: Tx, userId: string): Promise<void> {
  await db.mfaMagicLink.upsert({ where: { userId }, create: { userId }, update: {} })
  await db.user.update({ where: { id: userId }, data: { mfaRequired: true } })
}

/** Run in a transaction. */
export async function disableMagicLink(db: Tx, userId: string): Promise<void> {
  await db.mfaMagicLink.deleteMany({ where: { userId } })
  await settleMfaRequired(db, userId)
}

/** What a passkey's display name, a magic-link mail and its enabling need of the user. */
export function findMfaContact(db: Tx, userId: string) {
  return db.user.findUnique({ where: { id: userId }, select: { email: true, name: true, lastName: true, validated: true } })
}
