// GraphQL over HTTP: media types, request-error statuses, no data entry on request errors, integer list indices in paths.
import t from 'tap'
import Fastify from 'fastify'
import { makeExecutableSchema } from '@graphql-tools/schema'
import { buildTestApp } from '../helper.js'
import { graphqlHttp } from '../../src/edge/graphqlHttp.js'
import { registerEngine } from '../../src/graphql/engine.js'
import { GatewayError } from '../../src/graphql/errors.js'

const GRAPHQL_RESPONSE = 'application/graphql-response+json'

t.test('media types and statuses', async (t) => {
  const h = await buildTestApp(t)
  const post = (payload: unknown, accept?: string, as?: string) =>
    h.call({ method: 'POST', url: '/graphql', payload: payload as object, headers: accept ? { accept } : {}, as })

  t.test('Accept picks the response media type; application/json without Accept', async (t) => {
    const cases: [string | undefined, string][] = [
      [undefined, 'application/json'],
      ['*/*', 'application/json'],
      ['application/json', 'application/json'],
      [GRAPHQL_RESPONSE, GRAPHQL_RESPONSE],
      [`${GRAPHQL_RESPONSE}, application/json`, GRAPHQL_RESPONSE],
      [`application/json, ${GRAPHQL_RESPONSE};q=0.5`, 'application/json'],
      [`${GRAPHQL_RESPONSE};q=0.9, application/json;q=0.8`, GRAPHQL_RESPONSE],
    ]
    for (const [accept, type] of cases) {
      const res = await post({ query: '{ __typename }' }, accept)
      t.equal(res.status, 200, String(accept))
      t.equal(res.headers['content-type'], `${type}; charset=utf-8`, String(accept))
      t.same(res.body, { data: { __typename: 'Query' } })
    }
  })

  t.test('request errors: no data entry; 200 in application/json, 400 in graphql-response+json, on every run', async (t) => {
    const cases: [string, object][] = [
      ['parse', { query: '{ me { id ' }],
      ['validation', { query: '{ me { password } }' }],
      ['coercion', { query: 'query ($id: ID!) { user(id: $id) { userId } }', variables: { id: { nested: true } } }],
      ['missing variable', { query: 'query ($id: ID!) { user(id: $id) { userId } }' }],
      ['a syntax tree as text', { query: JSON.stringify({ kind: 'Document', definitions: [{ kind: 'OperationDefinition' }] }) }],
    ]
    for (const [what, payload] of cases) {
      for (let run = 1; run <= 3; run++) {
        const json = await post(payload, undefined, 'owner@demo.test')
        t.equal(json.status, 200, `${what}, application/json, run ${run}`)
        t.notOk('data' in json.body, `${what}: no data entry`)
        t.equal(json.body.errors[0].extensions.code, 'BAD_USER_INPUT', `${what}, run ${run}`)
        const strict = await post(payload, GRAPHQL_RESPONSE, 'owner@demo.test')
        t.equal(strict.status, 400, `${what}, graphql-response+json, run ${run}`)
        t.notOk('data' in strict.body)
        t.same(strict.body.errors, json.body.errors, `${what}: one classification, run ${run}`)
      }
    }
  })

  t.test('bad parameters are 400 in both media types', async (t) => {
    for (const payload of [{ query: 7 }, { variables: {} }, [{ query: '{ __typename }' }], { query: '{ __typename }', variables: [] }]) {
      for (const accept of [undefined, GRAPHQL_RESPONSE]) {
        const res = await post(payload, accept)
        t.equal(res.status, 400, JSON.stringify(payload))
        t.equal(res.body.errors[0].extensions.code, 'BAD_USER_INPUT')
      }
    }
    const malformed = await h.call({
      method: 'POST',
      url: '/graphql',
      headers: { 'content-type': 'application/json' },
      payload: '{"query": ',
    })
    t.equal(malformed.status, 400)
    t.equal(malformed.body.errors[0].extensions.code, 'BAD_USER_INPUT')
    const badJson = await h.call({ method: 'GET', url: '/graphql?query={__typename}&variables={' })
    t.equal(badJson.status, 400)
  })

  t.test('extensions: null and variables: null are accepted', async (t) => {
    const res = await post({ query: '{ __typename }', extensions: null, variables: null, operationName: null }, GRAPHQL_RESPONSE)
    t.equal(res.status, 200)
    t.same(res.body, { data: { __typename: 'Query' } })
  })

  t.test('application/graphql bodies are accepted', async (t) => {
    const res = await h.call({
      method: 'POST',
      url: '/graphql',
      headers: { 'content-type': 'application/graphql' },
      payload: '{ __typename }',
    })
    t.same(res.body, { data: { __typename: 'Query' } })
  })

  t.test('deep nesting and huge lists of fields are request errors, never an internal message', async (t) => {
    const deep = '{ me ' + '{ id '.repeat(5000) + '}'.repeat(5001)
    for (let run = 1; run <= 3; run++) {
      const res = await post({ query: deep }, GRAPHQL_RESPONSE, 'owner@demo.test')
      t.equal(res.status, 400, `run ${run}`)
      t.equal(res.body.errors[0].extensions.code, 'BAD_USER_INPUT')
      t.notMatch(res.body.errors[0].message, /call stack|Cannot read|undefined/)
    }
  })
})

