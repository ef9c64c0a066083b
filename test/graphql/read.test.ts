// The same reads over GraphQL: same data as REST, errors with extensions.code, nothing internal shown.
import t from 'tap'
import { getIntrospectionQuery } from 'graphql'
import { buildTestApp } from '../helper.js'

t.test('GraphQL reads', async (t) => {
  const h = await buildTestApp(t)
  const userId = await h.userId('user@demo.test')
  const ownerId = await h.userId('owner@demo.test')

  t.test('me, user(id) and organizationUser(id) return exactly what the REST routes return', async (t) => {
    for (const as of ['owner@demo.test', 'user@demo.test', 'loner@demo.test']) {
      const gql = await h.graphql(
        '{ me { id name lastName email orgId orgRole orgRoleDescription orgRoles validated mfaRequired isBusiness } }',
        {},
        as,
      )
      const rest = await h.call({ method: 'GET', url: '/user/profile', as })
      t.equal(gql.status, 200)
      t.same(gql.body, { data: { me: rest.body.data } }, `me of ${as}`)
    }
    let gql = await h.graphql(
      'query ($id: ID!) { user(id: $id) { userId orgRole orgRoleDescription orgRoles } }',
      { id: ownerId },
      'user@demo.test',
    )
    let rest = await h.call({ method: 'GET', url: `/user/${ownerId}`, as: 'user@demo.test' })
    t.same(gql.body.data.user, rest.body.data)
    gql = await h.graphql(
      'query ($id: ID!) { organizationUser(id: $id) { id email name lastName orgId orgRole validated deletedAt orgRoleDescription orgRoles } }',
      { id: await h.userId('deleted@demo.test') },
      'owner@demo.test',
    )
    rest = await h.call({ method: 'GET', url: `/organization/users/${await h.userId('deleted@demo.test')}`, as: 'owner@demo.test' })
    t.same(gql.body.data.organizationUser, rest.body)
    t.type(gql.body.data.organizationUser.deletedAt, 'string')
  })

  t.test('a selection returns only what it asks for', async (t) => {
    const res = await h.graphql('{ me { email orgRoleDescription } }', {}, 'workspaces@demo.test')
    t.same(res.body, { data: { me: { email: 'workspaces@demo.test', orgRoleDescription: 'WORKSPACES' } } })
  })

  t.test('errors carry extensions.code and the documented message', async (t) => {
    const cases: [string, Record<string, unknown>, string | undefined, string, string][] = [
      ['{ me { id } }', {}, undefined, 'UNAUTHENTICATED', 'Authentication required'],
      ['{ me { id } }', {}, 'deleted@demo.test', 'NOT_FOUND', 'User not found'],
      [
        'query ($id: ID!) { user(id: $id) { userId } }',
        { id: ownerId },
        'loner@demo.test',
        'FORBIDDEN',
        'User not associated with any organization',
      ],
      [
        'query ($id: ID!) { user(id: $id) { userId } }',
        { id: await h.userId('owner@other.test') },
        'owner@demo.test',
        'NOT_FOUND',
        'User not found',
      ],
      [
        'query ($id: ID!) { organizationUser(id: $id) { id } }',
        { id: userId },
        'billing@demo.test',
        'FORBIDDEN',
        'Insufficient permissions to view users',
      ],
      ['query ($id: ID!) { organizationUser(id: $id) { id } }', { id: 'x' }, 'owner@demo.test', 'NOT_FOUND', 'User not found'],
    ]
    for (const [query, variables, as, code, message] of cases) {
      const res = await h.graphql(query, variables, as)
      t.equal(res.status, 200, 'execution errors keep HTTP 200 (GraphQL over HTTP)')
      t.equal(res.body.data, null)
      t.equal(res.body.errors.length, 1)
      t.equal(res.body.errors[0].extensions.code, code, `${code} for ${as}`)
      t.equal(res.body.errors[0].message, message)
    }
  })

  t.test('a malformed query or wrong variables are BAD_USER_INPUT with 400', async (t) => {
    for (const [query, variables] of [
      ['{ me { id ', {}],
      ['{ me { password } }', {}],
      ['query ($id: ID!) { user(id: $id) { userId } }', {}],
      ['query ($id: ID!) { user(id: $id) { userId } }', { id: { nested: true } }],
    ] as const) {
      const res = await h.graphql(query, variables, 'owner@demo.test')
      t.equal(res.status, 400, query)
      t.equal(res.body.errors[0].extensions.code, 'BAD_USER_INPUT')
    }
    const res = await h.call({ method: 'POST', url: '/graphql', headers: { 'content-type': 'application/json' }, payload: '{"query": ' })
    t.equal(res.status, 400)
    t.equal(res.body.errors[0].extensions.code, 'BAD_USER_INPUT')
  })

  t.test('the depth limit holds, through fragments too, while GraphiQL introspection passes', async (t) => {
    const ok = await h.graphql(getIntrospectionQuery(), {})
    t.equal(ok.status, 200)
    t.ok(ok.body.data.__schema.types.length > 5)
    const deep = `{ __schema { types { fields { type { fields { type { fields { type { fields { type { fields { type { fields { type { name } } } } } } } } } } } } } } }`
    let res = await h.graphql(deep, {})
    t.equal(res.status, 400)
    t.match(res.body.errors[0].message, /depth/)
    t.equal(res.body.errors[0].extensions.code, 'BAD_USER_INPUT')
    const nested = (levels: number) => 'fields { type { '.repeat(levels) + 'name' + ' } }'.repeat(levels)
    const viaFragments = `{ __schema { ...A } }
      fragment A on __Schema { types { ...B } }
      fragment B on __Type { ${nested(7)} }`
    res = await h.graphql(viaFragments, {})
    t.equal(res.status, 400)
    t.match(res.body.errors[0].message, /depth/)
  })

  t.test('unexpected errors are masked', async (t) => {
    const token = await h.tokenFor('owner@demo.test')
    await h.db.sql.exec('ALTER TABLE users RENAME COLUMN validated TO validated_renamed')
    t.teardown(() => h.db.sql.exec('ALTER TABLE users RENAME COLUMN validated_renamed TO validated'))
    const res = await h.call({
      method: 'POST',
      url: '/graphql',
      headers: { authorization: `Bearer ${token}` },
      payload: { query: '{ me { id } }' },
    })
    t.equal(res.body.data, null)
    t.equal(res.body.errors[0].message, 'Internal server error')
    t.equal(res.body.errors[0].extensions.code, 'INTERNAL_SERVER_ERROR')
    const text = JSON.stringify(res.body)
    for (const leak of ['validated', 'does not exist', 'SELECT', 'users', '/work', 'at '])
      t.notOk(text.includes(leak), `no "${leak}" in ${text}`)
  })
})
