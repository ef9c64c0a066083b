// GET/POST/PUT/DELETE /settings/user and /settings/organization, and the same operations over GraphQL.
import t from 'tap'
import { buildTestApp } from '../helper.js'

const h = await buildTestApp(t)
type Method = 'GET' | 'POST' | 'PUT' | 'DELETE'
const call = (method: Method, url: string, as: string | undefined, payload?: unknown) =>
  h.call({ method, url, as, ...(payload !== undefined && { payload: payload as object }) })
const NO_AUTH = { success: false, error_code: 'NO_AUTH_USER', message: 'Authentication required' }
const auditsOf = (action: string) => h.db.prisma.auditEvent.findMany({ where: { action }, orderBy: { createdAt: 'asc' } })

t.test('user settings: get {} at first, replace, partial update, delete keys', async (t) => {
  const as = 'billing@demo.test'
  const empty = await call('GET', '/settings/user', as)
  t.equal(empty.status, 200)
  t.equal(empty.headers['content-type'], 'application/json; charset=utf-8')
  t.same(empty.body, { success: true, settings: {} })

  const settings = { theme: 'dark', layout: { columns: [1, 2, { wide: true }], compact: null }, count: 3.5, on: false }
  const saved = await call('POST', '/settings/user', as, { settings })
  t.equal(saved.status, 200)
  t.same(saved.body, { success: true, message: 'Settings saved successfully' })
  t.same((await call('GET', '/settings/user', as)).body, { success: true, settings }, 'stored as given, nested values and null kept')

  const patched = await call('PUT', '/settings/user', as, { theme: 'light', language: 'en', on: null })
  t.same(patched.body, { success: true, message: 'Settings updated successfully' })
  t.same((await call('GET', '/settings/user', as)).body.settings, { ...settings, theme: 'light', language: 'en', on: null })

  const deleted = await call('DELETE', '/settings/user', as, { keys: ['layout', 'count', 'never-set'] })
  t.same(deleted.body, { success: true, message: 'Settings deleted successfully' })
  t.same((await call('GET', '/settings/user', as)).body.settings, { theme: 'light', on: null, language: 'en' })

  const replaced = await call('POST', '/settings/user', as, { settings: { only: 1 } })
  t.equal(replaced.status, 200)
  t.same((await call('GET', '/settings/user', as)).body.settings, { only: 1 }, 'POST replaces everything')

  t.same((await call('GET', '/settings/user', 'user@demo.test')).body.settings, {}, "another user's settings are their own")
})

t.test('user settings: every change is audited with the keys it touched, never the values', async (t) => {
  const as = 'workspaces@demo.test'
  const id = await h.userId(as)
  await call('POST', '/settings/user', as, { settings: { secretish: 'value-1', keep: 1 } })
  await call('PUT', '/settings/user', as, { secretish: 'value-2', keep: 1 })
  await call('DELETE', '/settings/user', as, { keys: ['secretish'] })
  await call('DELETE', '/settings/user', as, { keys: ['not-there'] })
  const events = await h.db.prisma.auditEvent.findMany({
    where: { actorId: id, action: { startsWith: 'settings.user.' } },
    orderBy: { createdAt: 'asc' },
  })
  t.same(
    events.map((e) => [e.action, e.targetId, e.changes]),
    [
      ['settings.user.replaced', id, { 'settings.secretish': 'changed', 'settings.keep': 'changed' }],
      ['settings.user.updated', id, { 'settings.secretish': 'changed' }],
      ['settings.user.deleted', id, { 'settings.secretish': 'changed' }],
    ],
    'a change without effect records nothing',
  )
  t.notOk(JSON.stringify(events).includes('value-'), 'values never reach the audit log')
})