t.test('list indices in error paths are integers, and unexpected errors are masked', async (t) => {
  // A schema whose list items fail: the gateway's own schema has no list field that can fail per item.
  const schema = makeExecutableSchema({
    typeDefs: 'type Query { items: [Item] } type Item { name: String }',
    resolvers: {
      Query: { items: () => [{ n: 'a' }, { n: 'b' }] },
      Item: {
        name: (item: { n: string }) => {
          if (item.n === 'b') throw new Error('secret detail at /work/db')
          return item.n
        },
      },
    },
  })
  const app = Fastify()
  app.decorateRequest('auth', { getter: () => ({ status: 'none' as const }) })
  await registerEngine(app, { schema, introspection: true })
  await app.register(graphqlHttp, { introspection: true })
  t.teardown(() => app.close())
  const res = await app.inject({ method: 'POST', url: '/graphql', payload: { query: '{ items { name } }' } })
  t.equal(res.statusCode, 200)
  t.match(res.body, /"path":\["items",1,"name"\]/, 'the index is a JSON number')
  t.same(res.json(), {
    data: { items: [{ name: 'a' }, { name: null }] },
    errors: [
      {
        message: 'Internal server error',
        locations: [{ line: 1, column: 11 }],
        path: ['items', 1, 'name'],
        extensions: { code: 'INTERNAL_SERVER_ERROR', category: 'Unexpected error' },
      },
    ],
  })
})

t.test('document checks (the seam for cost limits) refuse before validation, with their own extensions, on every run', async (t) => {
  const schema = makeExecutableSchema({ typeDefs: 'type Query { a: Int }', resolvers: { Query: { a: () => 1 } } })
  const checked = { accepted: 0, refused: 0 }
  const documentChecks = [
    async (_schema: unknown, document: { definitions: readonly unknown[] }) => {
      checked[document.definitions.length > 1 ? 'refused' : 'accepted']++
      if (document.definitions.length > 1)
        throw new GatewayError('BAD_USER_INPUT', 'Too many definitions', { reason: 'TEST_LIMIT' } as never)
    },
  ]
  const app = Fastify()
  app.decorateRequest('auth', { getter: () => ({ status: 'none' as const }) })
  await registerEngine(app, { schema, introspection: true, documentChecks })
  await app.register(graphqlHttp, { introspection: true })
  t.teardown(() => app.close())
  for (let run = 1; run <= 3; run++) {
    const res = await app.inject({ method: 'POST', url: '/graphql', payload: { query: 'query X { a } query Y { a }', operationName: 'X' } })
    t.same(
      res.json(),
      { errors: [{ message: 'Too many definitions', extensions: { code: 'BAD_USER_INPUT', reason: 'TEST_LIMIT' } }] },
      `run ${run}`,
    )
    const ok = await app.inject({ method: 'POST', url: '/graphql', payload: { query: '{ a }' } })
    t.same(ok.json(), { data: { a: 1 } })
  }
  // mercurius keeps parsed texts once they validated (and validation failures): an accepted text is checked
  // once; a refused one at each run (costCheck keeps its verdicts by text, so the measure is not repeated).
  t.same(checked, { accepted: 1, refused: 3 })
})
