// JSON schemas of the REST envelopes: they drive serialization and the OpenAPI document.
// `examples` (a standard JSON Schema annotation, so validation ignores it) becomes the OpenAPI example.

export const nullable = (type: string) => ({ type: [type, 'null'] })

/** An id in an answer: every id of this API is a UUID. */
export const uuid = { type: 'string', format: 'uuid' } as const
export const nullableUuid = { type: ['string', 'null'], format: 'uuid' } as const

/**
 * Schemas shared by name: each is added once to the app (app.addSchema, src/rest/plugin.ts), routes point
 * at it with `$ref`, and /openapi.json lists it under components.schemas — one named type per shape for a
 * generated client. Serialization is the same as with the schema inlined.
 */
const SHARED = new Map<string, Record<string, unknown>>()

export interface SchemaRef {
  readonly $ref: string
}

/** Registers `schema` under `name` (a module-level constant: names are unique) and returns its `$ref`. */
export function named(name: string, schema: object): SchemaRef {
  if (SHARED.has(name)) throw new Error(`the shared schema ${name} is defined twice`)
  SHARED.set(name, { $id: name, ...schema })
  return { $ref: `${name}#` }
}

/** Every shared schema, with its `$id`, for app.addSchema. */
export const sharedSchemas = (): Record<string, unknown>[] => [...SHARED.values()]

const isRef = (schema: object): schema is SchemaRef => typeof (schema as { $ref?: unknown }).$ref === 'string'
const sharedOf = (ref: SchemaRef) => SHARED.get(ref.$ref.replace(/#$/, ''))

/**
 * Path parameters are not given `format: uuid` here: validation would answer a malformed id 400, where the
 * contract wants the 404 of a user that does not exist. The API docs add the format (src/docs/plugin.ts).
 */
export const uuidParam = {
  type: 'object',
  properties: { userId: { type: 'string', description: 'The user id (a UUID)' } },
  required: ['userId'],
} as const

/** The path's userId as the operation's `id` variable. */
export const byUserId = (request: { params: unknown }) => ({ id: (request.params as { userId: string }).userId })

/** `{"success": true, "message": …}`: the answer of a change that returns nothing else. */
const messageEnvelopeSchema = {
  type: 'object',
  properties: { success: { type: 'boolean', const: true }, message: { type: 'string' } },
  required: ['success', 'message'],
} as const
export const messageEnvelope = named('MessageEnvelope', messageEnvelopeSchema)

/** The message envelope with more fields, every one of them required. */
export function messageEnvelopeWith(properties: Record<string, object>) {
  return {
    type: 'object',
    properties: { ...messageEnvelopeSchema.properties, ...properties },
    required: [...messageEnvelopeSchema.required, ...Object.keys(properties)],
  } as const
}

/** Role values are 8-bit, but any 32-bit integer must reach the rules to be refused with "Invalid role". */
export const int32 = { type: 'integer', minimum: -2147483648, maximum: 2147483647 } as const

/** The contract's error envelope; the schema itself, for routes that add fields to it. */
export const errorEnvelopeSchema = {
  type: 'object',
  properties: {
    success: { type: 'boolean', const: false },
    error_code: { type: 'string' },
    message: { type: 'string' },
    error: { type: 'string', description: 'With 500: a fixed phrase for what failed' },
  },
  required: ['success'],
} as const
export const errorEnvelope = named('ErrorEnvelope', errorEnvelopeSchema)

const roleFields = {
  orgRole: { ...nullable('integer'), description: '0 USER, 1 BILLING, 2 WORKSPACES, 254 ADMINISTRATORS, 255 OWNER' },
  orgRoleDescription: nullable('string'),
  orgRoles: { type: 'array', items: { type: 'integer' }, description: 'The defined roles at or below orgRole' },
} as const

export const profile = named('Profile', {
  type: 'object',
  properties: {
    id: uuid,
    name: { type: 'string' },
    lastName: { type: 'string' },
    email: { type: 'string' },
    orgId: nullableUuid,
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
})

export const memberRole = named('MemberRole', {
  type: 'object',
  properties: { userId: uuid, ...roleFields },
  required: ['userId', 'orgRole', 'orgRoleDescription', 'orgRoles'],
  examples: [{ userId: '3a4b5c6d-7e8f-4a1b-9c2d-3e4f5a6b7c8d', orgRole: 2, orgRoleDescription: 'WORKSPACES', orgRoles: [0, 1, 2] }],
})

export const organizationUser = named('OrganizationUser', {
  type: 'object',
  properties: {
    id: uuid,
    email: { type: 'string' },
    name: { type: 'string' },
    lastName: { type: 'string' },
    orgId: nullableUuid,
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
})

type Example = Record<string, unknown>
/** A schema's first example; a shared schema's own. */
export const exampleOf = (schema: object): Example | undefined =>
  ((isRef(schema) ? sharedOf(schema) : schema) as { examples?: Example[] } | undefined)?.examples?.[0]

/** `{success: true, data}`; its example wraps the data schema's own example. Named when `name` is given. */
export function successEnvelope(data: object): object
export function successEnvelope(data: object, name: string): SchemaRef
export function successEnvelope(data: object, name?: string) {
  const example = exampleOf(data)
  const envelope = {
    type: 'object',
    properties: { success: { type: 'boolean', const: true }, data },
    required: ['success', 'data'],
    ...(example && { examples: [{ success: true, data: example }] }),
  }
  return name ? named(name, envelope) : envelope
}

/** A response's schema: a shared one is a `$ref` that carries its example along, for the OpenAPI document. */
function withExample(schema: object, example: Example | undefined) {
  if (!example) return schema
  return isRef(schema) ? { $ref: schema.$ref, examples: [example] } : { ...schema, examples: [example] }
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
  const out: Record<number, object> = {}
  for (const [status, schema] of Object.entries(success)) out[Number(status)] = withExample(schema, exampleOf(schema))
  for (const status of errors) out[status] = withExample(errorSchema, errorExamples[status] ?? COMMON_ERROR_EXAMPLES[status])
  return out
}

/** The user in a login answer (register, login, activate); register also carries image_url. */
const authUserSchema = (withImage: boolean) => ({
  type: 'object',
  properties: {
    id: uuid,
    email: { type: 'string' },
    name: { type: 'string' },
    orgId: nullableUuid,
    orgRole: nullable('integer'),
    ...(withImage && { image_url: nullable('string') }),
  },
  required: ['id', 'email', 'name', 'orgId', 'orgRole', ...(withImage ? ['image_url'] : [])],
})
export const authUser = named('AuthUser', authUserSchema(false))
export const registeredUser = named('RegisteredUser', authUserSchema(true))