t.test('organization settings: members read, ADMINISTRATORS and OWNER write', async (t) => {
  const saved = await call('POST', '/settings/organization', 'admin@demo.test', { settings: { region: 'eu', retention: { days: 30 } } })
  t.equal(saved.status, 200)
  t.same(saved.body, { success: true, message: 'Settings saved successfully' })
  for (const as of ['user@demo.test', 'billing@demo.test', 'workspaces@demo.test', 'admin@demo.test', 'owner@demo.test']) {
    const read = await call('GET', '/settings/organization', as)
    t.equal(read.status, 200, as)
    t.same(read.body, { success: true, settings: { region: 'eu', retention: { days: 30 } } }, as)
  }
  t.same((await call('GET', '/settings/organization', 'owner@other.test')).body.settings, {}, "another organization's are its own")

  const FORBIDDEN = { success: false, message: 'Insufficient permissions to update organization settings' }
  for (const as of ['user@demo.test', 'billing@demo.test', 'workspaces@demo.test']) {
    for (const [method, payload] of [
      ['POST', { settings: { region: 'us' } }],
      ['PUT', { region: 'us' }],
      ['DELETE', { keys: ['region'] }],
    ] as const) {
      const res = await call(method, '/settings/organization', as, payload)
      t.equal(res.status, 403, `${as} ${method}`)
      t.same(res.body, FORBIDDEN)
    }
  }
  t.same((await call('GET', '/settings/organization', 'owner@demo.test')).body.settings.region, 'eu', 'nothing changed')

  t.equal((await call('PUT', '/settings/organization', 'owner@demo.test', { region: 'us' })).status, 200)
  t.equal((await call('DELETE', '/settings/organization', 'admin@demo.test', { keys: ['retention'] })).status, 200)
  t.same((await call('GET', '/settings/organization', 'user@demo.test')).body.settings, { region: 'us' })

  const orgId = (await h.db.prisma.user.findUniqueOrThrow({ where: { email: 'owner@demo.test' } })).orgId
  const events = [
    ...(await auditsOf('settings.organization.replaced')),
    ...(await auditsOf('settings.organization.updated')),
    ...(await auditsOf('settings.organization.deleted')),
  ]
  t.same(
    events.map((e) => [e.action, e.orgId, e.targetId, e.changes]),
    [
      ['settings.organization.replaced', orgId, null, { 'settings.region': 'changed', 'settings.retention': 'changed' }],
      ['settings.organization.updated', orgId, null, { 'settings.region': 'changed' }],
      ['settings.organization.deleted', orgId, null, { 'settings.retention': 'changed' }],
    ],
  )
})

t.test('organization settings: 403 without an organization; 401 without a token, for every route', async (t) => {
  const NONE = { success: false, message: 'User not associated with any organization' }
  const read = await call('GET', '/settings/organization', 'loner@demo.test')
  t.equal(read.status, 403)
  t.same(read.body, NONE)
  const write = await call('PUT', '/settings/organization', 'loner@demo.test', { a: 1 })
  t.equal(write.status, 403)
  t.same(write.body, NONE)
  t.equal((await call('PUT', '/settings/user', 'loner@demo.test', { a: 1 })).status, 200, 'own settings need no organization')
  for (const url of ['/settings/user', '/settings/organization']) {
    for (const [method, payload] of [
      ['GET', undefined],
      ['POST', { settings: {} }],
      ['PUT', { a: 1 }],
      ['DELETE', { keys: ['a'] }],
    ] as const) {
      const res = await call(method, url, undefined, payload)
      t.equal(res.status, 401, `${method} ${url}`)
      t.same(res.body, NO_AUTH)
    }
  }
  t.equal((await call('GET', '/settings/user', 'deleted@demo.test')).status, 401, 'a deactivated user reads nothing')
})

