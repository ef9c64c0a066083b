// The user rows that password reset, email verification, invitations and deactivation read and change.
import type { Tx } from './transaction.js'
import { AUTH_USER_SELECT, type AuthUserRow } from './users.js'

const ACCOUNT_SELECT = { ...AUTH_USER_SELECT, passwordHash: true, validated: true, deletedAt: true } as const

export interface AccountRow extends AuthUserRow {
  passwordHash: string | null
  validated: boolean
  deletedAt: Date | null
}

export function findAccount(db: Tx, id: string): Promise<AccountRow | null> {
  return db.user.findUnique({ where: { id }, select: ACCOUNT_SELECT })
}

/** A live (not deactivated) account by its normalized email, or null. */
export async function findActiveAccountByEmail(db: Tx, email: string): Promise<AccountRow | null> {
  const user = await db.user.findUnique({ where: { email }, select: ACCOUNT_SELECT })
  return user && user.deletedAt === null ? user : null
}

/** A new password from a reset: the mail reached its owner, so the address counts as verified too. */
export async function setResetPassword(db: Tx, id: string, passwordHash: string): Promise<void> {
  await db.user.update({ where: { id }, data: { passwordHash, validated: true } })
}

/** validated = true; `passwordHash` is set only on an account that has none. */
export async function markVerified(db: Tx, account: AccountRow, passwordHash?: string): Promise<void> {
  await db.user.update({
    where: { id: account.id },
    data: { validated: true, ...(account.passwordHash === null && passwordHash && { passwordHash }) },
  })
}

/** An accepted invitation: the invitee's own password and names, verified. */
export function acceptInvitation(
  db: Tx,
  id: string,
  changes: { passwordHash: string; name?: string; lastName?: string },
): Promise<AuthUserRow> {
  return db.user.update({ where: { id }, data: { ...changes, validated: true }, select: AUTH_USER_SELECT })
}

export async function organizationName(db: Tx, orgId: string | null): Promise<string | null> {
  if (orgId === null) return null
  return (await db.organization.findUnique({ where: { id: orgId }, select: { name: true } }))?.name ?? null
}
