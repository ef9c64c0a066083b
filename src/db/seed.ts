// Demo data, so that a newcomer can try the API at once. Never run in production.
import type { Database } from './database.js'
import { hashPassword, type PasswordHashCost } from '../crypto/passwords.js'
import { OrgRole } from '../domain/roles.js'
import { periodStartOf } from '../domain/quota.js'
import type { Prisma } from '../generated/prisma/client.js'

export const DEMO_PASSWORD = 'Demo-Password-1'

interface DemoUser {
  email: string
  name: string
  lastName: string
  org: 'demo' | 'other' | null
  orgRole: number | null
  deactivated?: boolean
}

export const DEMO_USERS: readonly DemoUser[] = [
  { email: 'owner@demo.test', name: 'Olivia', lastName: 'Owner', org: 'demo', orgRole: OrgRole.OWNER },
  { email: 'admin@demo.test', name: 'Adam', lastName: 'Admin', org: 'demo', orgRole: OrgRole.ADMINISTRATORS },
  { email: 'workspaces@demo.test', name: 'Wendy', lastName: 'Workspaces', org: 'demo', orgRole: OrgRole.WORKSPACES },
  { email: 'billing@demo.test', name: 'Bill', lastName: 'Billing', org: 'demo', orgRole: OrgRole.BILLING },
  { email: 'user@demo.test', name: 'Uma', lastName: 'User', org: 'demo', orgRole: OrgRole.USER },
  { email: 'deleted@demo.test', name: 'Dan', lastName: 'Deleted', org: 'demo', orgRole: OrgRole.USER, deactivated: true },
  { email: 'owner@other.test', name: 'Otto', lastName: 'Other', org: 'other', orgRole: OrgRole.OWNER },
  { email: 'loner@demo.test', name: 'Lena', lastName: 'Loner', org: null, orgRole: null },
]

/**
 * Seeds the demo organizations and users unless they are there already. Returns whether it seeded.
 * `cost`: the password hash's (config.passwordHashCost; OWASP's by default).
 */
export async function seedDemoData(db: Database, cost?: PasswordHashCost): Promise<boolean> {
  const { prisma } = db
  if (await prisma.user.findUnique({ where: { email: 'owner@demo.test' }, select: { id: true } })) return false
  const passwordHash = await hashPassword(DEMO_PASSWORD, cost)
  await prisma.$transaction(async (tx) => {
    const plan = await tx.subscriptionPlan.findUnique({ where: { code: 'FREE_TRIAL' }, select: { id: true } })
    const orgs = {
      demo: await tx.organization.create({ data: { name: 'Demo Org' } }),
      other: await tx.organization.create({ data: { name: 'Other Org' } }),
    }
    if (plan) {
      // Demo Org has the free trial and some usage; Other Org has no subscription (NO_ACTIVE_SUBSCRIPTION).
      await tx.organizationSubscription.create({ data: { orgId: orgs.demo.id, planId: plan.id } })
      await seedDemoUsage(tx, orgs.demo.id)
    }
    const created = Date.now()
    for (const [i, u] of DEMO_USERS.entries()) {
      await tx.user.create({
        data: {
          email: u.email,
          name: u.name,
          lastName: u.lastName,
          passwordHash,
          orgId: u.org ? orgs[u.org].id : null,
          orgRole: u.orgRole,
          validated: true,
          deletedAt: u.deactivated ? new Date(created) : null,
          // Distinct creation times give the organization's user list a stable order.
          createdAt: new Date(created - (DEMO_USERS.length - i) * 1000),
        },
      })
    }
  })
  return true
}

/** Demo usage, both beyond 2^31: 3 GiB stored, 5 GiB downloaded this month. */
export const DEMO_USAGE = { STORAGE_TOTAL_BYTES: 3_221_225_472n, EGRESS_MONTHLY_BYTES: 5_368_709_120n } as const

async function seedDemoUsage(tx: Prisma.TransactionClient, orgId: string) {
  const capabilities = await tx.capability.findMany({ where: { code: { in: Object.keys(DEMO_USAGE) } } })
  for (const capability of capabilities) {
    await tx.capabilityUsage.create({
      data: {
        orgId,
        capabilityId: capability.id,
        periodStart: periodStartOf(capability.periodType, new Date()),
        current: DEMO_USAGE[capability.code as keyof typeof DEMO_USAGE],
      },
    })
  }
}
