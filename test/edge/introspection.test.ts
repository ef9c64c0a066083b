// Production defaults: no introspection and no "Did you mean …" suggestions; development keeps both for GraphiQL.
import t from 'tap'
import { getIntrospectionQuery } from 'graphql'
import { buildTestApp } from '../helper.js'

const SUGGESTED = '{ me { emial } }'

t.test('production: __schema refused, __type describes nothing, no suggestions', async (t) => {
  const h = await buildTestApp(t, { NODE_ENV: 'production', LOG_LEVEL: 'silent' })
  t.equal(h.config.graphqlIntrospection, false)
  for (let run = 1; run <= 3; run++) {
    const full = await h.graphql(getIntrospectionQuery())
    t.equal(full.status, 200, `run ${run}`)
    t.notOk('data' in full.body)
    t.equal(full.body.errors[0].extensions.code, 'BAD_USER_INPUT')
    t.match(full.body.errors[0].message, /Introspection is disabled/)
    const type = await h.graphql('{ __type(name: "Mutation") { name fields { name } } }')
    t.same(type.body, { data: { __type: null } }, `__type answers null, run ${run}`)
    const variable = await h.graphql('query ($n: String!) { __type(name: $n) { name } }', { n: 'Query' })
    t.same(variable.body, { data: { __type: null } })
    const typo = await h.graphql(SUGGESTED, {}, 'owner@demo.test')
    t.equal(typo.body.errors[0].message, 'Cannot query field "emial" on type "Profile".', `run ${run}`)
    const typename = await h.graphql('{ __typename }')
    t.same(typename.body, { data: { __typename: 'Query' } })
  }
  const coercion = await h.graphql(
    'mutation ($i: UserUpdateInput!) { updateUser(id: "x", input: $i) { success } }',
    { i: { nmae: 'x' } },
    'owner@demo.test',
  )
  t.notMatch(coercion.body.errors[0].message, /Did you mean/)
})

t.test('GRAPHQL_INTROSPECTION=true turns both back on in production', async (t) => {
  const h = await buildTestApp(t, { NODE_ENV: 'production', LOG_LEVEL: 'silent', GRAPHQL_INTROSPECTION: 'true' })
  const full = await h.graphql(getIntrospectionQuery())
  t.ok(full.body.data.__schema.types.length > 5)
})

t.test('development: introspection and suggestions on (GraphiQL works)', async (t) => {
  const h = await buildTestApp(t, { NODE_ENV: 'development', LOG_LEVEL: 'silent' })
  t.equal(h.config.graphqlIntrospection, true)
  const full = await h.graphql(getIntrospectionQuery())
  t.ok(full.body.data.__schema.types.length > 5)
  const type = await h.graphql('{ __type(name: "Query") { name } }')
  t.same(type.body, { data: { __type: { name: 'Query' } } })
  const typo = await h.graphql(SUGGESTED, {}, 'owner@demo.test')
  t.match(typo.body.errors[0].message, /Did you mean "email"\?/)
  const off = await buildTestApp(t, { NODE_ENV: 'development', LOG_LEVEL: 'silent', GRAPHQL_INTROSPECTION: 'false' })
  const refused = await off.graphql('{ __schema { queryType { name } } }')
  t.match(refused.body.errors[0].message, /Introspection is disabled/)
})
