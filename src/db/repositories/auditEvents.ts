// The audit_events table: who changed whom, what, when. Never a password or a hash (see domain/audit.ts).
import type { Prisma } from '../../generated/prisma/client.js'
import type { Changes } from '../../domain/audit.js'
import type { Tx } from './transaction.js'

export interface AuditRecord {
  actorId: string
  /** The user changed; null when the change is to the organization itself. */
  targetId: string | null
  orgId: string | null
  action:
    | 'user.updated'
    | 'user.role_changed'
    | 'user.created'
    | 'user.deleted'
    | 'user.activated'
    | 'organization.updated'
    | 'mfa.reset'
    | 'mfa.primary_changed'
    | 'device.trusted'
    | 'device.untrusted'
    | 'device.removed'
    | (string & Record<never, never>)
  changes: Changes
}

/** Writes an audit event inside the change's transaction; a change without effect records nothing. */
export async function recordAudit(tx: Tx, record: AuditRecord): Promise<void> {
  if (Object.keys(record.changes).length === 0) return
  await tx.auditEvent.create({ data: { ...record, changes: record.changes as Prisma.InputJsonValue } })
}
