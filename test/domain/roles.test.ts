import t from 'tap'
import { DEFINED_ROLES, isDefinedRole, OrgRole, orgRoleDescription, orgRolesFor } from '../../src/domain/roles.js'

t.test('every defined role has its documented name and inherits the roles below it', async (t) => {
  const expected: [number, string, number[]][] = [
    [0x00, 'USER', [0]],
    [0x01, 'BILLING', [0, 1]],
    [0x02, 'WORKSPACES', [0, 1, 2]],
    [0xfe, 'ADMINISTRATORS', [0, 1, 2, 254]],
    [0xff, 'OWNER', [0, 1, 2, 254, 255]],
  ]
  t.same(
    DEFINED_ROLES,
    expected.map(([role]) => role),
  )
  for (const [role, name, roles] of expected) {
    t.equal(orgRoleDescription(role), name, `${role} is ${name}`)
    t.same(orgRolesFor(role), roles, `${name} includes ${roles}`)
    t.ok(isDefinedRole(role))
  }
})

t.test('a user without an organization has no role', async (t) => {
  t.equal(orgRoleDescription(null), null)
  t.same(orgRolesFor(null), [])
})

t.test('reserved and foreign values are not roles', async (t) => {
  for (const value of [3, 100, 253, 256, -1, 1.5, '2', null, undefined]) {
    t.notOk(isDefinedRole(value), `${String(value)} is not a role`)
  }
  t.equal(orgRoleDescription(3), null)
  t.same(orgRolesFor(3), [])
  t.equal(OrgRole.WORKSPACES, 2)
})
