// GET /organization/{orgId}, PUT /organization/{orgId}, and the organization / updateOrganization operations.
import t from 'tap'
import { buildTestApp, type TestApp, type Teardown } from '../helper.js'

const KEYS = [
  'address1',
  'address2',
  'city',
  'country',
  'deletedAt',
  'domain',
  'id',
  'is_business',
  'mfaEnforced',
  'name',
  'phone',
  'reposDisabled',
  'state',
  'website',
  'zipcode',
]
const NO_AUTH = { success: false, error_code: 'NO_AUTH_USER', message: 'Authentication required' }
const CANNOT_VIEW = { success: false, data: null, message: 'Insufficient permissions to view organization' }
const CANNOT_UPDATE = { success: false, data: null, message: 'Insufficient permissions to update organization' }

/** The app a subtest runs on, with this file's helpers over it: its own (a fresh database) for a subtest that
 * changes data, or one shared by the subtests that only read; so each passes alone and in any order. */
let shared: Promise<TestApp> | undefined
const sharedApp = () => (shared ??= buildTestApp(t))
async function given(where: Teardown | 'shared') {
  const h = where === 'shared' ? await sharedApp() : await buildTestApp(where)
  const orgOf = async (email: string) => (await h.db.prisma.user.findUniqueOrThrow({ where: { email } })).orgId!
  const demo = await orgOf('owner@demo.test')
  const other = await orgOf('owner@other.test')
  const get = (as: string | undefined, orgId: string) => h.call({ method: 'GET', url: `/organization/${orgId}`, as })
  const put = (as: string | undefined, orgId: string, payload: unknown) =>
    h.call({ method: 'PUT', url: `/organization/${orgId}`, payload: payload as object, as })
  return { h, orgOf, demo, other, get, put }
}

t.test('GET /organization/{orgId}: every member reads its own organization', async (t) => {
  const { demo, get } = await given('shared')
  for (const as of ['user@demo.test', 'billing@demo.test', 'workspaces@demo.test', 'admin@demo.test', 'owner@demo.test']) {
    const res = await get(as, demo)
    t.equal(res.status, 200, as)
    t.equal(res.headers['content-type'], 'application/json; charset=utf-8')
    t.same(Object.keys(res.body), ['success', 'data'])
    t.same(Object.keys(res.body.data).sort(), KEYS)
    t.match(res.body.data, {
      id: demo,
      name: 'Demo Org',
      domain: '',
      website: null,
      is_business: false,
      mfaEnforced: false,
      reposDisabled: false,
      deletedAt: null,
    })
  }
  t.equal((await get('owner@demo.test', demo.toUpperCase())).status, 200, 'the id in upper case is the same id')
})

t.test('GET /organization/{orgId}: 403 for another organization (existing or not), without one; 401', async (t) => {
  const { demo, other, get } = await given('shared')
  for (const id of [other, '00000000-0000-4000-8000-000000000000', 'not-a-uuid']) {
    const res = await get('owner@demo.test', id)
    t.equal(res.status, 403, id)
    t.same(res.body, CANNOT_VIEW, 'the same answer whether the organization exists or not')
  }
  const loner = await get('loner@demo.test', demo)
  t.equal(loner.status, 403)
  t.same(loner.body, { success: false, data: null, message: 'User not associated with any organization' })
  const none = await get(undefined, demo)
  t.equal(none.status, 401)
  t.same(none.body, NO_AUTH)
  t.equal(none.headers['www-authenticate'], 'Bearer')
  const deactivated = await get('deleted@demo.test', demo)
  t.equal(deactivated.status, 401, 'a deactivated member reads nothing')
})

t.test('PUT /organization/{orgId}: ADMINISTRATORS and OWNER change the details; an empty text clears one', async (t) => {
  const { h, demo, get, put } = await given(t)
  const details = {
    name: '  Demo Org Renamed ',
    address1: '1 Main Street',
    address2: 'Suite 2',
    city: 'Springfield',
    zipcode: '12345',
    phone: '+1 555 0100',
    state: 'IL',
    country: 'US',
    website: 'https://www.demo.example/about',
    is_business: true,
  }
  const res = await put('admin@demo.test', demo, details)
  t.equal(res.status, 200)
  t.same(Object.keys(res.body), ['success', 'data', 'message'])
  t.equal(res.body.message, 'Organization updated successfully')
  t.match(res.body.data, { ...details, name: 'Demo Org Renamed', domain: 'www.demo.example', mfaEnforced: false })
  t.same((await get('user@demo.test', demo)).body.data, res.body.data, 'what every member reads next')
  const event = await h.db.prisma.auditEvent.findFirstOrThrow({ where: { orgId: demo, action: 'organization.updated' } })
  t.match(event, { actorId: await h.userId('admin@demo.test'), targetId: null })
  t.match(event.changes, { name: { old: 'Demo Org', new: 'Demo Org Renamed' }, city: { old: null, new: 'Springfield' } })

  const cleared = await put('owner@demo.test', demo, { address2: '', website: 'http://demo.example' })
  t.equal(cleared.status, 200)
  t.match(cleared.body.data, { address2: null, website: 'http://demo.example', domain: 'demo.example', city: 'Springfield' })
  const enforced = await put('owner@demo.test', demo, { mfaEnforced: true })
  t.equal(enforced.body.data.mfaEnforced, true, 'OWNER switches MFA enforcement')
  await put('owner@demo.test', demo, { mfaEnforced: false, name: 'Demo Org' })
})

