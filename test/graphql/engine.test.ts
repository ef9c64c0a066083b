// The one execution path (src/graphql/engine.ts): mercurius' defects worked around in one place, each
// text run 1 to 5 times (mercurius caches a text at run 1 and compiles it at run 2), and the compile policy.
import t from 'tap'
import Fastify from 'fastify'
import { makeExecutableSchema } from '@graphql-tools/schema'
import { parse } from 'graphql'
import { registerEngine, runOperation } from '../../src/graphql/engine.js'
import { mayCompile } from '../../src/edge/cost.js'
import { graphqlHttp } from '../../src/edge/graphqlHttp.js'

const RUNS = 5

/** A small app on the engine; `compiled` records, per resolver call, whether graphql-jit's compiled code called it. */
async function engineApp(t: { teardown(fn: () => unknown): void }, introspection = true) {
  const compiled: boolean[] = []
  const calledFromJit = () => /graphql-jit/.test(new Error().stack ?? '')
  const schema = makeExecutableSchema({
    typeDefs: `type Query { a: Int, b: Int, n(x: Int!): Int, items: [Item], echo(e: Color): Color }
      type Mutation { set(v: Int!): Int }
      type Item { name: String }
      enum Color { RED GREEN }`,
    resolvers: {
      Query: {
        a: () => (compiled.push(calledFromJit()), 1),
        b: () => (compiled.push(calledFromJit()), 2),
        n: (_: unknown, { x }: { x: number }) => x,
        items: () => [{ n: 'a' }, { n: 'b' }],
        echo: (_: unknown, { e }: { e: string }) => e,
      },
      Mutation: { set: (_: unknown, { v }: { v: number }) => v },
      Item: {
        name: (item: { n: string }) => {
          if (item.n === 'b') throw new Error('secret detail')
          return item.n
        },
      },
    },
  })
  const app = Fastify()
  app.decorateRequest('auth', { getter: () => ({ status: 'none' as const }) })
  await registerEngine(app, { schema, introspection, mayCompile })
  await app.register(graphqlHttp, { introspection })
  app.get('/rest-like', (request, reply) => runOperation(reply, { source: '{ a }' }, { request }))
  t.teardown(() => app.close())
  const post = (payload: object) => app.inject({ method: 'POST', url: '/graphql', payload })
  const get = (params: Record<string, string>) => app.inject({ method: 'GET', url: `/graphql?${new URLSearchParams(params)}` })
  return { app, compiled, post, get }
}

t.test('a text with several operations runs the operation it names on runs 1-5 (mercurius compiles by text alone)', async (t) => {
  const { post, get, compiled } = await engineApp(t)
  const text = 'query A { a } query B { b }'
  for (let run = 1; run <= RUNS; run++) {
    t.same((await post({ query: text, operationName: 'A' })).json(), { data: { a: 1 } }, `POST A, run ${run}`)
    t.same((await post({ query: text, operationName: 'B' })).json(), { data: { b: 2 } }, `POST B, run ${run}`)
    t.same((await get({ query: text, operationName: 'B' })).json(), { data: { b: 2 } }, `GET B, run ${run}`)
    t.same((await get({ query: text, operationName: 'A' })).json(), { data: { a: 1 } }, `GET A, run ${run}`)
  }
  t.notOk(compiled.some(Boolean), 'never compiled: always interpreted with its operationName')
})

t.test('a single-operation text is compiled from its second run, and keeps refusing other names', async (t) => {
  const { post, app, compiled } = await engineApp(t)
  for (let run = 1; run <= RUNS; run++) {
    t.same((await post({ query: 'query A { a }' })).json(), { data: { a: 1 } }, `run ${run}`)
    const other = await post({ query: 'query A { a }', operationName: 'Z' })
    t.same(other.json(), { errors: [{ message: 'Unknown operation named "Z".', extensions: { code: 'BAD_USER_INPUT' } }] }, `Z, run ${run}`)
  }
  t.same(compiled, [false, true, true, true, true], 'interpreted once, then compiled')
  compiled.length = 0
  for (let run = 1; run <= RUNS; run++) t.equal((await app.inject({ url: '/rest-like' })).json().data.a, 1)
  t.same(compiled.slice(1), [true, true, true, true], 'a REST-like caller of runOperation shares the policy')
})

