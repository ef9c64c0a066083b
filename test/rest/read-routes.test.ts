// The three read routes, every documented status and message, through real HTTP handling.
import t from 'tap'
import { buildTestApp } from '../helper.js'

const PROFILE_KEYS = [
  'id',
  'name',
  'lastName',
  'email',
  'orgId',
  'orgRole',
  'orgRoleDescription',
  'orgRoles',
  'validated',
  'mfaRequired',
  'isBusiness',
]
const ORG_USER_KEYS = ['id', 'email', 'name', 'lastName', 'orgId', 'orgRole', 'validated', 'deletedAt', 'orgRoleDescription', 'orgRoles']
const NOT_FOUND = { success: false, message: 'User not found' }
const JSON_TYPE = 'application/json; charset=utf-8'

t.test('GET /user/profile', async (t) => {
  const h = await buildTestApp(t)

  t.test('200 for every role, with its name and the roles it includes', async (t) => {
    const cases: [string, number, string, number[]][] = [
      ['user@demo.test', 0, 'USER', [0]],
      ['billing@demo.test', 1, 'BILLING', [0, 1]],
      ['workspaces@demo.test', 2, 'WORKSPACES', [0, 1, 2]],
      ['admin@demo.test', 254, 'ADMINISTRATORS', [0, 1, 2, 254]],
      ['owner@demo.test', 255, 'OWNER', [0, 1, 2, 254, 255]],
    ]
    const demoOrg = await h.db.prisma.organization.findFirstOrThrow({ where: { name: 'Demo Org' } })
    for (const [email, role, name, roles] of cases) {
      const res = await h.call({ method: 'GET', url: '/user/profile', as: email })
      t.equal(res.status, 200)
      t.equal(res.headers['content-type'], JSON_TYPE)
      t.same(Object.keys(res.body), ['success', 'data'])
      t.same(Object.keys(res.body.data), PROFILE_KEYS, 'exactly the documented fields, in order')
      t.match(res.body.data, {
        id: await h.userId(email),
        email,
        orgId: demoOrg.id,
        orgRole: role,
        orgRoleDescription: name,
        validated: true,
        mfaRequired: false,
        isBusiness: false,
      })
      t.same(res.body.data.orgRoles, roles)
    }
  })

  t.test('a user without an organization', async (t) => {
    const res = await h.call({ method: 'GET', url: '/user/profile', as: 'loner@demo.test' })
    t.equal(res.status, 200)
    t.match(res.body.data, { email: 'loner@demo.test', orgId: null, orgRole: null, orgRoleDescription: null })
    t.same(res.body.data.orgRoles, [])
  })

  t.test('404 for a deactivated user and for one that no longer exists', async (t) => {
    let res = await h.call({ method: 'GET', url: '/user/profile', as: 'deleted@demo.test' })
    t.equal(res.status, 404)
    t.same(res.body, NOT_FOUND)
    t.equal(res.headers['content-type'], JSON_TYPE)

    const token = await h.tokenFor('loner@demo.test')
    // A session outlives nothing: keep the token, remove the user by raw SQL as an operator would.
    await h.db.sql.query('ALTER TABLE sessions DROP CONSTRAINT sessions_user_id_fkey')
    await h.db.sql.query(`DELETE FROM users WHERE email = 'loner@demo.test'`)
    res = await h.call({ method: 'GET', url: '/user/profile', headers: { authorization: `Bearer ${token}` } })
    t.equal(res.status, 404)
    t.same(res.body, NOT_FOUND)
  })

  t.test('a role change takes effect on the very next request', async (t) => {
    const token = await h.tokenFor('billing@demo.test')
    await h.db.prisma.user.update({ where: { email: 'billing@demo.test' }, data: { orgRole: 2 } })
    const res = await h.call({ method: 'GET', url: '/user/profile', headers: { authorization: `Bearer ${token}` } })
    t.equal(res.body.data.orgRole, 2)
    t.equal(res.body.data.orgRoleDescription, 'WORKSPACES')
    await h.db.prisma.user.update({ where: { email: 'billing@demo.test' }, data: { orgRole: 1 } })
  })

  t.test('401 without a token', async (t) => {
    const res = await h.call({ method: 'GET', url: '/user/profile' })
    t.equal(res.status, 401)
    t.same(res.body, { success: false, error_code: 'NO_AUTH_USER', message: 'Authentication required' })
    t.equal(res.headers['www-authenticate'], 'Bearer')
  })
})