t.test('PUT /organization/{orgId}: 403 below ADMINISTRATORS, for mfaEnforced below OWNER, for another organization', async (t) => {
  const { demo, other, get, put } = await given('shared')
  for (const as of ['user@demo.test', 'billing@demo.test', 'workspaces@demo.test']) {
    const res = await put(as, demo, { name: 'Mine now' })
    t.equal(res.status, 403, as)
    t.same(res.body, CANNOT_UPDATE)
  }
  const admin = await put('admin@demo.test', demo, { mfaEnforced: true })
  t.equal(admin.status, 403, 'ADMINISTRATORS cannot switch MFA enforcement')
  t.same(admin.body, CANNOT_UPDATE)
  for (const id of [other, '00000000-0000-4000-8000-000000000000', 'nope']) {
    const res = await put('owner@demo.test', id, { name: 'Taken over' })
    t.equal(res.status, 403, id)
    t.same(res.body, CANNOT_UPDATE)
  }
  t.equal((await get('owner@other.test', other)).body.data.name, 'Other Org', 'the other organization is unchanged')
  t.equal((await get('owner@demo.test', demo)).body.data.mfaEnforced, false)
  const loner = await put('loner@demo.test', demo, { name: 'x' })
  t.same(loner.body, { success: false, data: null, message: 'User not associated with any organization' })
  const none = await put(undefined, demo, { name: 'x' })
  t.equal(none.status, 401)
  t.same(none.body, NO_AUTH)
})

t.test('PUT /organization/{orgId}: 400 for bad input, in the route envelope, nothing changed', async (t) => {
  const { h, demo, get, put } = await given('shared')
  const cases: [string, unknown, RegExp][] = [
    ['nothing to change', {}, /^Provide at least one of name/],
    ['an empty name', { name: '   ' }, /^name must not be empty$/],
    ['a name too long', { name: 'n'.repeat(201) }, /name/],
    ['a city too long', { city: 'c'.repeat(101) }, /city/],
    ['a control character', { city: 'Spring\u0007field' }, /^city must not contain control characters$/],
    ['a website with spaces', { website: 'https://a b.example' }, /^website must not contain spaces$/],
    [
      'a javascript: website',
      { website: 'javascript:alert(document.cookie)' },
      /^website must be an absolute http:\/\/ or https:\/\/ URL$/,
    ],
    [
      'a data: website',
      { website: 'data:text/html,<script>alert(1)</script>' },
      /^website must be an absolute http:\/\/ or https:\/\/ URL$/,
    ],
    ['a website without a scheme', { website: 'demo.example' }, /^website must be an absolute http:\/\/ or https:\/\/ URL$/],
    ['a website with credentials', { website: 'https://bank.example@evil.example' }, /^website must not contain a user name or password$/],
    ['a name with CR/LF', { name: 'Demo\r\nYour account will be deleted' }, /^name must not contain control characters$/],
    ['a name with a line separator', { name: 'Demo\u2028Org' }, /^name must not contain control characters$/],
    ['a wrong type', { is_business: 'yes' }, /is_business/],
    ['null', { name: null }, /name/],
    ['an unknown field', { domain: 'x.example' }, /^Unknown field: domain$/],
    ['a read-only field', { reposDisabled: true }, /^Unknown field: reposDisabled$/],
  ]
  for (const [name, payload, message] of cases) {
    const res = await put('owner@demo.test', demo, payload)
    t.equal(res.status, 400, name)
    t.match(res.body, { success: false, data: null, message }, name)
  }
  const malformed = await h.call({
    method: 'PUT',
    url: `/organization/${demo}`,
    payload: '{"name":',
    headers: { 'content-type': 'application/json' },
    as: 'owner@demo.test',
  })
  t.equal(malformed.status, 400)
  t.match(malformed.body, { success: false, message: 'Malformed JSON body' })
  t.equal((await get('owner@demo.test', demo)).body.data.name, 'Demo Org')
})

