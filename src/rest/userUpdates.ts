// PUT /user/{userId} and PUT /user/{userId}/role.
import type { CompatRoute } from './compat.js'
import { reauthenticationMessage, REAUTHENTICATION_REQUIRED } from '../graphql/denials.js'
import { byUserId, errorEnvelope, int32, messageEnvelope, named, responses, uuid, uuidParam } from './schemas.js'

const roleChange = named('RoleChangeResponse', {
  type: 'object',
  properties: {
    success: { type: 'boolean', const: true },
    data: {
      type: 'object',
      properties: {
        userId: uuid,
        previousRole: { type: 'integer' },
        newRole: { type: 'integer' },
        message: { type: 'string' },
      },
      required: ['userId', 'previousRole', 'newRole', 'message'],
    },
  },
  required: ['success', 'data'],
})

export const userUpdateRoutes: CompatRoute[] = [
  {
    method: 'PUT',
    url: '/user/:userId',
    tags: ['User Account'],
    summary: 'Update User',
    description:
      "Changes name, lastName and/or password (at least one). Own names: anyone; others' names: WORKSPACES or higher in the same " +
      "organization; a password: only its owner (≥ 8 characters, upper, lower, digit), which ends the owner's other sessions. " +
      'A password change needs a sign-in within RECENT_AUTH_SECONDS or currentPassword: 403 REAUTHENTICATION_REQUIRED ' +
      '(sign in again or send currentPassword); a wrong currentPassword is 403 INVALID_PASSWORD and counts as a failed login.',
    authenticated: true,
    operation: 'mutation RestUpdateUser($id: ID!, $input: UserUpdateInput!) { updateUser(id: $id, input: $input) { message } }',
    variables: (request) => {
      const { name, lastName, password, currentPassword } = request.body as Record<string, string | undefined>
      return { ...byUserId(request), input: { name, lastName, password, currentPassword } }
    },
    params: uuidParam,
    body: {
      type: 'object',
      properties: {
        name: { type: 'string' },
        lastName: { type: 'string' },
        password: { type: 'string' },
        currentPassword: { type: 'string', description: 'With password, when the sign-in is older than RECENT_AUTH_SECONDS' },
      },
      additionalProperties: false,
    },
    success: (data) => ({ status: 200, body: { success: true, message: data.updateUser.message } }),
    response: responses({ 200: messageEnvelope }, [400, 401, 403, 404, 429, 500], errorEnvelope, {
      403: { success: false, error_code: REAUTHENTICATION_REQUIRED, message: reauthenticationMessage('currentPassword') },
    }),
  },
  {
    method: 'PUT',
    url: '/user/:userId/role',
    tags: ['User Account'],
    summary: 'Update User Role',
    description:
      "WORKSPACES or higher, same organization. Below OWNER, only users below the caller's role move, only to roles below it; " +
      'OWNER sets any role. The last OWNER keeps the role.',
    authenticated: true,
    operation:
      'mutation RestUpdateUserRole($id: ID!, $orgRole: Int!) { updateUserRole(id: $id, orgRole: $orgRole) { userId previousRole newRole message } }',
    variables: (request) => ({ ...byUserId(request), orgRole: (request.body as { orgRole: number }).orgRole }),
    params: uuidParam,
    body: {
      type: 'object',
      properties: { orgRole: { ...int32, description: '0 USER, 1 BILLING, 2 WORKSPACES, 254 ADMINISTRATORS, 255 OWNER' } },
      required: ['orgRole'],
      additionalProperties: false,
    },
    success: (data) => ({ status: 200, body: { success: true, data: data.updateUserRole } }),
    response: responses({ 200: roleChange }, [400, 401, 403, 404, 500], errorEnvelope),
  },
]
