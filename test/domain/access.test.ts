import t from 'tap'
import {
  CANNOT_VIEW_USERS,
  managesUsers,
  memberRoleDenial,
  NO_ORGANIZATION,
  organizationUserDenial,
  USER_NOT_FOUND,
  type Member,
} from '../../src/domain/access.js'
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
      t.equal(memberRoleDenial(caller, member('a', targetRole)), null, `${callerRole} reads ${targetRole} of own org`)
      t.same(memberRoleDenial(caller, member('b', targetRole)), USER_NOT_FOUND, `${callerRole} cannot see another org`)
      t.same(memberRoleDenial(caller, member('a', targetRole, new Date())), USER_NOT_FOUND, 'deactivated is not found')
    }
    t.same(memberRoleDenial(caller, null), USER_NOT_FOUND)
  }
  t.same(memberRoleDenial(member(null, null), member('a', 0)), NO_ORGANIZATION)
  t.same(memberRoleDenial(member(null, null), null), NO_ORGANIZATION, 'no organization is said before any lookup')
})

t.test('organization users: WORKSPACES and above, same organization, deactivated included', async (t) => {
  for (const callerRole of DEFINED_ROLES) {
    const caller = member('a', callerRole)
    const allowed = callerRole >= OrgRole.WORKSPACES
    t.equal(managesUsers(caller), allowed)
    for (const targetRole of DEFINED_ROLES) {
      const same = organizationUserDenial(caller, member('a', targetRole))
      const deleted = organizationUserDenial(caller, member('a', targetRole, new Date()))
      const other = organizationUserDenial(caller, member('b', targetRole))
      if (allowed) {
        t.equal(same, null)
        t.equal(deleted, null, 'deactivated users are shown, so they can be reactivated')
        t.same(other, CANNOT_VIEW_USERS)
      } else {
        t.same(same, CANNOT_VIEW_USERS)
        t.same(other, CANNOT_VIEW_USERS)
      }
    }
    t.same(organizationUserDenial(caller, null), allowed ? USER_NOT_FOUND : CANNOT_VIEW_USERS)
  }
  t.same(organizationUserDenial(member(null, null), member('a', 0)), CANNOT_VIEW_USERS)
})
