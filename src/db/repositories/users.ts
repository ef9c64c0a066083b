// The users table: every read and write of a user row goes through here.
import type { Prisma, PrismaClient } from '../../generated/prisma/client.js'
import type { SqlExecutor } from '../database.js'
import { OrgRole } from '../../domain/roles.js'
import type { Tx } from './transaction.js'

/** The columns an organization user is shown with (GET /organization/users/{userId}). */
export const ORGANIZATION_USER_SELECT = {
  id: true,
  email: true,
  name: true,
  lastName: true,
  orgId: true,
  orgRole: true,
  validated: true,
  deletedAt: true,
} as const

export type OrganizationUserRow = Prisma.UserGetPayload<{ select: typeof ORGANIZATION_USER_SELECT }>

/** The columns of the `user` object of a login or registration answer. */
export const AUTH_USER_SELECT = { id: true, email: true, name: true, orgId: true, orgRole: true, imageUrl: true } as const

export type AuthUserRow = Prisma.UserGetPayload<{ select: typeof AUTH_USER_SELECT }>

export interface MemberRow {
  id: string
  orgId: string | null
  orgRole: number | null
  deletedAt: Date | null
}

/** The requester as one row: the user and whether the token's session is still live. */
export interface RequesterRow {
  id: string
  email: string
  name: string
  last_name: string
  org_id: string | null
  org_role: number | null
  validated: boolean
  mfa_required: boolean
  is_business: boolean
  deleted_at: Date | null
  session_live: boolean
  /** When the session ends (null: no such session of this user). */
  session_expires_at: Date | null
}

// One round trip by primary key, prepared once per connection: this runs on every authenticated request.
const REQUESTER_SQL = `SELECT u.id, u.email, u.name, u.last_name, u.org_id, u.org_role, u.validated, u.mfa_required, u.is_business, u.deleted_at,
  (s.id IS NOT NULL AND s.revoked_at IS NULL AND s.expires_at > now()) AS session_live, s.expires_at AS session_expires_at
FROM users u LEFT JOIN sessions s ON s.id = $2 AND s.user_id = u.id
WHERE u.id = $1`

export async function findRequesterRow(sql: SqlExecutor, userId: string, sessionId: string): Promise<RequesterRow | null> {
  const rows = await sql.query<RequesterRow>(REQUESTER_SQL, [userId, sessionId], 'requester')
  return rows[0] ?? null
}

export function findMember(db: Tx, id: string): Promise<MemberRow | null> {
  return db.user.findUnique({ where: { id }, select: { id: true, orgId: true, orgRole: true, deletedAt: true } })
}

export function findOrganizationUser(db: Tx, id: string): Promise<OrganizationUserRow | null> {
  return db.user.findUnique({ where: { id }, select: ORGANIZATION_USER_SELECT })
}

/** The id of the user with this (normalized) email, deactivated ones included. */
export async function findIdByEmail(db: Tx, email: string): Promise<string | null> {
  return (await db.user.findUnique({ where: { email }, select: { id: true } }))?.id ?? null
}

export function findByEmailForLogin(db: Tx, email: string) {
  return db.user.findUnique({ where: { email }, select: { ...AUTH_USER_SELECT, passwordHash: true, deletedAt: true } })
}

/** The stored password hash of a user (null: none set, or no such user). */
export async function findPasswordHash(db: Tx, id: string): Promise<string | null> {
  return (await db.user.findUnique({ where: { id }, select: { passwordHash: true } }))?.passwordHash ?? null
}

/** Replaces a password hash only if it is still `expected`: a concurrent password change wins. */
export async function replacePasswordHashIf(db: Tx, id: string, expected: string, passwordHash: string): Promise<boolean> {
  const { count } = await db.user.updateMany({ where: { id, passwordHash: expected }, data: { passwordHash } })
  return count > 0
}

export interface NewUser {
  email: string
  name: string
  lastName: string
  passwordHash: string | null
  orgId: string | null
  orgRole: number | null
  /** As given at registration. */
  isBusiness?: boolean
  companyWebsite?: string | null
}

export function createAuthUser(db: Tx, data: NewUser): Promise<AuthUserRow> {
  return db.user.create({ data, select: AUTH_USER_SELECT })
}

export function createOrganizationUser(db: Tx, data: NewUser): Promise<OrganizationUserRow> {
  return db.user.create({ data, select: ORGANIZATION_USER_SELECT })
}

export interface UserChanges {
  name?: string
  lastName?: string
  passwordHash?: string
  orgRole?: number
}

/** Applies the defined fields of `changes`; undefined fields stay as they are. */
export function updateUser(db: Tx, id: string, changes: UserChanges): Promise<OrganizationUserRow> {
  return db.user.update({ where: { id }, data: changes, select: ORGANIZATION_USER_SELECT })
}

/** Deactivates (a date) or reactivates (null) a user. */
export async function setDeletedAt(db: Tx, id: string, deletedAt: Date | null): Promise<void> {
  await db.user.update({ where: { id }, data: { deletedAt } })
}

export function countActiveOwners(db: Tx, orgId: string): Promise<number> {
  return db.user.count({ where: { orgId, orgRole: OrgRole.OWNER, deletedAt: null } })
}

export interface Page {
  limit: number
  offset: number
}

/** A page of an organization's users (deactivated included), ordered by creation then id, and the total. */
export async function listOrganizationUsers(prisma: PrismaClient, orgId: string, page: Page) {
  const where = { orgId }
  // One page query and one count in one transaction, so that they agree; the user object nests nothing.
  const [rows, total] = await prisma.$transaction([
    prisma.user.findMany({
      where,
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
      skip: page.offset,
      take: page.limit,
      select: ORGANIZATION_USER_SELECT,
    }),
    prisma.user.count({ where }),
  ])
  return { rows, total }
}
