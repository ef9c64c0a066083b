// The transaction every membership change runs in: the organization locked, the rows read fresh,
// the change and its audit event written together.
import type { Prisma } from '../generated/prisma/client.js'
import type { Requester } from '../auth/requester.js'
import type { Changes } from '../domain/audit.js'
import { OrgRole } from '../domain/roles.js'
import type { Denial } from '../domain/access.js'
import type { Refusal } from '../domain/permissions.js'
import { ORGANIZATION_USER_SELECT } from './users.js'
import { deny, unauthenticated } from './errors.js'
import { isUuid } from './ids.js'
import type { GatewayContext } from './context.js'

export type Tx = Prisma.TransactionClient

export type TargetRow = Prisma.UserGetPayload<{ select: typeof ORGANIZATION_USER_SELECT }>

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
  return ctx.app.db.prisma.$transaction(async (tx) => {
    if (requester.orgId !== null) {
      // NO KEY UPDATE: serializes against other membership changes, not against inserts referencing the org.
      await tx.$queryRaw`SELECT id FROM organizations WHERE id = ${requester.orgId}::uuid FOR NO KEY UPDATE`
    }
    const fresh = await tx.user.findUnique({ where: { id: requester.id }, select: ORGANIZATION_USER_SELECT })
    if (!fresh || fresh.deletedAt !== null) throw unauthenticated()
    const caller: Requester = { ...requester, orgId: fresh.orgId, orgRole: fresh.orgRole, deletedAt: fresh.deletedAt }
    const target =
      targetId === null || !isUuid(targetId)
        ? null
        : targetId === caller.id
          ? fresh
          : await tx.user.findUnique({ where: { id: targetId }, select: ORGANIZATION_USER_SELECT })
    const activeOwners =
      caller.orgId === null ? 0 : await tx.user.count({ where: { orgId: caller.orgId, orgRole: OrgRole.OWNER, deletedAt: null } })
    return change(tx, { caller, target, activeOwners })
  }, TRANSACTION_OPTIONS)
}

/** Throws the operation's documented error for a refusal; does nothing when there is none. */
export function refuseIf(refusal: Refusal | null, denials: Record<Refusal, Denial>): void {
  if (refusal) throw deny(denials[refusal])
}

export interface AuditRecord {
  actorId: string
  targetId: string
  orgId: string | null
  action: 'user.updated' | 'user.role_changed' | 'user.created' | 'user.deleted' | 'user.activated'
  changes: Changes
}

/** Writes an audit event inside the change's transaction; a change without effect records nothing. */
export async function recordAudit(tx: Tx, record: AuditRecord): Promise<void> {
  if (Object.keys(record.changes).length === 0) return
  await tx.auditEvent.create({ data: { ...record, changes: record.changes as Prisma.InputJsonValue } })
}
