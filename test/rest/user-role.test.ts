// PUT /user/{userId}/role and GraphQL updateUserRole: the role rules, the last owner, concurrency.
import t from 'tap'
import { buildTestApp, type TestApp, type Teardown } from '../helper.js'

/** The app a subtest runs on, with this file's helpers over it: its own (a fresh database) for a subtest that
 * changes data, or one shared by the subtests that only read; so each passes alone and in any order. */
let shared: Promise<TestApp> | undefined
const sharedApp = () => (shared ??= buildTestApp(t))
async function given(where: Teardown | 'shared') {
  const h = where === 'shared' ? await sharedApp() : await buildTestApp(where)
  const id = (email: string) => h.userId(email)
  const setRole = async (as: string, target: string, payload: unknown) =>
    h.call({ method: 'PUT', url: `/user/${target}/role`, payload: payload as object, as })
  const roleOf = async (email: string) => (await h.db.prisma.user.findUniqueOrThrow({ where: { email } })).orgRole
  const demoOrg = async () => (await h.db.prisma.user.findUniqueOrThrow({ where: { email: 'owner@demo.test' } })).orgId!
  const owners = async () => h.db.prisma.user.count({ where: { orgId: await demoOrg(), orgRole: 255, deletedAt: null } })
  return { h, id, setRole, roleOf, demoOrg, owners }
}

t.test('200: WORKSPACES moves USER to BILLING, with an audit event', async (t) => {
  const { h, id, setRole, roleOf, demoOrg } = await given(t)
  const target = await id('user@demo.test')
  const res = await setRole('workspaces@demo.test', target, { orgRole: 1 })
  t.equal(res.status, 200)
  t.same(res.body, { success: true, data: { userId: target, previousRole: 0, newRole: 1, message: 'User role updated successfully' } })
  t.equal(await roleOf('user@demo.test'), 1)
  const check = await h.call({ method: 'GET', url: `/user/${target}`, as: 'user@demo.test' })
  t.equal(check.body.data.orgRoleDescription, 'BILLING', 'takes effect on the next request')
  const event = await h.db.prisma.auditEvent.findFirstOrThrow({ where: { targetId: target, action: 'user.role_changed' } })
  t.match(event, { actorId: await id('workspaces@demo.test'), orgId: await demoOrg(), changes: { orgRole: { old: 0, new: 1 } } })
  const back = await setRole('workspaces@demo.test', target, { orgRole: 0 })
  t.equal(back.body.data.newRole, 0)
})

t.test('403: too low a role, a target at or above own role, a role at or above own', async (t) => {
  const { id, setRole, roleOf } = await given('shared')
  const cases: [string, string, number][] = [
    ['user@demo.test', 'billing@demo.test', 0],
    ['billing@demo.test', 'user@demo.test', 1],
    ['loner@demo.test', 'user@demo.test', 1],
    ['workspaces@demo.test', 'user@demo.test', 2],
    ['workspaces@demo.test', 'admin@demo.test', 0],
    ['workspaces@demo.test', 'workspaces@demo.test', 0],
    ['admin@demo.test', 'owner@demo.test', 254],
    ['admin@demo.test', 'user@demo.test', 255],
  ]
  for (const [as, target, orgRole] of cases) {
    const res = await setRole(as, await id(target), { orgRole })
    t.equal(res.status, 403, `${as} → ${target} = ${orgRole}`)
    t.same(res.body, { success: false, message: 'Insufficient permissions to update user role' })
  }
  t.equal(await roleOf('admin@demo.test'), 254, 'nothing changed')
})

t.test('400 Invalid role: reserved, negative, out of range', async (t) => {
  const { id, setRole } = await given('shared')
  for (const orgRole of [3, 100, 253, 256, -1, 2147483647]) {
    const res = await setRole('owner@demo.test', await id('user@demo.test'), { orgRole })
    t.equal(res.status, 400, String(orgRole))
    t.same(res.body, { success: false, message: 'Invalid role' })
  }
  for (const payload of [{}, { orgRole: '2' }, { orgRole: 1.5 }, { orgRole: 2 ** 40 }, { orgRole: 1, extra: true }]) {
    const res = await setRole('owner@demo.test', await id('user@demo.test'), payload)
    t.equal(res.status, 400, JSON.stringify(payload))
    t.equal(res.body.success, false)
    t.type(res.body.message, 'string')
  }
})

t.test('404: unknown, non-UUID, deactivated, another organization', async (t) => {
  const { id, setRole } = await given('shared')
  for (const target of ['00000000-0000-4000-8000-000000000000', 'nope', await id('deleted@demo.test'), await id('owner@other.test')]) {
    const res = await setRole('owner@demo.test', target, { orgRole: 0 })
    t.same([res.status, res.body], [404, { success: false, message: 'User not found' }], target)
  }
})

t.test('401', async (t) => {
  const { h, id } = await given('shared')
  const res = await h.call({ method: 'PUT', url: `/user/${await id('user@demo.test')}/role`, payload: { orgRole: 1 } })
  t.equal(res.status, 401)
  t.equal(res.body.error_code, 'NO_AUTH_USER')
})

