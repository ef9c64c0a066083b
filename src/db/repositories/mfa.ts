// TOTP credentials, backup codes and the organization's enforcement flag; users.mfa_required follows them.
import { countPasskeys, disableMagicLink, hasSecondFactor, isMagicLinkEnabled, removeAllPasskeys, settleMfaRequired } from './passkeys.js'
import { MFA_METHOD_ORDER, type MfaMethod } from '../../domain/mfaMethods.js'
import type { Tx } from './transaction.js'

export interface MfaCredentialRow {
  secretSealed: string
  verifiedAt: Date | null
  enabledAt: Date | null
  lastTimeStep: bigint | null
}

export function findMfaCredential(db: Tx, userId: string): Promise<MfaCredentialRow | null> {
  return db.mfaCredential.findUnique({
    where: { userId },
    select: { secretSealed: true, verifiedAt: true, enabledAt: true, lastTimeStep: true },
  })
}

/** Whether login needs a second factor: TOTP enabled, a passkey registered or magic links on. */
export const isMfaEnabled = hasSecondFactor

/** A new, not yet verified authenticator with fresh backup codes; replaces an unfinished setup. Run in a transaction. */
export async function saveMfaSetup(db: Tx, userId: string, secretSealed: string, backupCodeHashes: string[]): Promise<void> {
  const fresh = { secretSealed, verifiedAt: null, enabledAt: null, lastTimeStep: null }
  await db.mfaCredential.upsert({ where: { userId }, create: { userId, ...fresh }, update: fresh })
  await db.mfaBackupCode.deleteMany({ where: { userId } })
  await db.mfaBackupCode.createMany({ data: backupCodeHashes.map((codeHash) => ({ userId, codeHash })) })
}

/** Records a TOTP step as used; false when it (or a later one) was used already, so a code works once. */
export async function acceptTimeStep(db: Tx, userId: string, timeStep: number): Promise<boolean> {
  const step = BigInt(timeStep)
  const { count } = await db.mfaCredential.updateMany({
    where: { userId, OR: [{ lastTimeStep: null }, { lastTimeStep: { lt: step } }] },
    data: { lastTimeStep: step },
  })
  return count === 1
}

export async function markMfaVerified(db: Tx, userId: string): Promise<void> {
  await db.mfaCredential.update({ where: { userId }, data: { verifiedAt: new Date() } })
}

/** Spends an unused backup code; false when there is none with this hash. */
export async function redeemBackupCode(db: Tx, userId: string, codeHash: string): Promise<boolean> {
  const { count } = await db.mfaBackupCode.updateMany({ where: { userId, codeHash, usedAt: null }, data: { usedAt: new Date() } })
  return count === 1
}

/** Run in a transaction: the credential and the profile's mfaRequired change together. */
export async function enableMfa(db: Tx, userId: string): Promise<void> {
  await db.mfaCredential.update({ where: { userId }, data: { enabledAt: new Date() } })
  await db.user.update({ where: { id: userId }, data: { mfaRequired: true } })
}

/** Removes the authenticator and its backup codes; mfaRequired stays true only where another factor is left or the organization enforces MFA. */
export async function disableMfa(db: Tx, userId: string): Promise<void> {
  await db.mfaBackupCode.deleteMany({ where: { userId } })
  await db.mfaCredential.deleteMany({ where: { userId } })
  await settleMfaRequired(db, userId)
}

export async function isMfaEnforced(db: Tx, orgId: string | null): Promise<boolean> {
  if (orgId === null) return false
  return (await db.organization.findUnique({ where: { id: orgId }, select: { mfaEnforced: true } }))?.mfaEnforced ?? false
}

/** Sets the organization's flag and every member's mfaRequired (enforced, or MFA enabled). Run in a transaction. */
export async function setMfaEnforced(db: Tx, orgId: string, enforced: boolean): Promise<void> {
  await db.organization.update({ where: { id: orgId }, data: { mfaEnforced: enforced } })
  if (enforced) await db.user.updateMany({ where: { orgId }, data: { mfaRequired: true } })
  else
    await db.user.updateMany({
      where: {
        orgId,
        NOT: {
          OR: [{ mfaCredential: { is: { enabledAt: { not: null } } } }, { passkeys: { some: {} } }, { mfaMagicLink: { isNot: null } }],
        },
      },
      data: { mfaRequired: false },
    })
}

/** Who an MFA operation acts for, by id; null when the user is gone or deactivated. */
export async function findMfaSubject(db: Tx, userId: string) {
  const user = await db.user.findUnique({
    where: { id: userId },
    select: { id: true, email: true, orgId: true, orgRole: true, mfaRequired: true, deletedAt: true },
  })
  return user && user.deletedAt === null ? user : null
}

/** The MFA methods the user has enabled, in the order login offers them by default. Every method's enrolment is read here. */
export async function enrolledMfaMethods(db: Tx, userId: string): Promise<MfaMethod[]> {
  const [totp, passkeys, magicLink] = await Promise.all([
    db.mfaCredential.count({ where: { userId, enabledAt: { not: null } } }),
    countPasskeys(db, userId),
    isMagicLinkEnabled(db, userId),
  ])
  const enrolled = { GOOGLE_AUTH: totp > 0, PASSKEY: passkeys > 0, MAGIC_LINK: magicLink }
  return MFA_METHOD_ORDER.filter((method) => enrolled[method])
}

/** The method the user chose as primary (POST /mfa/primary), enrolled or not; null: none chosen. */
export async function findMfaPrimaryChoice(db: Tx, userId: string): Promise<string | null> {
  return (await db.user.findUnique({ where: { id: userId }, select: { mfaPrimaryMethod: true } }))?.mfaPrimaryMethod ?? null
}

export async function setMfaPrimaryMethod(db: Tx, userId: string, method: string): Promise<void> {
  await db.user.update({ where: { id: userId }, data: { mfaPrimaryMethod: method } })
}

/**
 * A reset: every MFA method of the user goes (its authenticator and backup codes) and its primary choice;
 * mfaRequired stays true when `requireAgain` or its organization enforces MFA. Returns mfaRequired before
 * and after. Run in a transaction (with the trusted devices' untrusting and the audit event).
 */
export async function resetMfa(db: Tx, userId: string, requireAgain: boolean): Promise<{ before: boolean; after: boolean }> {
  await db.mfaBackupCode.deleteMany({ where: { userId } })
  await db.mfaCredential.deleteMany({ where: { userId } })
  await removeAllPasskeys(db, userId)
  await disableMagicLink(db, userId)
  const user = await db.user.findUnique({
    where: { id: userId },
    select: { mfaRequired: true, organization: { select: { mfaEnforced: true } } },
  })
  const after = requireAgain || (user?.organization?.mfaEnforced ?? false)
  await db.user.update({ where: { id: userId }, data: { mfaRequired: after, mfaPrimaryMethod: null } })
  return { before: user?.mfaRequired ?? false, after }
}