t.test('GET naming no operation of its text: a request error on runs 1-5, never a TypeError', async (t) => {
  const { get } = await engineApp(t)
  for (let run = 1; run <= RUNS; run++) {
    const unknown = await get({ query: 'query A { a } query B { b }', operationName: 'C' })
    t.equal(unknown.statusCode, 200, `unknown, run ${run}`)
    t.same(unknown.json(), { errors: [{ message: 'Unknown operation named "C".', extensions: { code: 'BAD_USER_INPUT' } }] })
    const none = await get({ query: 'query A { a } query B { b }' })
    t.same(none.json(), {
      errors: [{ message: 'Must provide operation name if query contains multiple operations.', extensions: { code: 'BAD_USER_INPUT' } }],
    })
    const single = await get({ query: '{ a }', operationName: 'X' })
    t.same(single.json(), { errors: [{ message: 'Unknown operation named "X".', extensions: { code: 'BAD_USER_INPUT' } }] })
  }
})

t.test('no mutation over GET or HEAD, on runs 1-5', async (t) => {
  const { app } = await engineApp(t)
  for (let run = 1; run <= RUNS; run++) {
    for (const method of ['GET', 'HEAD'] as const) {
      const res = await app.inject({ method, url: `/graphql?${new URLSearchParams({ query: 'mutation { set(v: 1) }' })}` })
      t.equal(res.statusCode, 405, `${method}, run ${run}`)
      t.equal(res.headers.allow, 'POST')
    }
  }
})

t.test('variables: one verdict and one message on runs 1-5 (the compiling run included)', async (t) => {
  const { post } = await engineApp(t)
  const text = 'query ($x: Int!) { n(x: $x) }'
  const messages = new Set<string>()
  for (let run = 1; run <= RUNS; run++) {
    for (const variables of [{ x: 'nope' }, {}, undefined]) {
      const res = await post({ query: text, variables })
      t.notOk('data' in res.json(), `refused, run ${run}`)
      messages.add(`${JSON.stringify(variables)}: ${res.json().errors[0].message}`)
    }
    t.same((await post({ query: text, variables: { x: run } })).json(), { data: { n: run } }, `runs, run ${run}`)
  }
  t.equal(messages.size, 3, 'one message per kind of bad variables, whatever the run')
})

t.test('list indices in error paths stay numbers on runs 1-5 (mercurius routes serialize them as strings)', async (t) => {
  const { post } = await engineApp(t)
  for (let run = 1; run <= RUNS; run++) {
    const res = await post({ query: '{ items { name } }' })
    t.match(res.body, /"path":\["items",1,"name"\]/, `run ${run}`)
    t.equal(res.json().errors[0].message, 'Internal server error')
  }
})

t.test('a syntax tree sent as text is a syntax error, not a document (mercurius falls back to JSON.parse)', async (t) => {
  const { post } = await engineApp(t)
  const tree = JSON.stringify(parse('{ a }', { noLocation: true }))
  for (let run = 1; run <= RUNS; run++) {
    const res = await post({ query: tree })
    t.notOk('data' in res.json(), `run ${run}`)
    t.match(res.json().errors[0].message, /^Syntax Error/)
  }
})

t.test('the compile policy: large expanded documents and rewritten ones are never compiled', async (t) => {
  const levels = (n: number) =>
    `query { ...P0 } ${Array.from({ length: n }, (_, i) => `fragment P${i} on Query { ...P${i + 1} ...P${i + 1} }`).join(' ')} fragment P${n} on Query { a }`
  const { post, compiled } = await engineApp(t)
  for (let run = 1; run <= RUNS; run++) t.same((await post({ query: levels(12) })).json(), { data: { a: 1 } }, `run ${run}`)
  t.notOk(compiled.some(Boolean), '4,096 expanded fields: interpreted on every run (mayCompile)')

  const closed = await engineApp(t, false)
  for (let run = 1; run <= RUNS; run++) {
    const res = await closed.post({ query: '{ a t: __type(name: "Query") { name } }' })
    t.same(res.json(), { data: { a: 1, t: null } }, `introspection off, run ${run}`)
  }
  t.notOk(closed.compiled.some(Boolean), 'a rewritten document is interpreted')
})
