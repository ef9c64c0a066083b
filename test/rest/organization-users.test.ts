// /organization/users: list, create, update, delete (soft), activate — REST and GraphQL.
import t from 'tap'
import { buildTestApp, type Teardown } from '../helper.js'
import { startSession } from '../../src/db/repositories/sessions.js'
import { verifyPassword } from '../../src/crypto/passwords.js'

// Each subtest builds its own app on a fresh database and creates what it needs (see setup), so that it passes
// alone and in any order; the two read-only ones share one.
const shared = await buildTestApp(t)
const NEW_USER = { email: 'New.Person@Demo.Test', password: 'Fresh-Password-9', firstName: 'Nora', lastName: 'New' }
const USER_KEYS = ['deletedAt', 'email', 'id', 'lastName', 'name', 'orgId', 'orgRole', 'orgRoleDescription', 'orgRoles', 'validated']

/** The routes on one app; `given` creates (through the routes, as the owner) what a subtest starts from. */
async function setup(t: Teardown | 'shared', given: { newPerson?: 'active' | 'deleted'; second?: boolean } = {}) {
  const h = t === 'shared' ? shared : await buildTestApp(t)
  const id = (email: string) => h.userId(email)
  const demoOrg = async () => (await h.db.prisma.user.findUniqueOrThrow({ where: { email: 'owner@demo.test' } })).orgId!
  const list = (as: string | undefined, query = '') => h.call({ method: 'GET', url: `/organization/users${query}`, as })
  const create = (as: string, payload: object) => h.call({ method: 'POST', url: '/organization/users', payload, as })
  const update = (as: string, target: string, payload: object) =>
    h.call({ method: 'PUT', url: `/organization/users/${target}`, payload, as })
  const remove = (as: string | undefined, target: string) => h.call({ method: 'DELETE', url: `/organization/users/${target}`, as })
  const activate = (as: string | undefined, target: string) => h.call({ method: 'POST', url: `/organization/users/${target}/activate`, as })
  const expect = (what: string, res: { status: number }, status: number) => {
    if (res.status !== status) throw new Error(`setup: ${what} answered ${res.status}`)
  }
  if (given.newPerson) {
    const created = await create('owner@demo.test', NEW_USER)
    expect('creating new.person', created, 201)
    if (given.newPerson === 'deleted') expect('deleting new.person', await remove('owner@demo.test', created.body.data.id), 200)
  }
  if (given.second)
    expect('creating second', await create('owner@demo.test', { ...NEW_USER, email: 'second@demo.test', orgRole: 254 }), 201)
  return { h, id, demoOrg, list, create, update, remove, activate }
}

t.test('GET /organization/users: the page, ordered by creation, with the total', async (t) => {
  const { h, list } = await setup('shared')
  const res = await list('workspaces@demo.test')
  t.equal(res.status, 200)
  t.equal(res.body.success, true)
  t.equal(res.body.total, 6, 'the six Demo Org users, the deactivated one included')
  t.same(
    res.body.data.map((u: { email: string }) => u.email),
    ['owner@demo.test', 'admin@demo.test', 'workspaces@demo.test', 'billing@demo.test', 'user@demo.test', 'deleted@demo.test'],
  )
  t.same(Object.keys(res.body.data[0]).sort(), USER_KEYS)
  const single = await h.call({ method: 'GET', url: `/organization/users/${res.body.data[1].id}`, as: 'workspaces@demo.test' })
  t.same(res.body.data[1], single.body, 'the same object as GET /organization/users/{userId}')
  t.type(res.body.data[5].deletedAt, 'string')

  const page = await list('owner@demo.test', '?limit=2&offset=1')
  t.same(
    page.body.data.map((u: { email: string }) => u.email),
    ['admin@demo.test', 'workspaces@demo.test'],
  )
  t.equal(page.body.total, 6)
  const past = await list('owner@demo.test', '?offset=50')
  t.same(past.body, { success: true, data: [], total: 6 })
})

