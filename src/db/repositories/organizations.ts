// The organizations table and what hangs off it: subscriptions and capability usage.
import type { Prisma } from '../../generated/prisma/client.js'
import type { Tx } from './transaction.js'
import type { OrganizationChange } from '../../domain/organization.js'

export const FREE_TRIAL_PLAN = 'FREE_TRIAL'

/**
 * Locks the organization's row until the transaction ends, so that every membership change of an
 * organization (and its last-owner count) is serialized. NO KEY UPDATE: inserts that reference the
 * organization are not blocked.
 */
export async function lockOrganization(tx: Tx, orgId: string): Promise<void> {
  await tx.$queryRaw`SELECT id FROM organizations WHERE id = ${orgId}::uuid FOR NO KEY UPDATE`
}

/** The columns of an organization's details (GET /organization/{orgId}). */
export const ORGANIZATION_SELECT = {
  id: true,
  name: true,
  address1: true,
  address2: true,
  city: true,
  zipcode: true,
  phone: true,
  state: true,
  country: true,
  website: true,
  isBusiness: true,
  mfaEnforced: true,
  reposDisabled: true,
  deletedAt: true,
} as const

export type OrganizationRow = Prisma.OrganizationGetPayload<{ select: typeof ORGANIZATION_SELECT }>

export function findOrganization(db: Tx, id: string): Promise<OrganizationRow | null> {
  return db.organization.findUnique({ where: { id }, select: ORGANIZATION_SELECT })
}

/** Applies the defined fields of `changes`; null when there is no such organization. */
export async function updateOrganization(db: Tx, id: string, changes: OrganizationChange): Promise<OrganizationRow | null> {
  const { count } = await db.organization.updateMany({ where: { id }, data: changes })
  return count === 0 ? null : findOrganization(db, id)
}

/** A new organization on an active free-trial subscription; returns its id. Run in a transaction. */
export async function createOrganizationOnFreeTrial(
  tx: Tx,
  name: string,
  details: { website?: string | null; isBusiness?: boolean } = {},
): Promise<string> {
  const plan = await tx.subscriptionPlan.findUniqueOrThrow({ where: { code: FREE_TRIAL_PLAN }, select: { id: true } })
  const org = await tx.organization.create({ data: { name, ...details }, select: { id: true } })
  await tx.organizationSubscription.create({ data: { orgId: org.id, planId: plan.id, status: 'active' } })
  return org.id
}

/** The organization's subscription active at `now` (the latest started), with its plan's first `maxCapabilities` capabilities by code. */
export function findActiveSubscription(db: Tx, orgId: string, now: Date, maxCapabilities: number) {
  return db.organizationSubscription.findFirst({
    where: { orgId, status: 'active', startsAt: { lte: now }, OR: [{ endsAt: null }, { endsAt: { gt: now } }] },
    orderBy: [{ startsAt: 'desc' }, { id: 'asc' }],
    select: {
      id: true,
      plan: {
        select: {
          name: true,
          description: true,
          capabilities: {
            orderBy: { capability: { code: 'asc' } },
            take: maxCapabilities,
            select: { max: true, capability: { select: { id: true, code: true, description: true, type: true, periodType: true } } },
          },
        },
      },
    },
  })
}

/** The current usage of several capabilities, each in its own period, in one query. */
export async function findUsage(db: Tx, orgId: string, periods: { capabilityId: string; periodStart: Date }[]) {
  if (periods.length === 0) return []
  return db.capabilityUsage.findMany({ where: { orgId, OR: periods }, select: { capabilityId: true, current: true } })
}
