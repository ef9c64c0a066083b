// GET/POST /organization/users, PUT/DELETE /organization/users/{userId}, POST …/{userId}/activate.
import type { CompatRoute } from './compat.js'
import type { ErrorBody, RestError } from './envelope.js'
import { ORGANIZATION_USER_FIELDS } from './users.js'
import { byUserId, errorEnvelopeSchema, int32, messageEnvelope, named, organizationUser, responses, uuidParam } from './schemas.js'

const page = { type: 'string', pattern: '^[0-9]{1,9}$' } as const

const listSchema = {
  type: 'object',
  properties: {
    success: { type: 'boolean' },
    data: { type: 'array', items: organizationUser },
    total: { type: 'integer' },
    message: { type: 'string' },
  },
  required: ['success', 'data', 'total'],
} as const
const list = named('OrganizationUserList', listSchema)

const userWithMessage = named('OrganizationUserResponse', {
  type: 'object',
  properties: { success: { type: 'boolean', const: true }, data: organizationUser, message: { type: 'string' } },
  required: ['success', 'data', 'message'],
})

/** A failed list: documented as an empty page, but a schema validation 400 carries only a message. */
const listError = named('OrganizationUserListError', { ...listSchema, required: ['success'] })

/** PUT /organization/users/{id} documents `data: {}` on every error. */
const errorWithData = named('OrganizationUserError', {
  type: 'object',
  properties: { ...errorEnvelopeSchema.properties, data: { type: 'object', additionalProperties: false } },
  required: ['success'],
})

/** The list's documented failure is an empty page; a 400 also says what was wrong. */
function emptyPage(error: RestError, standard: ErrorBody): ErrorBody {
  if (error.status === 401) return standard
  return error.status === 400 ? { success: false, data: [], total: 0, message: error.message } : { success: false, data: [], total: 0 }
}

export const organizationUserRoutes: CompatRoute[] = [
  {
    method: 'GET',
    url: '/organization/users',
    tags: ['Organization users'],
    summary: 'List Organization Users',
    description: "The caller's organization's users (WORKSPACES or higher), deactivated ones included, ordered by creation.",
    authenticated: true,
    operation: `query RestOrganizationUsers($limit: Int, $offset: Int) {
      organizationUsers(limit: $limit, offset: $offset) { data { ${ORGANIZATION_USER_FIELDS} } total } }`,
    variables: (request) => {
      const { limit, offset } = request.query as { limit?: string; offset?: string }
      return { limit: limit === undefined ? undefined : Number(limit), offset: offset === undefined ? undefined : Number(offset) }
    },
    querystring: {
      type: 'object',
      properties: {
        limit: { ...page, description: '1–200; without it, every user up to the first 1,000' },
        offset: { ...page, description: 'default 0' },
      },
    },
    success: (data) => ({ status: 200, body: { success: true, data: data.organizationUsers.data, total: data.organizationUsers.total } }),
    errorBody: emptyPage,
    response: responses({ 200: list, 400: listError, 403: listError, 500: listError }, [401]),
  },
  {
    method: 'POST',
    url: '/organization/users',
    tags: ['Organization users'],
    summary: 'Create Organization User',
    description:
      "Adds a user to the caller's organization (WORKSPACES or higher; orgRole defaults to USER and follows the role rules). sendInvite mails an invitation: only from a verified address (403 SENDER_NOT_VERIFIED), within the invitation mail limits (429 TOO_MANY_ATTEMPTS; nobody is created then).",
    authenticated: true,
    operation: `mutation RestCreateOrganizationUser($input: OrganizationUserCreateInput!) {
      createOrganizationUser(input: $input) { ${ORGANIZATION_USER_FIELDS} } }`,
    variables: (request) => {
      const { email, password, firstName, lastName, orgRole, sendInvite, authMethod, provider } = request.body as Record<string, unknown>
      return { input: { email, password, firstName, lastName, orgRole, sendInvite, authMethod, provider } }
    },
    body: {
      type: 'object',
      properties: {
        email: { type: 'string' },
        password: { type: 'string' },
        firstName: { type: 'string' },
        lastName: { type: 'string' },
        orgRole: int32,
        sendInvite: { type: 'boolean' },
        authMethod: {
          type: 'string',
          enum: ['LOCAL', 'GOOGLE', 'GITHUB', 'MICROSOFT'],
          description: 'Default LOCAL; only LOCAL users can be created here (the others answer 400)',
        },
        provider: { type: 'string', description: "The identity provider's name; recorded in the audit event" },
      },
      required: ['email', 'password', 'firstName', 'lastName'],
      additionalProperties: false,
    },
    success: (data) => ({ status: 201, body: { success: true, data: data.createOrganizationUser, message: 'User created successfully' } }),
    response: responses({ 201: userWithMessage }, [400, 401, 403, 429, 500, 503]),
  },
  {
    method: 'PUT',
    url: '/organization/users/:userId',
    tags: ['Organization users'],
    summary: 'Update Organization User',
    description:
      "Changes name, lastName and/or orgRole of a user of the caller's organization (WORKSPACES or higher; the role rules apply).",
    authenticated: true,
    operation: `mutation RestUpdateOrganizationUser($id: ID!, $input: OrganizationUserUpdateInput!) {
      updateOrganizationUser(id: $id, input: $input) { ${ORGANIZATION_USER_FIELDS} } }`,
    variables: (request) => {
      const { name, lastName, orgRole } = request.body as Record<string, unknown>
      return { ...byUserId(request), input: { name, lastName, orgRole } }
    },
    params: uuidParam,
    body: {
      type: 'object',
      properties: { name: { type: 'string' }, lastName: { type: 'string' }, orgRole: int32 },
      additionalProperties: false,
    },
    success: (data) => ({ status: 200, body: { success: true, data: data.updateOrganizationUser, message: 'User updated successfully' } }),
    errorBody: (error, standard) => (error.status === 401 ? standard : { ...standard, data: {} }),
    response: responses({ 200: userWithMessage }, [400, 403, 404, 500], errorWithData),
  },
  {
    method: 'DELETE',
    url: '/organization/users/:userId',
    tags: ['Organization users'],
    summary: 'Delete Organization User',
    description: "Deactivates (soft-deletes) a user of the caller's organization and ends all of its sessions.",
    authenticated: true,
    operation: 'mutation RestDeleteOrganizationUser($id: ID!) { deleteOrganizationUser(id: $id) { message } }',
    variables: byUserId,
    params: uuidParam,
    success: (data) => ({ status: 200, body: { success: true, message: data.deleteOrganizationUser.message } }),
    response: responses({ 200: messageEnvelope }, [400, 401, 403, 404, 500]),
  },
  {
    method: 'POST',
    url: '/organization/users/:userId/activate',
    tags: ['Organization users'],
    summary: 'Activate Organization User',
    description: "Reactivates a deactivated user of the caller's organization.",
    authenticated: true,
    operation: 'mutation RestActivateOrganizationUser($id: ID!) { activateOrganizationUser(id: $id) { message } }',
    variables: byUserId,
    params: uuidParam,
    success: (data) => ({ status: 200, body: { success: true, message: data.activateOrganizationUser.message } }),
    response: responses({ 200: messageEnvelope }, [400, 401, 403, 404, 500]),
  },
]