t.test('GET /organization/users: 400 for a bad limit or offset, 403, 401', async (t) => {
  const { list } = await setup('shared')
  for (const query of [
    '?limit=0',
    '?limit=201',
    '?limit=abc',
    '?limit=-1',
    '?offset=x',
    '?offset=-5',
    '?limit=1.5',
    '?limit=99999999999',
  ]) {
    const res = await list('owner@demo.test', query)
    t.equal(res.status, 400, query)
    t.equal(res.body.success, false)
    t.type(res.body.message, 'string')
  }
  t.equal((await list('owner@demo.test', '?limit=200')).status, 200)
  for (const as of ['user@demo.test', 'billing@demo.test', 'loner@demo.test']) {
    const res = await list(as)
    t.same([res.status, res.body], [403, { success: false, data: [], total: 0 }], as)
  }
  t.equal((await list(undefined)).status, 401)
})

t.test('POST /organization/users: 201 with the user, lower-cased email, audit event', async (t) => {
  const { h, id, demoOrg, list, create } = await setup(t)
  const res = await create('workspaces@demo.test', { ...NEW_USER, sendInvite: true })
  t.equal(res.status, 201)
  t.equal(res.body.success, true)
  t.equal(res.body.message, 'User created successfully')
  t.match(res.body.data, {
    email: 'new.person@demo.test',
    name: 'Nora',
    lastName: 'New',
    orgId: await demoOrg(),
    orgRole: 0,
    orgRoleDescription: 'USER',
    orgRoles: [0],
    deletedAt: null,
  })
  t.same(Object.keys(res.body.data).sort(), USER_KEYS)
  const row = await h.db.prisma.user.findUniqueOrThrow({ where: { id: res.body.data.id } })
  t.ok(await verifyPassword(row.passwordHash!, NEW_USER.password))
  const event = await h.db.prisma.auditEvent.findFirstOrThrow({ where: { targetId: row.id, action: 'user.created' } })
  t.match(event, {
    actorId: await id('workspaces@demo.test'),
    orgId: await demoOrg(),
    changes: { email: { new: 'new.person@demo.test' }, orgRole: { new: 0 }, sendInvite: { new: true } },
  })
  t.notMatch(JSON.stringify(event.changes), /Fresh-Password-9|argon2|password/i)
  t.equal((await list('owner@demo.test')).body.total, 7)

  const billing = await create('owner@demo.test', { ...NEW_USER, email: 'second@demo.test', orgRole: 254 })
  t.equal(billing.body.data.orgRole, 254, 'OWNER creates any role')
})

t.test('POST /organization/users: 400 duplicate, weak, invalid; 403', async (t) => {
  const { h, create } = await setup(t, { newPerson: 'active' })
  for (const email of ['NEW.person@demo.test', 'owner@demo.test', 'deleted@demo.test', ' owner@OTHER.test ']) {
    const res = await create('owner@demo.test', { ...NEW_USER, email })
    t.same([res.status, res.body], [400, { success: false, message: 'A user with this email already exists' }], email)
  }
  const cases: [object, RegExp][] = [
    [{ ...NEW_USER, email: 'x@demo.test', password: 'weakpass' }, /upper-case/],
    [{ ...NEW_USER, email: 'x@demo.test', password: 'Short1' }, /at least 8/],
    [{ ...NEW_USER, email: 'not-an-email' }, /Invalid email address/],
    [{ ...NEW_USER, email: 'x@demo.test', firstName: ' ' }, /firstName must not be empty/],
    [{ ...NEW_USER, email: 'x@demo.test', orgRole: 3 }, /^Invalid role$/],
    [{ ...NEW_USER, email: 'x@demo.test', sendInvite: 'yes' }, /sendInvite/],
    [{ email: 'x@demo.test', password: NEW_USER.password, firstName: 'X' }, /Missing required field: lastName/],
    [{ ...NEW_USER, email: 'x@demo.test', role: 1 }, /Unknown field: role/],
  ]
  for (const [payload, message] of cases) {
    const res = await create('owner@demo.test', payload)
    t.equal(res.status, 400, JSON.stringify(payload))
    t.match(res.body, { success: false, message })
  }
  const forbidden: [string, number | undefined][] = [
    ['user@demo.test', undefined],
    ['billing@demo.test', 0],
    ['loner@demo.test', 0],
    ['workspaces@demo.test', 2],
    ['admin@demo.test', 255],
  ]
  for (const [as, orgRole] of forbidden) {
    const res = await create(as, { ...NEW_USER, email: 'x@demo.test', orgRole })
    t.same([res.status, res.body], [403, { success: false, message: 'Insufficient permissions to create users' }], `${as} ${orgRole}`)
  }
  t.notOk(await h.db.prisma.user.findUnique({ where: { email: 'x@demo.test' } }), 'nobody was created')

  // Two creations of one address at once: the unique index decides, and the loser gets a 400, not a 500.
  const both = await Promise.all([
    create('owner@demo.test', { ...NEW_USER, email: 'race@demo.test' }),
    create('admin@demo.test', { ...NEW_USER, email: 'RACE@demo.test' }),
  ])
  t.same(both.map((r) => r.status).sort(), [201, 400])
  t.equal(both.find((r) => r.status === 400)!.body.message, 'A user with this email already exists')
  await h.db.prisma.user.delete({ where: { email: 'race@demo.test' } })
})

