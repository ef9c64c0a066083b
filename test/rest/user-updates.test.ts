// PUT /user/{userId} and GraphQL updateUser: who changes which fields, audit events, sessions.
import t from 'tap'
import { buildTestApp, type TestApp, type Teardown } from '../helper.js'
import { verifyPassword } from '../../src/crypto/passwords.js'

/** The app a subtest runs on, with this file's helpers over it: its own (a fresh database) for a subtest that
 * changes data, or one shared by the subtests that only read; so each passes alone and in any order. */
let shared: Promise<TestApp> | undefined
const sharedApp = () => (shared ??= buildTestApp(t))
async function given(where: Teardown | 'shared') {
  const h = where === 'shared' ? await sharedApp() : await buildTestApp(where)
  const id = (email: string) => h.userId(email)
  const put = async (as: string | undefined, target: string, payload: unknown) =>
    h.call({ method: 'PUT', url: `/user/${target}`, payload: payload as object, as })
  const auditOf = async (targetEmail: string) =>
    h.db.prisma.auditEvent.findMany({ where: { targetId: await id(targetEmail) }, orderBy: { createdAt: 'asc' } })
  return { h, id, put, auditOf }
}

t.test('anyone changes their own name and last name', async (t) => {
  const { h, id, put, auditOf } = await given(t)
  const res = await put('user@demo.test', await id('user@demo.test'), { name: 'Umaa', lastName: 'Usr' })
  t.equal(res.status, 200)
  t.same(res.body, { success: true, message: 'User updated successfully' })
  t.match(res.headers['content-type'], /application\/json; charset=utf-8/)
  const profile = await h.call({ method: 'GET', url: '/user/profile', as: 'user@demo.test' })
  t.equal(profile.body.data.name, 'Umaa')
  t.equal(profile.body.data.lastName, 'Usr')
  const events = await auditOf('user@demo.test')
  t.equal(events.length, 1)
  t.match(events[0], {
    actorId: await id('user@demo.test'),
    targetId: await id('user@demo.test'),
    orgId: profile.body.data.orgId,
    action: 'user.updated',
    changes: { name: { old: 'Uma', new: 'Umaa' }, lastName: { old: 'User', new: 'Usr' } },
  })
  const loner = await put('loner@demo.test', await id('loner@demo.test'), { name: 'Lenna' })
  t.equal(loner.status, 200, 'a user without an organization too')
})

t.test("WORKSPACES and above change others' names in their organization; below, no", async (t) => {
  const { id, put, auditOf } = await given(t)
  const target = await id('billing@demo.test')
  for (const as of ['workspaces@demo.test', 'admin@demo.test', 'owner@demo.test']) {
    const res = await put(as, target, { lastName: `By ${as}` })
    t.equal(res.status, 200, as)
  }
  const last = (await auditOf('billing@demo.test')).at(-1)!
  t.match(last, { actorId: await id('owner@demo.test'), targetId: target, action: 'user.updated' })
  for (const as of ['user@demo.test', 'billing@demo.test']) {
    const res = await put(as, await id('workspaces@demo.test'), { name: 'Nope' })
    t.equal(res.status, 403, as)
    t.same(res.body, { success: false, message: 'Insufficient permissions to update user' })
  }
  const loner = await put('loner@demo.test', target, { name: 'Nope' })
  t.same([loner.status, loner.body], [404, { success: false, message: 'User not found' }], 'no organization: nobody else exists')
})

t.test('404: unknown, non-UUID, deactivated, or in another organization', async (t) => {
  const { id, put } = await given('shared')
  for (const target of [
    '00000000-0000-4000-8000-000000000000',
    'not-a-uuid',
    await id('deleted@demo.test'),
    await id('owner@other.test'),
  ]) {
    const res = await put('owner@demo.test', target, { name: 'X' })
    t.equal(res.status, 404, target)
    t.same(res.body, { success: false, message: 'User not found' })
  }
})

t.test('400: bad input', async (t) => {
  const { h, id, put } = await given('shared')
  const me = await id('user@demo.test')
  const cases: [unknown, RegExp][] = [
    [{}, /at least one of name, lastName, password/],
    [{ name: '' }, /name must not be empty/],
    [{ name: 42 }, /name must be a string/],
    [{ nickname: 'x' }, /Unknown field: nickname/],
    [{ password: 'short1A' }, /at least 8 characters/],
    [{ password: 'alllowercase1' }, /upper-case/],
    [{ password: 'ALLUPPERCASE1' }, /lower-case/],
    [{ password: 'NoDigitsHere' }, /digit/],
  ]
  for (const [payload, message] of cases) {
    const res = await put('user@demo.test', me, payload)
    t.equal(res.status, 400, JSON.stringify(payload))
    t.match(res.body, { success: false, message })
    t.same(Object.keys(res.body).sort(), ['message', 'success'])
  }
  const malformed = await h.call({
    method: 'PUT',
    url: `/user/${me}`,
    payload: '{"name":',
    headers: { 'content-type': 'application/json' },
    as: 'user@demo.test',
  })
  t.equal(malformed.status, 400)
})

