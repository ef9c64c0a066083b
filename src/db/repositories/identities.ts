// The user_identities table: which provider identity (or wallet) signs in as which user.
import type { Tx } from './transaction.js'
import { AUTH_USER_SELECT, type AuthUserRow } from './users.js'

export interface IdentityKey {
  /** GOOGLE, GITHUB, MICROSOFT or WEB3_STELLAR. */
  provider: string
  subject: string
}

/** The user an identity is linked to (deactivated ones included), or null when it is new. */
export async function findIdentityUser(db: Tx, key: IdentityKey): Promise<(AuthUserRow & { deletedAt: Date | null }) | null> {
  const row = await db.userIdentity.findUnique({
    where: { provider_subject: key },
    select: { user: { select: { ...AUTH_USER_SELECT, deletedAt: true } } },
  })
  return row?.user ?? null
}

/** Links an identity to a user; a concurrent link of the same identity loses at the unique index. */
export async function linkIdentity(db: Tx, key: IdentityKey, userId: string, email: string | null): Promise<void> {
  await db.userIdentity.create({ data: { ...key, userId, email } })
}

/** Records a sign-in with a linked identity (and the email the provider reports now). */
export async function touchIdentity(db: Tx, key: IdentityKey, email: string | null): Promise<void> {
  await db.userIdentity.update({ where: { provider_subject: key }, data: { lastUsedAt: new Date(), email } })
}

/** A user by id with the columns of a login answer, deactivated ones included. */
export function findAuthUser(db: Tx, id: string): Promise<(AuthUserRow & { deletedAt: Date | null }) | null> {
  return db.user.findUnique({ where: { id }, select: { ...AUTH_USER_SELECT, deletedAt: true } })
}

/** A user by (normalized) email with whether it is validated, for a provider that vouches for that email. */
export function findUserByEmail(db: Tx, email: string) {
  return db.user.findUnique({ where: { email }, select: { ...AUTH_USER_SELECT, deletedAt: true, validated: true } })
}

/** Marks a user's email verified (the provider vouched for it). */
export async function markEmailValidated(db: Tx, userId: string): Promise<void> {
  await db.user.update({ where: { id: userId }, data: { validated: true } })
}
