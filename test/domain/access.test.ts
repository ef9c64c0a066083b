import t from 'tap'
import { managesUsers, memberRoleRefusal, organizationUserRefusal, type Member } from '../../src/domain/access.js'
import { DEFINED_ROLES, OrgRole } from '../../src/domain/roles.js'

const member = (orgId: string | null, orgRole: number | null, deletedAt: Date | null = null): Member => ({
  id: `${orgId}-${orgRole}-${deletedAt ? 'deleted' : 'active'}`,
  orgId,
  orgRole,
  deletedAt,
})

t.test('member roles: same organization only, active targets only', async (t) => {
  for (const callerRole of DEFINED_ROLES) {
    const caller = member('a', callerRole)
    for (const targetRole of DEFINED_ROLES) {
      t.equal(memberRoleRefusal(caller, member('a', targetRole)), null, `${callerRole} reads ${targetRole} of own org`)
      t.equal(memberRoleRefusal(caller, member('b', targetRole)), 'OTHER_ORGANIZATION', `${callerRole} cannot see another org`)
      t.equal(memberRoleRefusal(caller, member('a', targetRole, new Date())), 'NOT_FOUND', 'deactivated is not found')
    }
    t.equal(memberRoleRefusal(caller, null), 'NOT_FOUND')
  }
  t.equal(memberRoleRefusal(member(null, null), member('a', 0)), 'NO_ORGANIZATION')
  t.equal(memberRoleRefusal(member(null, null), null), 'NO_ORGANIZATION', 'no organization is said before any lookup')
})

t.test('organization users: WORKSPACES and above, same organization, deactivated included', async (t) => {
  for (const callerRole of DEFINED_ROLES) {
    const caller = member('a', callerRole)
    const allowed = callerRole >= OrgRole.WORKSPACES
    t.equal(managesUsers(caller), allowed)
    for (const targetRole of DEFINED_ROLES) {
      const same = organizationUserRefusal(caller, member('a', targetRole))
      const deleted = organizationUserRefusal(caller, member('a', targetRole, new Date()))
      const other = organizationUserRefusal(caller, member('b', targetRole))
      if (allowed) {
        t.equal(same, null)
        t.equal(deleted, null, 'deactivated users are shown, so they can be reactivated')
        t.equal(other, 'OTHER_ORGANIZATION')
      } else {
        t.equal(same, 'NOT_PERMITTED')
        t.equal(other, 'NOT_PERMITTED')
      }
    }
    t.equal(organizationUserRefusal(caller, null), allowed ? 'NOT_FOUND' : 'NOT_PERMITTED')
  }
  t.equal(organizationUserRefusal(member(null, null), member('a', 0)), 'NOT_PERMITTED')
})