t.test('PUT /organization/users/{userId}: names and role, 200 with the user', async (t) => {
  const { h, id, update } = await setup(t, { newPerson: 'active' })
  const target = await id('new.person@demo.test')
  const res = await update('workspaces@demo.test', target, { name: 'Nori', orgRole: 1 })
  t.equal(res.status, 200)
  t.equal(res.body.message, 'User updated successfully')
  t.match(res.body.data, { id: target, name: 'Nori', lastName: 'New', orgRole: 1, orgRoleDescription: 'BILLING', orgRoles: [0, 1] })
  const events = await h.db.prisma.auditEvent.findMany({
    where: { targetId: target, action: { in: ['user.updated', 'user.role_changed'] } },
  })
  t.same(events.map((e) => [e.action, e.changes]).sort(), [
    ['user.role_changed', { orgRole: { old: 0, new: 1 } }],
    ['user.updated', { name: { old: 'Nora', new: 'Nori' } }],
  ])
})

t.test('PUT /organization/users/{userId}: 400, 403, 404 with data: {}', async (t) => {
  const { id, update } = await setup(t, { newPerson: 'active' })
  const target = await id('new.person@demo.test')
  const invalid = await update('owner@demo.test', target, { orgRole: 42 })
  t.same([invalid.status, invalid.body], [400, { success: false, data: {}, message: 'Invalid role combination' }])
  const empty = await update('owner@demo.test', target, {})
  t.match([empty.status, empty.body], [400, { success: false, data: {}, message: /at least one/ }])
  const lastOwner = await update('owner@demo.test', await id('owner@demo.test'), { orgRole: 254 })
  t.same(
    [lastOwner.status, lastOwner.body],
    [400, { success: false, data: {}, message: 'Cannot remove the last owner of the organization' }],
  )
  const forbidden: [string, string, object][] = [
    ['user@demo.test', target, { name: 'X' }],
    ['loner@demo.test', target, { name: 'X' }],
    ['workspaces@demo.test', target, { orgRole: 2 }],
    ['workspaces@demo.test', await id('admin@demo.test'), { orgRole: 0 }],
    ['owner@demo.test', await id('owner@other.test'), { name: 'X' }],
  ]
  for (const [as, who, payload] of forbidden) {
    const res = await update(as, who, payload)
    t.same(
      [res.status, res.body],
      [403, { success: false, data: {}, message: 'Insufficient permissions to update users' }],
      `${as} ${JSON.stringify(payload)}`,
    )
  }
  for (const who of ['00000000-0000-4000-8000-000000000000', 'x', await id('deleted@demo.test')]) {
    const res = await update('owner@demo.test', who, { name: 'X' })
    t.same([res.status, res.body], [404, { success: false, data: {}, message: 'User not found' }], who)
  }
})

