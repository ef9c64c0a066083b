// Who may read and change an organization's details, and what a valid change is. Pure, no I/O.
import type { Member } from './access.js'
import { fields, FieldError, singleLineTextProblem, websiteProblem } from './fields.js'
import { OrgRole } from './roles.js'

/** Why a read or change of an organization is refused; the API layer words each one. */
export type OrganizationRefusal = 'NO_ORGANIZATION' | 'OTHER_ORGANIZATION' | 'NOT_PERMITTED'

/** Every member reads its own organization; any other id is refused without looking it up. */
export function organizationReadRefusal(caller: Member, orgId: string): OrganizationRefusal | null {
  if (caller.orgId === null) return 'NO_ORGANIZATION'
  if (orgId !== caller.orgId) return 'OTHER_ORGANIZATION'
  return null
}

/** ADMINISTRATORS and OWNER change their own organization's details; only OWNER switches MFA enforcement. */
export function organizationUpdateRefusal(caller: Member, orgId: string, fields: readonly string[]): OrganizationRefusal | null {
  const read = organizationReadRefusal(caller, orgId)
  if (read) return read
  if (caller.orgRole === null || caller.orgRole < OrgRole.ADMINISTRATORS) return 'NOT_PERMITTED'
  if (fields.includes('mfaEnforced') && caller.orgRole !== OrgRole.OWNER) return 'NOT_PERMITTED'
  return null
}

/** The optional text details, with their longest accepted length in characters (code points). */
export const ORGANIZATION_TEXT_FIELDS = {
  address1: 200,
  address2: 200,
  city: 100,
  zipcode: 20,
  phone: 50,
  state: 100,
  country: 100,
  website: 2048,
} as const

export type OrganizationTextField = keyof typeof ORGANIZATION_TEXT_FIELDS

export interface OrganizationUpdate {
  name?: string | null
  address1?: string | null
  address2?: string | null
  city?: string | null
  zipcode?: string | null
  phone?: string | null
  state?: string | null
  country?: string | null
  website?: string | null
  is_business?: boolean | null
  mfaEnforced?: boolean | null
}

export type OrganizationChange = Partial<Record<OrganizationTextField, string | null>> & {
  name?: string
  isBusiness?: boolean
  mfaEnforced?: boolean
}

/**
 * The change an update asks for, trimmed: an empty optional text clears it (null). Null when nothing is
 * asked for; a refused value throws its FieldError (the API layer words it).
 */
export function organizationChange(input: OrganizationUpdate): OrganizationChange | null {
  const change: OrganizationChange = {}
  // The rule companyName follows at register, so that a name stored there can be saved back here.
  if (input.name != null) change.name = fields.companyName(input.name, 'name')
  for (const [field, max] of Object.entries(ORGANIZATION_TEXT_FIELDS) as [OrganizationTextField, number][]) {
    const value = input[field]
    if (value == null) continue
    const text = value.trim()
    // Control characters (NUL among them, which PostgreSQL text cannot hold) have no place in an address.
    const problem = singleLineTextProblem(text, max) ?? (field === 'website' && text !== '' ? websiteProblem(text) : null)
    if (problem) throw new FieldError(field, problem)
    change[field] = text === '' ? null : text
  }
  if (input.is_business != null) change.isBusiness = input.is_business
  if (input.mfaEnforced != null) change.mfaEnforced = input.mfaEnforced
  return Object.keys(change).length === 0 ? null : change
}

/**
 * The host name of a website ("https://www.example.com/x" or "example.com" → the host); "" without one:
 * the public client declares `domain: string`, never null.
 */
export function domainOf(website: string | null): string {
  if (!website) return ''
  try {
    return new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(website) ? website : `https://${website}`).hostname
  } catch {
    return ''
  }
}
