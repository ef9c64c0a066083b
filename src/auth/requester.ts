// The requester as the database sees it now: read once per request, never trusted from the token.
import type { SqlExecutor } from '../db/database.js'
import type { Member } from '../domain/access.js'
import { findRequesterRow } from '../db/repositories/users.js'
import type { RequesterCache } from './requesterCache.js'

export interface Requester extends Member {
  email: string
  name: string
  lastName: string
  validated: boolean
  mfaRequired: boolean
  isBusiness: boolean
}

export type RequesterLookup =
  /** No valid access token came with the request. */
  | { status: 'anonymous' }
  | { status: 'active'; user: Requester }
  /** The user no longer exists or is deactivated. */
  | { status: 'gone' }
  /** The token's session was revoked or has ended. */
  | { status: 'revoked' }

/** The lookup, from the cache when it holds this session (no query), else from the database (then kept). */
export function lookUpRequester(
  sql: SqlExecutor,
  userId: string,
  sessionId: string,
  cache?: RequesterCache<RequesterLookup> | null,
): Promise<RequesterLookup> {
  return cache?.get(userId, sessionId) ?? readRequester(sql, userId, sessionId, cache)
}

async function readRequester(
  sql: SqlExecutor,
  userId: string,
  sessionId: string,
  cache?: RequesterCache<RequesterLookup> | null,
): Promise<RequesterLookup> {
  const ticket = cache ? cache.ticket() : null
  const row = await findRequesterRow(sql, userId, sessionId)
  if (!row || row.deleted_at !== null) return { status: 'gone' }
  if (!row.session_live) return { status: 'revoked' }
  const lookup: RequesterLookup = {
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
      isBusiness: row.is_business,
      deletedAt: row.deleted_at,
    },
  }
  // Only an answer that lets the request through is kept: a refusal is read afresh every time.
  if (cache && row.session_expires_at) cache.set(ticket, sessionId, row.id, lookup, row.session_expires_at)
  return lookup
}