t.test('DELETE /organization/users/{userId}: soft delete, sessions ended, audit event', async (t) => {
  const { h, id, remove } = await setup(t, { newPerson: 'active' })
  const email = 'new.person@demo.test'
  const target = await id(email)
  const token = await h.tokenFor(email)
  const asTarget = () => h.call({ method: 'GET', url: '/user/profile', headers: { authorization: `Bearer ${token}` } })
  t.equal((await asTarget()).status, 200)
  const second = await startSession(h.db.prisma, target, 3600)

  const res = await remove('workspaces@demo.test', target)
  t.same([res.status, res.body], [200, { success: true, message: 'User deleted successfully' }])
  t.not((await asTarget()).status, 200, 'the deleted user is locked out at once')
  const sessions = await h.db.prisma.session.findMany({ where: { userId: target } })
  t.ok(sessions.length >= 2)
  t.ok(
    sessions.every((s) => s.revokedAt !== null && s.revokedReason === 'user_deleted'),
    'every session ended',
  )
  t.ok(sessions.some((s) => s.id === second.id))
  const row = await h.db.prisma.user.findUniqueOrThrow({ where: { id: target } })
  t.ok(row.deletedAt, 'soft: the row stays, with deletedAt')
  const event = await h.db.prisma.auditEvent.findFirstOrThrow({ where: { targetId: target, action: 'user.deleted' } })
  t.match(event, { actorId: await id('workspaces@demo.test'), changes: { deletedAt: { old: null, new: row.deletedAt!.toISOString() } } })

  const again = await remove('workspaces@demo.test', target)
  t.same([again.status, again.body], [400, { success: false, message: 'User is already deleted' }])
})

t.test('DELETE /organization/users/{userId}: 400 yourself, 403, 404, last owner', async (t) => {
  const { h, id, demoOrg, remove } = await setup(t)
  const self = await remove('admin@demo.test', await id('admin@demo.test'))
  t.same([self.status, self.body], [400, { success: false, message: 'Cannot delete yourself' }])
  const forbidden: [string, string][] = [
    ['user@demo.test', 'billing@demo.test'],
    ['loner@demo.test', 'user@demo.test'],
    ['workspaces@demo.test', 'admin@demo.test'],
    ['admin@demo.test', 'owner@demo.test'],
    ['owner@demo.test', 'owner@other.test'],
  ]
  for (const [as, who] of forbidden) {
    const res = await remove(as, await id(who))
    t.same([res.status, res.body], [403, { success: false, message: 'Insufficient permissions to delete users' }], `${as} → ${who}`)
  }
  for (const who of ['00000000-0000-4000-8000-000000000000', 'nope']) {
    const res = await remove('owner@demo.test', who)
    t.same([res.status, res.body], [404, { success: false, message: 'User not found' }])
  }
  t.equal((await remove(undefined, await id('user@demo.test'))).status, 401)

  // Two owners deleting each other at once: the organization keeps one.
  const a = await id('owner@demo.test')
  const b = await id('admin@demo.test')
  await h.db.prisma.user.update({ where: { id: b }, data: { orgRole: 255 } })
  const results = await Promise.all([remove('owner@demo.test', b), remove('admin@demo.test', a)])
  t.equal(results.filter((r) => r.status === 200).length, 1, 'exactly one deletion succeeds')
  t.equal(await h.db.prisma.user.count({ where: { orgId: await demoOrg(), orgRole: 255, deletedAt: null } }), 1, 'one owner remains')
})

t.test('POST /organization/users/{userId}/activate', async (t) => {
  const { h, id, activate } = await setup(t, { newPerson: 'deleted', second: true })
  const target = await id('new.person@demo.test')
  const forbidden: [string, string][] = [
    ['user@demo.test', target],
    ['loner@demo.test', target],
    ['workspaces@demo.test', await id('second@demo.test')],
    ['owner@demo.test', await id('owner@other.test')],
  ]
  for (const [as, who] of forbidden) {
    const res = await activate(as, who)
    t.same([res.status, res.body], [403, { success: false, message: 'Insufficient permissions to activate users' }], `${as} → ${who}`)
  }
  const res = await activate('workspaces@demo.test', target)
  t.same([res.status, res.body], [200, { success: true, message: 'User activated successfully' }])
  t.equal((await h.db.prisma.user.findUniqueOrThrow({ where: { id: target } })).deletedAt, null)
  const event = await h.db.prisma.auditEvent.findFirstOrThrow({ where: { targetId: target, action: 'user.activated' } })
  t.match(event, { actorId: await id('workspaces@demo.test'), changes: { deletedAt: { new: null } } })
  const notDeleted = await activate('workspaces@demo.test', target)
  t.same([notDeleted.status, notDeleted.body], [400, { success: false, message: 'User is not deleted' }])
  for (const who of ['00000000-0000-4000-8000-000000000000', 'nope']) {
    const missing = await activate('owner@demo.test', who)
    t.same([missing.status, missing.body], [404, { success: false, message: 'User not found' }])
  }
  t.equal((await activate(undefined, target)).status, 401)
})

