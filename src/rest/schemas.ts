// JSON schemas of the REST envelopes: they drive serialization and the OpenAPI document.

export const nullable = (type: string) => ({ type: [type, 'null'] })

export const uuidParam = {
  type: 'object',
  properties: { userId: { type: 'string', description: 'The user id (a UUID)' } },
  required: ['userId'],
} as const

export const errorEnvelope = {
  type: 'object',
  properties: {
    success: { type: 'boolean', const: false },
    error_code: { type: 'string' },
    message: { type: 'string' },
    error: { type: 'string', description: 'With 500: a fixed phrase for what failed' },
  },
  required: ['success'],
} as const

const roleFields = {
  orgRole: { ...nullable('integer'), description: '0 USER, 1 BILLING, 2 WORKSPACES, 254 ADMINISTRATORS, 255 OWNER' },
  orgRoleDescription: nullable('string'),
  orgRoles: { type: 'array', items: { type: 'integer' }, description: 'The defined roles at or below orgRole' },
} as const

export const profile = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    name: { type: 'string' },
    lastName: { type: 'string' },
    email: { type: 'string' },
    orgId: nullable('string'),
    orgRole: roleFields.orgRole,
    orgRoleDescription: roleFields.orgRoleDescription,
    orgRoles: roleFields.orgRoles,
    validated: { type: 'boolean' },
    mfaRequired: { type: 'boolean' },
  },
  required: ['id', 'name', 'lastName', 'email', 'orgId', 'orgRole', 'orgRoleDescription', 'orgRoles', 'validated', 'mfaRequired'],
} as const

export const memberRole = {
  type: 'object',
  properties: { userId: { type: 'string' }, ...roleFields },
  required: ['userId', 'orgRole', 'orgRoleDescription', 'orgRoles'],
} as const

export const organizationUser = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    email: { type: 'string' },
    name: { type: 'string' },
    lastName: { type: 'string' },
    orgId: nullable('string'),
    orgRole: roleFields.orgRole,
    validated: { type: 'boolean' },
    deletedAt: { type: ['string', 'null'], format: 'date-time' },
    orgRoleDescription: roleFields.orgRoleDescription,
    orgRoles: roleFields.orgRoles,
  },
  required: ['id', 'email', 'name', 'lastName', 'orgId', 'orgRole', 'validated', 'deletedAt', 'orgRoleDescription', 'orgRoles'],
} as const

export const successEnvelope = (data: object) => ({
  type: 'object',
  properties: { success: { type: 'boolean', const: true }, data },
  required: ['success', 'data'],
})

/** The response schemas of a route: its success body and the error envelope for every error status. */
export function responses(success: Record<number, object>, errors: number[], errorSchema: object = errorEnvelope) {
  const out: Record<number, object> = { ...success }
  for (const status of errors) out[status] = errorSchema
  return out
}