t.test('GET /user/{userId}', async (t) => {
  const h = await buildTestApp(t)
  const ownerId = await h.userId('owner@demo.test')

  t.test('200: any member reads the role of any member of the same organization', async (t) => {
    for (const caller of ['user@demo.test', 'billing@demo.test', 'owner@demo.test']) {
      const res = await h.call({ method: 'GET', url: `/user/${ownerId}`, as: caller })
      t.equal(res.status, 200)
      t.same(res.body, {
        success: true,
        data: { userId: ownerId, orgRole: 255, orgRoleDescription: 'OWNER', orgRoles: [0, 1, 2, 254, 255] },
      })
    }
    const workspacesId = await h.userId('workspaces@demo.test')
    const res = await h.call({ method: 'GET', url: `/user/${workspacesId}`, as: 'user@demo.test' })
    t.same(res.body.data, { userId: workspacesId, orgRole: 2, orgRoleDescription: 'WORKSPACES', orgRoles: [0, 1, 2] })
  })

  t.test('403 when the caller has no organization', async (t) => {
    const res = await h.call({ method: 'GET', url: `/user/${ownerId}`, as: 'loner@demo.test' })
    t.equal(res.status, 403)
    t.same(res.body, { success: false, message: 'User not associated with any organization' })
  })

  t.test('404 for another organization, a deactivated user, an unknown id and a malformed id', async (t) => {
    const targets = [
      await h.userId('owner@other.test'),
      await h.userId('deleted@demo.test'),
      '00000000-0000-4000-8000-000000000000',
      'not-a-uuid',
      '123',
    ]
    for (const id of targets) {
      const res = await h.call({ method: 'GET', url: `/user/${id}`, as: 'owner@demo.test' })
      t.equal(res.status, 404, id)
      t.same(res.body, NOT_FOUND)
    }
    // the other organization sees nothing of ours either
    const res = await h.call({ method: 'GET', url: `/user/${ownerId}`, as: 'owner@other.test' })
    t.equal(res.status, 404)
  })

  t.test('401 without a token, and for a deactivated caller', async (t) => {
    let res = await h.call({ method: 'GET', url: `/user/${ownerId}` })
    t.equal(res.status, 401)
    t.equal(res.body.error_code, 'NO_AUTH_USER')
    res = await h.call({ method: 'GET', url: `/user/${ownerId}`, as: 'deleted@demo.test' })
    t.equal(res.status, 401)
  })
})

t.test('GET /organization/users/{userId}', async (t) => {
  const h = await buildTestApp(t)
  const userId = await h.userId('user@demo.test')

  t.test('200 for WORKSPACES and above: the user object itself, not wrapped', async (t) => {
    for (const caller of ['workspaces@demo.test', 'admin@demo.test', 'owner@demo.test']) {
      const res = await h.call({ method: 'GET', url: `/organization/users/${userId}`, as: caller })
      t.equal(res.status, 200)
      t.same(Object.keys(res.body), ORG_USER_KEYS, 'exactly the documented fields, in order')
      t.match(res.body, {
        id: userId,
        email: 'user@demo.test',
        name: 'Uma',
        lastName: 'User',
        orgRole: 0,
        validated: true,
        deletedAt: null,
        orgRoleDescription: 'USER',
      })
      t.same(res.body.orgRoles, [0])
    }
  })

  t.test('deactivated users are returned, with deletedAt as an ISO-8601 date-time', async (t) => {
    const res = await h.call({
      method: 'GET',
      url: `/organization/users/${await h.userId('deleted@demo.test')}`,
      as: 'workspaces@demo.test',
    })
    t.equal(res.status, 200)
    t.match(res.body.deletedAt, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/)
  })

  t.test('403 below WORKSPACES, without an organization, and for another organization', async (t) => {
    const forbidden = { success: false, message: 'Insufficient permissions to view users' }
    for (const caller of ['user@demo.test', 'billing@demo.test', 'loner@demo.test']) {
      const res = await h.call({ method: 'GET', url: `/organization/users/${userId}`, as: caller })
      t.equal(res.status, 403, caller)
      t.same(res.body, forbidden)
    }
    const res = await h.call({ method: 'GET', url: `/organization/users/${await h.userId('owner@other.test')}`, as: 'owner@demo.test' })
    t.equal(res.status, 403)
    t.same(res.body, forbidden)
  })

  t.test('404 for an unknown or malformed id', async (t) => {
    for (const id of ['00000000-0000-4000-8000-000000000000', 'nope']) {
      const res = await h.call({ method: 'GET', url: `/organization/users/${id}`, as: 'owner@demo.test' })
      t.equal(res.status, 404)
      t.same(res.body, NOT_FOUND)
    }
  })
})

