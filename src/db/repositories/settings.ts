// The user_settings and organization_settings tables: one JSON object per user and per organization.
import type { Prisma } from '../../generated/prisma/client.js'
import type { Settings } from '../../domain/settings.js'
import type { Tx } from './transaction.js'

/** Whose settings: a user's (by user id) or an organization's (by organization id). */
export type SettingsOwner = { kind: 'user'; id: string } | { kind: 'organization'; id: string }

const asSettings = (value: unknown): Settings =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Settings) : {}

/** The stored settings; an owner that never saved any has `{}`. */
export async function findSettings(db: Tx, owner: SettingsOwner): Promise<Settings> {
  const row =
    owner.kind === 'user'
      ? await db.userSettings.findUnique({ where: { userId: owner.id }, select: { settings: true } })
      : await db.organizationSettings.findUnique({ where: { orgId: owner.id }, select: { settings: true } })
  return asSettings(row?.settings)
}

/**
 * The stored settings, locked until the transaction ends (the row is created empty first when there
 * is none), so that concurrent partial updates apply one after the other instead of losing one.
 */
export async function lockSettings(tx: Tx, owner: SettingsOwner): Promise<Settings> {
  if (owner.kind === 'user') {
    await tx.$executeRaw`INSERT INTO user_settings (user_id, updated_at) VALUES (${owner.id}::uuid, now()) ON CONFLICT (user_id) DO NOTHING`
    await tx.$queryRaw`SELECT user_id FROM user_settings WHERE user_id = ${owner.id}::uuid FOR UPDATE`
  } else {
    await tx.$executeRaw`INSERT INTO organization_settings (org_id, updated_at) VALUES (${owner.id}::uuid, now()) ON CONFLICT (org_id) DO NOTHING`
    await tx.$queryRaw`SELECT org_id FROM organization_settings WHERE org_id = ${owner.id}::uuid FOR UPDATE`
  }
  return findSettings(tx, owner)
}

/** Replaces the stored settings (the row exists: lockSettings made it). */
export async function saveSettings(tx: Tx, owner: SettingsOwner, settings: Settings): Promise<void> {
  const value = settings as Prisma.InputJsonObject
  if (owner.kind === 'user') await tx.userSettings.update({ where: { userId: owner.id }, data: { settings: value } })
  else await tx.organizationSettings.update({ where: { orgId: owner.id }, data: { settings: value } })
}
