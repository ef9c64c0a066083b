// JSON schemas of the REST envelopes: they drive serialization and the OpenAPI document.
// `examples` (a standard JSON Schema annotation, so validation ignores it) becomes the OpenAPI example.

export const nullable = (type: string) => ({ type: [type, 'null'] })

export const uuidParam = {
  type: 'object',
  properties: { userId: { type: 'string', description: 'The user id (a UUID)' } },
  required: ['userId'],
} as const

/** The path's userId as the operation's `id` variable. */
export const byUserId = (request: { params: unknown }) => ({ id: (request.params as { userId: string }).userId })

/** `{"success": true, "message": …}`: the answer of a change that returns nothing else. */
export const messageEnvelope = {
  type: 'object',
  properties: { success: { type: 'boolean', const: true }, message: { type: 'string' } },
  required: ['success', 'message'],
} as const

/** The message envelope with more fields, every one of them required. */
export function messageEnvelopeWith(properties: Record<string, object>) {
  return {
    type: 'object',
    properties: { ...messageEnvelope.properties, ...properties },
    required: [...messageEnvelope.required, ...Object.keys(properties)],
  } as const
}

/** Role values are 8-bit, but any 32-bit integer must reach the rules to be refused with "Invalid role". */
export const int32 = { type: 'integer', minimum: -2147483648, maximum: 2147483647 } as const

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
    isBusiness: { type: 'boolean', description: 'As given at registration' },
  },
  required: [
    'id',
    'name',
    'lastName',
    'email',
    'orgId',
    'orgRole',
    'orgRoleDescription',
    'orgRoles',
    'validated',
    'mfaRequired',
    'isBusiness',
  ],
  examples: [
    {
      id: '6f1c2b8e-3d4a-4e5f-9a0b-1c2d3e4f5a6b',
      name: 'Olivia',
      lastName: 'Owner',
      email: 'owner@demo.test',
      orgId: '0e9d8c7b-6a5f-4e3d-8c2b-1a0f9e8d7c6b',
      orgRole: 255,
      orgRoleDescription: 'OWNER',
      orgRoles: [0, 1, 2, 254, 255],
      validated: true,
      mfaRequired: false,
      isBusiness: true,
    },
  ],
} as const

export const memberRole = {
  type: 'object',
  properties: { userId: { type: 'string' }, ...roleFields },
  required: ['userId', 'orgRole', 'orgRoleDescription', 'orgRoles'],
  examples: [{ userId: '3a4b5c6d-7e8f-4a1b-9c2d-3e4f5a6b7c8d', orgRole: 2, orgRoleDescription: 'WORKSPACES', orgRoles: [0, 1, 2] }],
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
  examples: [
    {
      id: '3a4b5c6d-7e8f-4a1b-9c2d-3e4f5a6b7c8d',
      email: 'workspaces@demo.test',
      name: 'Wendy',
      lastName: 'Workspaces',
      orgId: '0e9d8c7b-6a5f-4e3d-8c2b-1a0f9e8d7c6b',
      orgRole: 2,
      validated: true,
      deletedAt: null,
      orgRoleDescription: 'WORKSPACES',
      orgRoles: [0, 1, 2],
    },
  ],
} as const

type Example = Record<string, unknown>
const exampleOf = (schema: object): Example | undefined => (schema as { examples?: Example[] }).examples?.[0]

/** `{success: true, data}`; its example wraps the data schema's own example. */
export const successEnvelope = (data: object) => {
  const example = exampleOf(data)
  return {
    type: 'object',
    properties: { success: { type: 'boolean', const: true }, data },
    required: ['success', 'data'],
    ...(example && { examples: [{ success: true, data: example }] }),
  }
}

/** The errors every route answers alike (the contract's decisions); a route's own messages are passed to responses(). */
export const COMMON_ERROR_EXAMPLES: Record<number, Example> = {
  401: { success: false, error_code: 'NO_AUTH_USER', message: 'Authentication required' },
  500: { success: false, message: 'Internal server error', error: 'Database connection failed' },
  503: { success: false, error_code: 'SERVICE_UNAVAILABLE', message: 'Temporarily unavailable, try again shortly' },
}

/**
 * The response schemas of a route: its success body and the error envelope for every error status,
 * each with an example (the route's own in `errorExamples`, else a common one).
 */
export function responses(
  success: Record<number, object>,
  errors: number[],
  errorSchema: object = errorEnvelope,
  errorExamples: Record<number, Example> = {},
) {
  const out: Record<number, object> = { ...success }
  for (const status of errors) {
    const example = errorExamples[status] ?? COMMON_ERROR_EXAMPLES[status]
    out[status] = example ? { ...errorSchema, examples: [example] } : errorSchema
  }
  return out
}

/** The user in a login answer (register, login, activate); login also carries image_url. */
export const authUser = (withImage: boolean) => ({
  type: 'object',
  properties: {
    id: { type: 'string' },
    email: { type: 'string' },
    name: { type: 'string' },
    orgId: nullable('string'),
    orgRole: nullable('integer'),
    ...(withImage && { image_url: nullable('string') }),
  },
  required: ['id', 'email', 'name', 'orgId', 'orgRole', ...(withImage ? ['image_url'] : [])],
})