t.test('500s are the documented envelopes, with nothing internal in them', async (t) => {
  const h = await buildTestApp(t)
  const tokens = {
    owner: await h.tokenFor('owner@demo.test'),
  }
  const userId = await h.userId('user@demo.test')
  await h.db.close()
  const auth = { authorization: `Bearer ${tokens.owner}` }

  let res = await h.call({ method: 'GET', url: '/user/profile', headers: auth })
  t.equal(res.status, 500)
  t.same(res.body, { success: false, message: 'Internal server error', error: 'Database connection failed' })

  res = await h.call({ method: 'GET', url: `/user/${userId}`, headers: auth })
  t.equal(res.status, 500)
  t.same(res.body, { success: false, message: 'Internal server error', error: 'Database connection failed' })

  res = await h.call({ method: 'GET', url: `/organization/users/${userId}`, headers: auth })
  t.equal(res.status, 500)
  t.same(res.body, { success: false, message: 'Internal server error' }, 'this route documents no error field')
})

t.test('a malformed id needs no database round trip', async (t) => {
  const h = await buildTestApp(t)
  const token = await h.tokenFor('owner@demo.test')
  let userQueries = 0
  const counted = h.db.prisma.$extends({
    query: {
      user: {
        async $allOperations({ args, query }) {
          userQueries++
          return query(args)
        },
      },
    },
  })
  // Swap the app's Prisma client for the counting one: the same database, observed.
  Object.defineProperty(h.db, 'prisma', { value: counted })
  for (const url of ['/user/not-a-uuid', '/organization/users/not-a-uuid']) {
    const res = await h.call({ method: 'GET', url, headers: { authorization: `Bearer ${token}` } })
    t.equal(res.status, 404)
  }
  t.equal(userQueries, 0, 'no user lookup for a malformed id')
  const res = await h.call({
    method: 'GET',
    url: '/user/00000000-0000-4000-8000-000000000000',
    headers: { authorization: `Bearer ${token}` },
  })
  t.equal(res.status, 404)
  t.equal(userQueries, 1, 'a well-formed id is looked up')
})

t.test('an unreachable database server is a 500 that says so, and /ready says 503', async (t) => {
  const { openDatabase } = await import('../../src/db/database.js')
  const { buildApp } = await import('../../src/app.js')
  const { testConfig } = await import('../helper.js')
  // Nothing listens on port 9: every connection is refused, as when the server is down.
  const db = await openDatabase({ databaseUrl: 'postgresql://postgres@127.0.0.1:9/none', dataDir: 'memory://', poolSize: 1 })
  const app = await buildApp(testConfig(), { database: db })
  t.teardown(async () => {
    await app.close()
    await db.close()
  })
  const token = app.accessTokens.issue('00000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-000000000002').accessToken
  const res = await app.inject({ method: 'GET', url: '/user/profile', headers: { authorization: `Bearer ${token}` } })
  t.equal(res.statusCode, 500)
  t.same(res.json(), { success: false, message: 'Internal server error', error: 'Database connection failed' })
  t.equal((await app.inject({ method: 'GET', url: '/ready' })).statusCode, 503)
})