t.test('limits: size, depth, keys; bad bodies are 400 with a clear message and change nothing', async (t) => {
  const as = 'owner@demo.test'
  await call('POST', '/settings/user', as, { settings: { kept: true } })
  let deep: unknown = 'leaf'
  for (let i = 0; i < 9; i++) deep = { d: deep }
  const deepSettings = deep as Record<string, unknown> // 9 levels
  t.equal((await call('POST', '/settings/user', as, { settings: deepSettings.d })).status, 200, '8 levels are fine')
  await call('POST', '/settings/user', as, { settings: { kept: true } })
  const cases: [Method, unknown, string][] = [
    ['POST', { settings: deepSettings }, 'Settings may be nested at most 8 levels deep'],
    ['PUT', deepSettings, 'Settings may be nested at most 8 levels deep'],
    ['POST', { settings: { big: 'x'.repeat(16 * 1024) } }, 'Settings may take at most 16384 bytes as JSON'],
    ['POST', { settings: Object.fromEntries(Array.from({ length: 101 }, (_, i) => [`k${i}`, i])) }, 'Settings may have at most 100 keys'],
    ['POST', { settings: { ['k'.repeat(101)]: 1 } }, 'Setting keys must be at most 100 characters'],
    ['PUT', { '': 1 }, 'Setting keys must not be empty'],
    ['PUT', {}, 'Provide at least one setting to update'],
    ['DELETE', { keys: [] }, 'keys must name at least one setting'],
    ['DELETE', { keys: Array.from({ length: 101 }, (_, i) => `k${i}`) }, 'keys may name at most 100 settings'],
    ['POST', { settings: [1, 2] }, 'settings must be an object'],
    ['POST', { settings: 'dark' }, 'settings must be an object'],
    ['POST', {}, 'Missing required field: settings'],
    ['POST', { settings: {}, extra: 1 }, 'Unknown field: extra'],
    ['PUT', [1], 'body must be an object'],
    ['DELETE', { keys: 'theme' }, 'keys must be an array'],
    ['DELETE', { keys: [1] }, 'keys.0 must be a string'],
  ]
  for (const [method, payload, message] of cases) {
    const res = await call(method, '/settings/user', as, payload)
    t.equal(res.status, 400, `${method} ${message}`)
    t.same(res.body, { success: false, message }, `${method} ${message}`)
  }
  // Filling up through partial updates: the limits apply to the result, not only to the request.
  const half = { a: 'x'.repeat(9000) }
  t.equal((await call('PUT', '/settings/user', as, half)).status, 200)
  const over = await call('PUT', '/settings/user', as, { b: 'y'.repeat(9000) })
  t.equal(over.status, 400)
  t.same(over.body, { success: false, message: 'Settings may take at most 16384 bytes as JSON' })
  t.same(
    Object.keys((await call('GET', '/settings/user', as)).body.settings).sort(),
    ['a', 'kept'],
    'the refused update left nothing behind',
  )
  const malformed = await h.call({
    method: 'PUT',
    url: '/settings/user',
    as,
    headers: { 'content-type': 'application/json' },
    payload: '{"theme":',
  })
  t.equal(malformed.status, 400)
  t.same(malformed.body, { success: false, message: 'Malformed JSON body' })
})

t.test('concurrent partial updates of one user all land (row lock, no lost update)', async (t) => {
  const as = 'admin@demo.test'
  await call('POST', '/settings/user', as, { settings: {} })
  const results = await Promise.all(Array.from({ length: 8 }, (_, i) => call('PUT', '/settings/user', as, { [`k${i}`]: i })))
  t.same(
    results.map((r) => r.status),
    Array(8).fill(200),
  )
  const stored = (await call('GET', '/settings/user', as)).body.settings
  t.same(Object.keys(stored).sort(), ['k0', 'k1', 'k2', 'k3', 'k4', 'k5', 'k6', 'k7'])
})

t.test('GraphQL: the same operations, errors with extensions.code', async (t) => {
  const as = 'owner@other.test'
  const saved = await h.graphql('mutation { replaceUserSettings(settings: { theme: "dark", n: [1, 2] }) { success message } }', {}, as)
  t.same(saved.body, { data: { replaceUserSettings: { success: true, message: 'Settings saved successfully' } } })
  const updated = await h.graphql(
    'mutation($s: JSONObject!) { updateUserSettings(settings: $s) { success } }',
    { s: { theme: 'light' } },
    as,
  )
  t.same(updated.body.data, { updateUserSettings: { success: true } })
  const read = await h.graphql('{ userSettings organizationSettings }', {}, as)
  t.same(read.body, { data: { userSettings: { theme: 'light', n: [1, 2] }, organizationSettings: {} } })
  const removed = await h.graphql('mutation { deleteUserSettings(keys: ["n"]) { message } }', {}, as)
  t.same(removed.body.data, { deleteUserSettings: { message: 'Settings deleted successfully' } })

  const forbidden = await h.graphql('mutation { updateOrganizationSettings(settings: { a: 1 }) { success } }', {}, 'user@demo.test')
  t.equal(forbidden.body.errors[0].extensions.code, 'FORBIDDEN')
  t.equal(forbidden.body.errors[0].message, 'Insufficient permissions to update organization settings')
  const tooMany = await h.graphql(
    'mutation($k: [String!]!) { deleteOrganizationSettings(keys: $k) { success } }',
    { k: [] },
    'owner@demo.test',
  )
  t.equal(tooMany.body.errors[0].extensions.code, 'BAD_USER_INPUT')
  const anonymous = await h.graphql('{ userSettings }')
  t.equal(anonymous.body.errors[0].extensions.code, 'UNAUTHENTICATED')
})
