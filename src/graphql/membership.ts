// The transaction every membership change runs in: the organization locked, the rows read fresh,
// the change and its audit event written together.
import type { Requester } from '../auth/requester.js'
import type { Denial } from './denials.js'
import type { Refusal } from '../domain/permissions.js'
import { lockOrganization } from '../db/repositories/organizations.js'
import { countActiveOwners, findOrganizationUser, type OrganizationUserRow } from '../db/repositories/users.js'
import { inTransaction, type Tx } from '../db/repositories/transaction.js'
import { deny, unauthenticated } from './errors.js'
import { isUuid } from '../domain/fields.js'
import type { GatewayContext } from './context.js'

export type { Tx }

export type TargetRow = OrganizationUserRow

export interface MembershipState {
  /** The caller as it is now, inside the lock: its role may have changed since the request began. */
  caller: Requester
  target: TargetRow | null
  /** Active owners of the caller's organization, counted under the lock. */
  activeOwners: number
}

// Concurrent changes in one organization queue on its lock; this bounds the wait for it.
const TRANSACTION_OPTIONS = { maxWait: 10_000, timeout: 20_000 } as const

/**
 * Runs `change` in one transaction that first locks the caller's organization row, so that every
 * membership change of an organization (and its last-owner count) is serialized. Works the same on
 * PostgreSQL and on PGlite (which runs one transaction at a time anyway).
 */
export async function inLockedOrganization<T>(
  ctx: GatewayContext,
  requester: Requester,
  targetId: string | null,
  change: (tx: Tx, state: MembershipState) => Promise<T>,
): Promise<T> {
  return inTransaction(
    ctx.app.db.prisma,
    async (tx) => {
      if (requester.orgId !== null) await lockOrganization(tx, requester.orgId)
      const fresh = await findOrganizationUser(tx, requester.id)
      if (!fresh || fresh.deletedAt !== null) throw unauthenticated()
      const caller: Requester = { ...requester, orgId: fresh.orgId, orgRole: fresh.orgRole, deletedAt: fresh.deletedAt }
      const target =
        targetId === null || !isUuid(targetId) ? null : targetId === caller.id ? fresh : await findOrganizationUser(tx, targetId)
      const activeOwners = caller.orgId === null ? 0 : await countActiveOwners(tx, caller.orgId)
      return change(tx, { caller, target, activeOwners })
    },
    TRANSACTION_OPTIONS,
  )
}

/** Throws the operation's documented error for a refusal; does nothing when there is none. */
export function refuseIf(refusal: Refusal | null, denials: Record<Refusal, Denial>): void {
  if (refusal) throw deny(denials[refusal])
}