t.test('PUT /organization/{orgId}: text limits count characters, as at register: a stored name saves back', async (t) => {
  const { h } = await given(t)
  const emoji = '\u{1F600}'
  const name = emoji.repeat(150) // 150 characters, 300 UTF-16 units
  const registered = await h.call({
    method: 'POST',
    url: '/user/register',
    payload: {
      email: `emoji-${Date.now()}@example.test`,
      password: 'Emoji-Password-1',
      firstName: 'Emo',
      lastName: 'Ji',
      companyName: name,
      isBusiness: true,
    },
  })
  t.equal(registered.status, 201, 'register accepts 150 emoji')
  const { orgId } = registered.body.user
  const auth = { authorization: `Bearer ${registered.body.accessToken}` }
  const update = (payload: object) => h.call({ method: 'PUT', url: `/organization/${orgId}`, payload, headers: auth })
  let res = await update({ name })
  t.equal(res.status, 200, 'the stored name is saved back')
  t.equal(res.body.data.name, name)
  res = await update({ city: emoji.repeat(100), address1: emoji.repeat(200) })
  t.equal(res.status, 200, 'optional texts count characters too')
  t.equal(res.body.data.city, emoji.repeat(100))
  for (const [payload, message] of [
    [{ name: emoji.repeat(201) }, 'name must be at most 200 characters long'],
    [{ city: emoji.repeat(101) }, 'city must be at most 100 characters long'],
  ] as const) {
    res = await update(payload)
    t.equal(res.status, 400, message)
    t.same(res.body, { success: false, data: null, message }, 'REST: the same words as GraphQL')
    const graphql = await h.call({
      method: 'POST',
      url: '/graphql',
      payload: {
        query: 'mutation($id: ID!, $input: OrganizationUpdateInput!) { updateOrganization(id: $id, input: $input) { name } }',
        variables: { id: orgId, input: payload },
      },
      headers: auth,
    })
    t.equal(graphql.body.errors?.[0]?.message, message, `GraphQL: ${message}`)
  }
})

t.test('GraphQL organization and updateOrganization: the same data and errors', async (t) => {
  const { h, demo, other, get } = await given(t)
  const fields = 'id name domain address1 address2 city zipcode phone state country deletedAt reposDisabled website is_business mfaEnforced'
  const own = await h.graphql(`{ organization { ${fields} } }`, {}, 'user@demo.test')
  t.same(own.body.data.organization, (await get('user@demo.test', demo)).body.data, 'without id: the caller’s own')
  const byId = await h.graphql(`query ($id: ID) { organization(id: $id) { name } }`, { id: demo }, 'user@demo.test')
  t.equal(byId.body.data.organization.name, 'Demo Org')
  const foreign = await h.graphql(`query ($id: ID) { organization(id: $id) { name } }`, { id: other }, 'user@demo.test')
  t.match(foreign.body.errors[0], { message: 'Insufficient permissions to view organization', extensions: { code: 'FORBIDDEN' } })
  const update = 'mutation ($id: ID!, $input: OrganizationUpdateInput!) { updateOrganization(id: $id, input: $input) { name country } }'
  const changed = await h.graphql(update, { id: demo, input: { country: 'DE' } }, 'admin@demo.test')
  t.same(changed.body.data.updateOrganization, { name: 'Demo Org', country: 'DE' })
  const denied = await h.graphql(update, { id: demo, input: { country: 'FR' } }, 'workspaces@demo.test')
  t.match(denied.body.errors[0], { message: 'Insufficient permissions to update organization', extensions: { code: 'FORBIDDEN' } })
  const bad = await h.graphql(update, { id: demo, input: {} }, 'owner@demo.test')
  t.equal(bad.body.errors[0].extensions.code, 'BAD_USER_INPUT')
  const script = await h.graphql(update, { id: demo, input: { website: 'javascript:alert(1)' } }, 'owner@demo.test')
  t.match(script.body.errors[0], { message: 'website must be an absolute http:// or https:// URL', extensions: { code: 'BAD_USER_INPUT' } })
  const anonymous = await h.graphql('{ organization { name } }')
  t.equal(anonymous.body.errors[0].extensions.code, 'UNAUTHENTICATED')
  const loner = await h.graphql('{ organization { name } }', {}, 'loner@demo.test')
  t.match(loner.body.errors[0], { message: 'User not associated with any organization', extensions: { code: 'FORBIDDEN' } })
})

t.test('GraphiQL lists the operations: the schema introspects them, with their descriptions', async (t) => {
  const { h } = await given('shared')
  const res = await h.graphql('{ __schema { queryType { fields { name description } } mutationType { fields { name description } } } }')
  const names = (fields: { name: string; description: string | null }[]) => {
    for (const field of fields) t.ok(field.description, `${field.name} is described`)
    return fields.map((f) => f.name)
  }
  const queries = names(res.body.data.__schema.queryType.fields)
  const mutations = names(res.body.data.__schema.mutationType.fields)
  for (const query of ['sessions', 'organization']) t.ok(queries.includes(query), `query ${query}`)
  for (const mutation of ['revokeSession', 'revokeOtherSessions', 'sessionHeartbeat', 'updateOrganization', 'logout'])
    t.ok(mutations.includes(mutation), `mutation ${mutation}`)
})
