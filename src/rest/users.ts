// GET /user/profile, GET /user/{userId}, GET /organization/users/{userId}.
import type { CompatRoute } from './compat.js'
import { byUserId, memberRole, organizationUser, profile, responses, successEnvelope, uuidParam } from './schemas.js'

const PROFILE_FIELDS = 'id name lastName email orgId orgRole orgRoleDescription orgRoles validated mfaRequired isBusiness'
export const ORGANIZATION_USER_FIELDS = 'id email name lastName orgId orgRole validated deletedAt orgRoleDescription orgRoles'

const USER_NOT_FOUND = { success: false, message: 'User not found' }

export const userReadRoutes: CompatRoute[] = [
  {
    method: 'GET',
    url: '/user/profile',
    tags: ['User Account'],
    summary: 'Get Current User Profile',
    description: "The authenticated user's profile, with the organization role and the roles it includes.",
    authenticated: true,
    operation: `query RestUserProfile { me { ${PROFILE_FIELDS} } }`,
    success: (data) => ({ status: 200, body: { success: true, data: data.me } }),
    response: responses({ 200: successEnvelope(profile, 'ProfileResponse') }, [401, 404, 500], undefined, { 404: USER_NOT_FOUND }),
  },
  {
    method: 'GET',
    url: '/user/:userId',
    tags: ['User Account'],
    summary: 'Get User by ID',
    description: "The role of a member of the caller's organization.",
    authenticated: true,
    operation: 'query RestUserRole($id: ID!) { user(id: $id) { userId orgRole orgRoleDescription orgRoles } }',
    variables: byUserId,
    params: uuidParam,
    success: (data) => ({ status: 200, body: { success: true, data: data.user } }),
    response: responses({ 200: successEnvelope(memberRole, 'MemberRoleResponse') }, [401, 403, 404, 500], undefined, {
      403: { success: false, message: 'User not associated with any organization' },
      404: USER_NOT_FOUND,
    }),
  },
  {
    method: 'GET',
    url: '/organization/users/:userId',
    tags: ['Organization users'],
    summary: 'Get Organization User',
    description: "A user of the caller's organization (WORKSPACES or higher). The user object is returned unwrapped.",
    authenticated: true,
    operation: `query RestOrganizationUser($id: ID!) { organizationUser(id: $id) { ${ORGANIZATION_USER_FIELDS} } }`,
    variables: byUserId,
    params: uuidParam,
    success: (data) => ({ status: 200, body: data.organizationUser }),
    // The documented 500 of this route carries no `error` field.
    errorBody: (error, standard) => (error.status === 500 ? { success: false, message: 'Internal server error' } : standard),
    response: responses({ 200: organizationUser }, [401, 403, 404, 500], undefined, {
      403: { success: false, message: 'Insufficient permissions to view users' },
      404: USER_NOT_FOUND,
      500: { success: false, message: 'Internal server error' },
    }),
  },
]