t.test('401 without a valid token', async (t) => {
  const { id, put } = await given('shared')
  const res = await put(undefined, await id('user@demo.test'), { name: 'X' })
  t.equal(res.status, 401)
  t.same(res.body, { success: false, error_code: 'NO_AUTH_USER', message: 'Authentication required' })
})

t.test('a password is changed only by its owner, ends the other sessions, and is never recorded', async (t) => {
  const { h, id, put, auditOf } = await given(t)
  const email = 'workspaces@demo.test'
  const me = await id(email)
  const forbidden = await put('owner@demo.test', me, { password: 'Another-Password-2' })
  t.same(
    [forbidden.status, forbidden.body],
    [403, { success: false, message: 'Insufficient permissions to update user' }],
    'not even the OWNER',
  )
  await h.tokenFor(email)
  // A second login of the same user: a fresh session, issued the way the helper issues tokens.
  const { startSession } = await import('../../src/db/repositories/sessions.js')
  const other = await startSession(h.db.prisma, me, 3600)
  const otherToken = h.app.accessTokens.issue(me, other.id).accessToken
  const asOther = () => h.call({ method: 'GET', url: '/user/profile', headers: { authorization: `Bearer ${otherToken}` } })
  t.equal((await asOther()).status, 200, 'the other session works before')

  const res = await put(email, me, { password: 'Another-Password-2', name: 'Wendy2' })
  t.same([res.status, res.body], [200, { success: true, message: 'User updated successfully' }])
  t.equal((await asOther()).status, 401, 'the other session is over')
  t.equal((await h.call({ method: 'GET', url: '/user/profile', as: email })).status, 200, 'the current one still works')
  const row = await h.db.prisma.user.findUniqueOrThrow({ where: { id: me } })
  t.ok(await verifyPassword(row.passwordHash!, 'Another-Password-2'), 'the new password is stored, hashed')
  t.not(row.passwordHash, 'Another-Password-2')
  const ended = await h.db.prisma.session.findUniqueOrThrow({ where: { id: other.id } })
  t.equal(ended.revokedReason, 'password_changed')
  t.ok(ended.revokedAt)

  const event = (await auditOf(email)).at(-1)!
  t.match(event, {
    actorId: me,
    targetId: me,
    action: 'user.updated',
    changes: { password: 'changed', name: { old: 'Wendy', new: 'Wendy2' } },
  })
  const everything = JSON.stringify(await h.db.prisma.auditEvent.findMany())
  t.notMatch(everything, /Another-Password-2/, 'no password in any audit event')
  t.notMatch(everything, /argon2/, 'no hash in any audit event')
})

t.test('GraphQL updateUser', async (t) => {
  const { h, id } = await given(t)
  const mutation = 'mutation ($id: ID!, $input: UserUpdateInput!) { updateUser(id: $id, input: $input) { success message } }'
  const ok = await h.graphql(mutation, { id: await id('user@demo.test'), input: { lastName: 'Graph' } }, 'user@demo.test')
  t.same(ok.body, { data: { updateUser: { success: true, message: 'User updated successfully' } } })
  const denied = await h.graphql(mutation, { id: await id('admin@demo.test'), input: { name: 'X' } }, 'user@demo.test')
  t.match(denied.body.errors[0], { message: 'Insufficient permissions to update user', extensions: { code: 'FORBIDDEN' } })
  const weak = await h.graphql(mutation, { id: await id('user@demo.test'), input: { password: 'weak' } }, 'user@demo.test')
  t.match(weak.body.errors[0], { extensions: { code: 'BAD_USER_INPUT' } })
  const missing = await h.graphql(mutation, { id: await id('owner@other.test'), input: { name: 'X' } }, 'owner@demo.test')
  t.match(missing.body.errors[0], { message: 'User not found', extensions: { code: 'NOT_FOUND' } })
  const anonymous = await h.graphql(mutation, { id: await id('user@demo.test'), input: { name: 'X' } })
  t.match(anonymous.body.errors[0], { extensions: { code: 'UNAUTHENTICATED' } })
})
