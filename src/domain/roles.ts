// Organization roles: the values, their names, and what each inherits. Pure, no I/O.

export const OrgRole = {
  USER: 0x00,
  BILLING: 0x01,
  WORKSPACES: 0x02,
  ADMINISTRATORS: 0xfe,
  OWNER: 0xff,
} as const

export type OrgRoleValue = (typeof OrgRole)[keyof typeof OrgRole]

/** Every defined role, ascending. Values 3–253 are reserved and never stored. */
export const DEFINED_ROLES: readonly OrgRoleValue[] = [0x00, 0x01, 0x02, 0xfe, 0xff]

const NAMES: Record<OrgRoleValue, string> = {
  0x00: 'USER',
  0x01: 'BILLING',
  0x02: 'WORKSPACES',
  0xfe: 'ADMINISTRATORS',
  0xff: 'OWNER',
}

export function isDefinedRole(value: unknown): value is OrgRoleValue {
  return typeof value === 'number' && (DEFINED_ROLES as readonly number[]).includes(value)
}

/** The role's name, or null for a user without an organization. */
export function orgRoleDescription(role: number | null): string | null {
  return role !== null && isDefinedRole(role) ? NAMES[role] : null
}

// Precomputed: this runs on every profile read.
const INHERITED = new Map<number, readonly number[]>(
  DEFINED_ROLES.map((role) => [role, Object.freeze(DEFINED_ROLES.filter((r) => r <= role))]),
)
const NONE: readonly number[] = Object.freeze([])

/** The defined roles at or below `role`, ascending; [] without an organization. */
export function orgRolesFor(role: number | null): readonly number[] {
  return (role !== null && INHERITED.get(role)) || NONE
}
