// The API's words for the domain's refusals: each operation's status (extensions.code) and message,
// and the 403-vs-404 choice for another organization's user.
import t from 'tap'
import { DENIALS, MEMBER_ROLE_DENIALS, ORGANIZATION_USER_DENIALS, SETTINGS_DENIALS } from '../../src/graphql/denials.js'

t.test('the messages of each operation', async (t) => {
  t.same(DENIALS.updateUserRole.INVALID_ROLE, { code: 'BAD_USER_INPUT', message: 'Invalid role' })
  t.same(DENIALS.updateUserRole.LAST_OWNER, { code: 'BAD_USER_INPUT', message: 'Cannot remove the last owner of the organization' })
  t.same(DENIALS.updateUserRole.NOT_PERMITTED, { code: 'FORBIDDEN', message: 'Insufficient permissions to update user role' })
  t.same(DENIALS.updateUserRole.OTHER_ORGANIZATION, { code: 'NOT_FOUND', message: 'User not found' })
  t.same(DENIALS.updateUser.NOT_PERMITTED, { code: 'FORBIDDEN', message: 'Insufficient permissions to update user' })
  t.same(DENIALS.updateOrganizationUser.INVALID_ROLE, { code: 'BAD_USER_INPUT', message: 'Invalid role combination' })
  t.same(DENIALS.updateOrganizationUser.OTHER_ORGANIZATION, { code: 'FORBIDDEN', message: 'Insufficient permissions to update users' })
  t.same(DENIALS.deleteOrganizationUser.SELF, { code: 'BAD_USER_INPUT', message: 'Cannot delete yourself' })
  t.same(DENIALS.deleteOrganizationUser.NOT_PERMITTED, { code: 'FORBIDDEN', message: 'Insufficient permissions to delete users' })
  t.same(DENIALS.activateOrganizationUser.NOT_DELETED, { code: 'BAD_USER_INPUT', message: 'User is not deleted' })
  t.same(DENIALS.activateOrganizationUser.NOT_PERMITTED, { code: 'FORBIDDEN', message: 'Insufficient permissions to activate users' })
})

t.test('reads: another organization is 404 for user(id), 403 for organizationUser(id)', async (t) => {
  t.same(MEMBER_ROLE_DENIALS.OTHER_ORGANIZATION, { code: 'NOT_FOUND', message: 'User not found' })
  t.same(MEMBER_ROLE_DENIALS.NO_ORGANIZATION, { code: 'FORBIDDEN', message: 'User not associated with any organization' })
  t.same(ORGANIZATION_USER_DENIALS.OTHER_ORGANIZATION, { code: 'FORBIDDEN', message: 'Insufficient permissions to view users' })
  t.same(ORGANIZATION_USER_DENIALS.NOT_FOUND, { code: 'NOT_FOUND', message: 'User not found' })
  t.same(SETTINGS_DENIALS.NOT_PERMITTED, { code: 'FORBIDDEN', message: 'Insufficient permissions to update organization settings' })
})
