// The requester as the database sees it now: read once per request, never trusted from the token.
import type { SqlExecutor } from '../db/database.js'
import type { Member } from '../domain/access.js'

export interface Requester extends Member {
  email: string
  name: string
  lastName: string
  validated: boolean
  mfaRequired: boolean
}

export type RequesterLookup =
  /** No valid access token came with the request. */
  | { status: 'anonymous' }
  | { status: 'active'; user: Requester }
  /** The user no longer exists or is deactivated. */
  | { status: 'gone' }
  /** The token's session was revoked or has ended. */
  | { status: 'revoked' }

interface Row {
  id: string
  email: string
  name: string
  last_name: string
  org_id: string | null
  org_role: number | null
  validated: boolean
  mfa_required: boolean
  deleted_at: Date | null
  session_live: boolean
}

// One round trip by primary key: the user and whether the token's session is still live.
const REQUESTER_SQL = `SELECT u.id, u.email, u.name, u.last_name, u.org_id, u.org_role, u.validated, u.mfa_required, u.deleted_at,
  (s.id IS NOT NULL AND s.revoked_at IS NULL AND s.expires_at > now()) AS session_live
FROM users u LEFT JOIN sessions s ON s.id = $2 AND s.user_id = u.id
WHERE u.id = $1`

export async function lookUpRequester(sql: SqlExecutor, userId: string, sessionId: string): Promise<RequesterLookup> {
  const rows = await sql.query<Row>(REQUESTER_SQL, [userId, sessionId], 'requester')
  const row = rows[0]
  if (!row || row.deleted_at !== null) return { status: 'gone' }
  if (!row.session_live) return { status: 'revoked' }
  return {
    status: 'active',
    user: {
      id: row.id,
      email: row.email,
      name: row.name,
      lastName: row.last_name,
      orgId: row.org_id,
      orgRole: row.org_role,
      validated: row.validated,
      mfaRequired: row.mfa_required,
      deletedAt: row.deleted_at,
    },
  }
}