t.test('the last owner cannot lose the role; one of two can', async (t) => {
  const { id, setRole, roleOf, owners } = await given(t)
  const owner = await id('owner@demo.test')
  const last = await setRole('owner@demo.test', owner, { orgRole: 254 })
  t.same([last.status, last.body], [400, { success: false, message: 'Cannot remove the last owner of the organization' }])
  t.equal(await roleOf('owner@demo.test'), 255)
  const promote = await setRole('owner@demo.test', await id('admin@demo.test'), { orgRole: 255 })
  t.equal(promote.status, 200, 'OWNER makes a second owner')
  const stepDown = await setRole('owner@demo.test', owner, { orgRole: 254 })
  t.same(stepDown.body.data, { userId: owner, previousRole: 255, newRole: 254, message: 'User role updated successfully' })
  const restore = await setRole('admin@demo.test', owner, { orgRole: 255 })
  t.equal(restore.status, 200)
  t.equal(await owners(), 2)
})

t.test('two owners demoting each other at once: exactly one wins, an owner remains', async (t) => {
  const { h, id, setRole, owners } = await given(t)
  const a = await id('owner@demo.test')
  const b = await id('admin@demo.test')
  for (let round = 0; round < 5; round++) {
    // Back to two owners before each round.
    await h.db.prisma.user.updateMany({ where: { id: { in: [a, b] } }, data: { orgRole: 255 } })
    const [first, second] = await Promise.all([
      setRole('owner@demo.test', b, { orgRole: 254 }),
      setRole('admin@demo.test', a, { orgRole: 254 }),
    ])
    t.equal([first, second].filter((r) => r.status === 200).length, 1, `round ${round}: exactly one succeeds`)
    const refused = first.status === 200 ? second : first
    // The loser is re-read under the lock: no longer an owner, it may not touch one (403); had it
    // still been one, the last-owner rule would refuse it (400). Either way nothing changes.
    t.ok(
      (refused.status === 403 && refused.body.message === 'Insufficient permissions to update user role') ||
        (refused.status === 400 && refused.body.message === 'Cannot remove the last owner of the organization'),
      `round ${round}: the other is refused (${refused.status} ${refused.body.message})`,
    )
    t.equal(await owners(), 1, `round ${round}: the organization keeps an owner`)
  }
  await h.db.prisma.user.updateMany({ where: { id: { in: [a, b] } }, data: { orgRole: 255 } })
  await h.db.prisma.user.update({ where: { id: b }, data: { orgRole: 254 } })
})

t.test('two owners stepping down at once: the owner count is taken under the lock', async (t) => {
  const { h, id, setRole, owners } = await given(t)
  const a = await id('owner@demo.test')
  const b = await id('admin@demo.test')
  for (let round = 0; round < 5; round++) {
    await h.db.prisma.user.updateMany({ where: { id: { in: [a, b] } }, data: { orgRole: 255 } })
    const results = await Promise.all([setRole('owner@demo.test', a, { orgRole: 254 }), setRole('admin@demo.test', b, { orgRole: 254 })])
    t.same(results.map((r) => r.status).sort(), [200, 400], `round ${round}: one steps down, one is the last owner`)
    t.equal(results.find((r) => r.status === 400)!.body.message, 'Cannot remove the last owner of the organization')
    t.equal(await owners(), 1, `round ${round}: one owner remains`)
  }
  await h.db.prisma.user.update({ where: { id: a }, data: { orgRole: 255 } })
  await h.db.prisma.user.update({ where: { id: b }, data: { orgRole: 254 } })
})

t.test('GraphQL updateUserRole', async (t) => {
  const { h, id } = await given(t)
  const mutation =
    'mutation ($id: ID!, $orgRole: Int!) { updateUserRole(id: $id, orgRole: $orgRole) { userId previousRole newRole message } }'
  const target = await id('billing@demo.test')
  const ok = await h.graphql(mutation, { id: target, orgRole: 0 }, 'admin@demo.test')
  t.same(ok.body, { data: { updateUserRole: { userId: target, previousRole: 1, newRole: 0, message: 'User role updated successfully' } } })
  const invalid = await h.graphql(mutation, { id: target, orgRole: 7 }, 'admin@demo.test')
  t.match(invalid.body.errors[0], { message: 'Invalid role', extensions: { code: 'BAD_USER_INPUT' } })
  const forbidden = await h.graphql(mutation, { id: target, orgRole: 1 }, 'user@demo.test')
  t.match(forbidden.body.errors[0], { message: 'Insufficient permissions to update user role', extensions: { code: 'FORBIDDEN' } })
  const last = await h.graphql(mutation, { id: await id('owner@demo.test'), orgRole: 0 }, 'owner@demo.test')
  t.match(last.body.errors[0], { message: 'Cannot remove the last owner of the organization', extensions: { code: 'BAD_USER_INPUT' } })
  const missing = await h.graphql(mutation, { id: await id('owner@other.test'), orgRole: 0 }, 'owner@demo.test')
  t.match(missing.body.errors[0], { message: 'User not found', extensions: { code: 'NOT_FOUND' } })
  await h.graphql(mutation, { id: target, orgRole: 1 }, 'admin@demo.test')
})