t.test('GraphQL: organizationUsers and the organization-user mutations', async (t) => {
  const { h, id } = await setup(t, { newPerson: 'deleted', second: true })
  const page = await h.graphql('{ organizationUsers(limit: 2) { total data { email orgRole deletedAt } } }', {}, 'admin@demo.test')
  t.same(
    page.body.data.organizationUsers.data.map((u: { email: string }) => u.email),
    ['owner@demo.test', 'admin@demo.test'],
  )
  t.equal(page.body.data.organizationUsers.total, 8)
  const badLimit = await h.graphql('{ organizationUsers(limit: 500) { total } }', {}, 'admin@demo.test')
  t.match(badLimit.body.errors[0], { message: 'limit must be between 1 and 200', extensions: { code: 'BAD_USER_INPUT' } })
  const denied = await h.graphql('{ organizationUsers { total } }', {}, 'user@demo.test')
  t.match(denied.body.errors[0], { message: 'Insufficient permissions to view users', extensions: { code: 'FORBIDDEN' } })

  const created = await h.graphql(
    'mutation ($input: OrganizationUserCreateInput!) { createOrganizationUser(input: $input) { id email orgRole } }',
    { input: { email: 'GQL@demo.test', password: 'Graph-Password-1', firstName: 'G', lastName: 'Q', orgRole: 1 } },
    'admin@demo.test',
  )
  t.match(created.body.data.createOrganizationUser, { email: 'gql@demo.test', orgRole: 1 })
  const newId = created.body.data.createOrganizationUser.id
  const dup = await h.graphql(
    'mutation ($input: OrganizationUserCreateInput!) { createOrganizationUser(input: $input) { id } }',
    { input: { email: 'gql@DEMO.test', password: 'Graph-Password-1', firstName: 'G', lastName: 'Q' } },
    'admin@demo.test',
  )
  t.match(dup.body.errors[0], { message: 'A user with this email already exists', extensions: { code: 'BAD_USER_INPUT' } })

  const updated = await h.graphql(
    'mutation ($id: ID!, $input: OrganizationUserUpdateInput!) { updateOrganizationUser(id: $id, input: $input) { lastName orgRole orgRoles } }',
    { id: newId, input: { lastName: 'L', orgRole: 2 } },
    'admin@demo.test',
  )
  t.same(updated.body.data.updateOrganizationUser, { lastName: 'L', orgRole: 2, orgRoles: [0, 1, 2] })
  const badCombo = await h.graphql(
    'mutation ($id: ID!) { updateOrganizationUser(id: $id, input: { orgRole: 5 }) { id } }',
    { id: newId },
    'admin@demo.test',
  )
  t.match(badCombo.body.errors[0], { message: 'Invalid role combination', extensions: { code: 'BAD_USER_INPUT' } })

  const deleted = await h.graphql(
    'mutation ($id: ID!) { deleteOrganizationUser(id: $id) { success message } }',
    { id: newId },
    'admin@demo.test',
  )
  t.same(deleted.body.data.deleteOrganizationUser, { success: true, message: 'User deleted successfully' })
  const self = await h.graphql(
    'mutation ($id: ID!) { deleteOrganizationUser(id: $id) { success } }',
    { id: await id('admin@demo.test') },
    'admin@demo.test',
  )
  t.match(self.body.errors[0], { message: 'Cannot delete yourself', extensions: { code: 'BAD_USER_INPUT' } })
  const activated = await h.graphql(
    'mutation ($id: ID!) { activateOrganizationUser(id: $id) { success message } }',
    { id: newId },
    'admin@demo.test',
  )
  t.same(activated.body.data.activateOrganizationUser, { success: true, message: 'User activated successfully' })
  const again = await h.graphql('mutation ($id: ID!) { activateOrganizationUser(id: $id) { success } }', { id: newId }, 'admin@demo.test')
  t.match(again.body.errors[0], { message: 'User is not deleted', extensions: { code: 'BAD_USER_INPUT' } })
  const foreign = await h.graphql(
    'mutation ($id: ID!) { activateOrganizationUser(id: $id) { success } }',
    { id: await id('owner@other.test') },
    'admin@demo.test',
  )
  t.match(foreign.body.errors[0], { message: 'Insufficient permissions to activate users', extensions: { code: 'FORBIDDEN' } })
})
