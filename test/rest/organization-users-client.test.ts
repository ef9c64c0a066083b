// What the public client sends to /organization/users: no paging (every user up to 1,000), authMethod and provider.
import t from 'tap'
import { buildTestApp, type TestApp, type Teardown } from '../helper.js'

/** The app a subtest runs on, with this file's helpers over it: its own (a fresh database) for a subtest that
 * changes data, or one shared by the subtests that only read; so each passes alone and in any order. */
let shared: Promise<TestApp> | undefined
const sharedApp = () => (shared ??= buildTestApp(t))
async function given(where: Teardown | 'shared') {
  const h = where === 'shared' ? await sharedApp() : await buildTestApp(where)
  const orgId = (await h.db.prisma.user.findUniqueOrThrow({ where: { email: 'owner@demo.test' } })).orgId!
  const list = (query = '', as = 'owner@demo.test') => h.call({ method: 'GET', url: `/organization/users${query}`, as })
  const create = (payload: object, as = 'owner@demo.test') => h.call({ method: 'POST', url: '/organization/users', payload, as })
  const person = (email: string, over: object = {}) => ({ email, password: 'Fresh-Password-9', firstName: 'Ann', lastName: 'Lee', ...over })
  return { h, orgId, list, create, person }
}

t.test('GET /organization/users without limit: every user of an organization of up to 1,000; limit/offset as before', async (t) => {
  const { h, orgId, list } = await given(t)
  // A cheap hash: these users never log in. 1,000 members in all, 6 of them the demo users.
  await h.db.prisma.user.createMany({
    data: Array.from({ length: 995 }, (_, i) => ({ email: `bulk${i}@demo.test`, name: 'B', lastName: `${i}`, orgId, orgRole: 0 })),
  })
  const all = await list()
  t.equal(all.status, 200)
  t.equal(all.body.total, 1001)
  t.equal(all.body.data.length, 1000, 'the first 1,000 in one answer')
  t.equal(all.body.data[0].email, 'owner@demo.test', 'ordered by creation')
  const rest = await list('?offset=1000')
  t.equal(rest.body.data.length, 1, 'offset alone pages past them')
  t.notOk(
    all.body.data.some((u: { id: string }) => u.id === rest.body.data[0].id),
    'to the one user not in the first answer',
  )
  const page = await list('?limit=200&offset=10')
  t.equal(page.body.data.length, 200)
  t.equal(page.body.data[0].id, all.body.data[10].id)
  t.equal((await list('?limit=201')).status, 400, 'an explicit limit is still 1–200')
  const gql = await h.graphql('{ organizationUsers { total data { id } } }', {}, 'owner@demo.test')
  t.equal(gql.body.data.organizationUsers.data.length, 1000, 'GraphQL without limit too')
  t.equal(gql.body.data.organizationUsers.total, 1001)
  await h.db.prisma.user.deleteMany({ where: { email: { startsWith: 'bulk' } } })
})

t.test('POST /organization/users: authMethod LOCAL (the default) and provider are accepted and recorded', async (t) => {
  const { h, create, person } = await given('shared')
  const res = await create(person('local@demo.test', { authMethod: 'LOCAL', provider: 'email' }))
  t.equal(res.status, 201)
  t.match(res.body, { success: true, data: { email: 'local@demo.test', orgRole: 0 }, message: 'User created successfully' })
  const event = await h.db.prisma.auditEvent.findFirstOrThrow({ where: { targetId: res.body.data.id, action: 'user.created' } })
  t.match(event.changes, { authMethod: { new: 'LOCAL' }, provider: { new: 'email' } })
  const login = await h.call({ method: 'POST', url: '/user/login', payload: { email: 'local@demo.test', password: 'Fresh-Password-9' } })
  t.equal(login.status, 200, 'a LOCAL user signs in with its password')
  const gql = await h.graphql(
    'mutation ($input: OrganizationUserCreateInput!) { createOrganizationUser(input: $input) { email } }',
    { input: person('local-gql@demo.test', { authMethod: 'LOCAL' }) },
    'owner@demo.test',
  )
  t.same(gql.body.data.createOrganizationUser, { email: 'local-gql@demo.test' })
})

t.test('POST /organization/users: GOOGLE, GITHUB, MICROSOFT answer 400 with a clear message; nobody is created', async (t) => {
  const { h, create, person } = await given('shared')
  for (const authMethod of ['GOOGLE', 'GITHUB', 'MICROSOFT']) {
    const email = `${authMethod.toLowerCase()}@demo.test`
    const res = await create(person(email, { authMethod, provider: authMethod.toLowerCase() }))
    t.equal(res.status, 400, authMethod)
    t.equal(res.body.success, false)
    t.match(res.body.message, new RegExp(`^authMethod ${authMethod} cannot be created here: only LOCAL`))
    t.notOk(await h.db.prisma.user.findUnique({ where: { email } }), 'nobody was created')
    const gql = await h.graphql(
      'mutation ($input: OrganizationUserCreateInput!) { createOrganizationUser(input: $input) { email } }',
      { input: person(email, { authMethod }) },
      'owner@demo.test',
    )
    t.match(gql.body.errors[0], { message: /only LOCAL/, extensions: { code: 'BAD_USER_INPUT' } })
  }
  const unknown = await create(person('saml@demo.test', { authMethod: 'SAML' }))
  t.equal(unknown.status, 400)
  t.match(unknown.body.message, /authMethod/)
  const longProvider = await create(person('long@demo.test', { provider: 'p'.repeat(101) }))
  t.equal(longProvider.status, 400)
  t.equal(longProvider.body.message, 'provider must be at most 100 characters long')
  const notAllowed = await create(person('nope@demo.test', { authMethod: 'LOCAL' }), 'user@demo.test')
  t.equal(notAllowed.status, 403, 'the role rules still apply')
  const none = await h.call({ method: 'POST', url: '/organization/users', payload: person('anon@demo.test') })
  t.equal(none.status, 401)
})
