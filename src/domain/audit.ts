// What an audit event records about a change. Pure, no I/O; secrets never get in.

export type FieldChange = { old: unknown; new: unknown }
export type Changes = Record<string, FieldChange | 'changed'>

/** Fields that are recorded only as "changed": their values (or hashes) never reach the audit log. */
const SECRET_FIELDS = new Set(['password', 'passwordHash'])

/** The fields of `after` whose value differs from `before`, with old and new values. */
export function changesBetween(before: Record<string, unknown>, after: Record<string, unknown>): Changes {
  const changes: Changes = {}
  for (const [field, value] of Object.entries(after)) {
    if (value === undefined) continue
    if (SECRET_FIELDS.has(field)) {
      changes[field === 'passwordHash' ? 'password' : field] = 'changed'
      continue
    }
    const old = before[field] ?? null
    const now = value instanceof Date ? value.toISOString() : value
    const was = old instanceof Date ? old.toISOString() : old
    if (was !== now) changes[field] = { old: was, new: now }
  }
  return changes
}
