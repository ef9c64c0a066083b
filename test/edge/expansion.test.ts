// Issue 13 item 1: a document is measured on its expanded form (fragments counted where they are spread),
// bounded by GRAPHQL_MAX_SELECTIONS on /graphql and on the REST path, and graphql-jit compiles only small
// single-operation documents. Adversarial documents are each refused before validation or answered, run
// 1 to 5 times; the event loop's worst delay is reported (bench/refusals.ts prints the figures).
import t from 'tap'
import { monitorEventLoopDelay } from 'node:perf_hooks'
import Fastify from 'fastify'
import { makeExecutableSchema } from '@graphql-tools/schema'
import { parse } from 'graphql'
import { buildTestApp } from '../helper.js'
import { buildSchema } from '../../src/graphql/schema.js'
import { COMPILE_MAX_SELECTIONS, SATURATED, costRefusal, expandedSelections, mayCompile, measureDocument } from '../../src/edge/cost.js'
import { registerEngine, runOperation } from '../../src/graphql/engine.js'
import { loadConfig } from '../../src/config.js'

const schema = buildSchema()
const defaults = loadConfig({ NODE_ENV: 'test', JWT_SECRET: 'x'.repeat(32) })
const limits = defaults.costLimits!

/** The issue's document: `me { ...P0 }`, each fragment spreading the next `width` times, the last selecting `id`. */
function doubling(levels: number, spread = (next: string) => `...${next} ...${next}`) {
  const fragments = Array.from({ length: levels }, (_, i) => `fragment P${i} on Profile { ${spread(`P${i + 1}`)} }`)
  return `query { me { ...P0 } } ${fragments.join(' ')} fragment P${levels} on Profile { id }`
}
/** Its expanded size: me, the spread of P0, and P0 expanded (each level: two spreads and two copies of the next). */
function doublingSize(levels: number) {
  let fragment = 1
  for (let i = 0; i < levels; i++) fragment = 2 * (1 + fragment)
  return 2 + fragment
}

/** The adversarial documents: [name, text, operationName, what is expected]. */
const adversarial: [string, string, string | undefined, 'refused' | 'answered'][] = [
  ['doubling fragments, 23 levels (the issue: 2.2 s of compilation)', doubling(23), undefined, 'refused'],
  ['doubling fragments, 60 levels (the issue: minutes of compilation)', doubling(60), undefined, 'refused'],
  ['doubling through inline fragments', doubling(30, (n) => `... on Profile { ...${n} } ... on Profile { ...${n} }`), undefined, 'refused'],
  [
    'doubling spreads under @include/@skip',
    doubling(30, (n) => `...${n} @include(if: false) ...${n} @skip(if: true)`),
    undefined,
    'refused',
  ],
  ['doubling spreads beside aliased fields', doubling(30, (n) => `a: id ...${n} b: id ...${n}`), undefined, 'refused'],
  [
    '20 aliases of me, each spreading 6 doubling levels',
    `{ ${Array.from({ length: 20 }, (_, i) => `a${i}: me { ...P0 }`).join(' ')} } ${doubling(6).replace(/^query \{ me \{ \.\.\.P0 \} \} /, '')}`,
    undefined,
    'refused',
  ],
  [
    '100 operations spreading one fragment of 10 fields',
    `${Array.from({ length: 100 }, (_, i) => `query Q${i} { me { ...F } }`).join(' ')} fragment F on Profile { ${'id email name '.repeat(3)}firstName }`,
    'Q7',
    'refused',
  ],
  ['doubling fragments, 8 levels (fits, too large to compile)', doubling(8), undefined, 'answered'],
  [
    '20 aliases of me, each spreading 3 doubling levels (fits)',
    `{ ${Array.from({ length: 20 }, (_, i) => `a${i}: me { ...P0 }`).join(' ')} } ${doubling(3).replace(/^query \{ me \{ \.\.\.P0 \} \} /, '')}`,
    undefined,
    'answered',
  ],
  [
    '50 operations spreading one fragment (fits)',
    `${Array.from({ length: 50 }, (_, i) => `query Q${i} { me { ...F } }`).join(' ')} fragment F on Profile { id email }`,
    'Q7',
    'answered',
  ],
]

t.test('the expanded measure: every selection counted where it is used, linear in the text, saturating', async (t) => {
  for (const levels of [0, 1, 5, 20]) {
    t.equal(expandedSelections(parse(doubling(levels)))[0], doublingSize(levels), `${levels} doubling levels`)
    t.equal(measureDocument(schema, parse(doubling(levels)))[0]!.selections, doublingSize(levels))
  }
  t.equal(expandedSelections(parse(doubling(60)))[0], SATURATED, '2^61 selections saturate instead of overflowing')
  // The measure of 60 doubling levels visits each fragment once: 3 selections per level, not 2^60.
  t.equal(expandedSelections(parse('{ me { id ... on Profile { email } } a: me { ...F } } fragment F on Profile { id }'))[0], 7)
  t.same(expandedSelections(parse('query A { me { id } } query B { me { ...F } } fragment F on Profile { id }')), [2, 3])
  t.equal(expandedSelections(parse('{ me { ...F } } fragment F on Profile { id ...F }'))[0], 4, 'a cyclic spread counts as itself')
  t.equal(expandedSelections(parse('{ me { ...Nowhere } }'))[0], 2, 'an unknown spread counts as itself')
})

t.test('the compile policy: one operation, at most COMPILE_MAX_SELECTIONS expanded', async (t) => {
  t.ok(mayCompile(parse('{ me { id email } }')))
  t.ok(mayCompile(parse(doubling(5))), `${doublingSize(5)} selections`)
  t.notOk(mayCompile(parse(doubling(7))), `${doublingSize(7)} selections > ${COMPILE_MAX_SELECTIONS}`)
  t.notOk(mayCompile(parse('query A { me { id } } query B { me { email } }')), 'two operations')
  for (const [name, text] of adversarial) t.notOk(mayCompile(parse(text)), name)
})

t.test('the bound is a setting; every operation and the whole document are within it', async (t) => {
  const small = { ...limits, maxSelections: 9 }
  t.equal(costRefusal(schema, parse('{ me { id email } }'), small, defaults.bodyLimit), undefined)
  t.equal(
    costRefusal(schema, parse(doubling(2)), small, defaults.bodyLimit),
    `The operation has ${doublingSize(2)} selections with its fragments expanded; at most 9 are allowed`,
  )
  t.equal(
    costRefusal(schema, parse('query A { me { id email name } } query B { me { id email name } } query C { me { id } }'), small, 1e6),
    "The document's 3 operations have 10 selections with their fragments expanded; at most 9 are allowed",
  )
  t.equal(loadConfig({ NODE_ENV: 'test', JWT_SECRET: 'x'.repeat(32), GRAPHQL_MAX_SELECTIONS: '50' }).costLimits!.maxSelections, 50)
  t.equal(limits.maxSelections, 1000, 'the default')
})

t.test('over HTTP: each adversarial document refused before validation or answered, runs 1 to 5', async (t) => {
  const h = await buildTestApp(t)
  // Warm up: the first request pays for the session lookup and (embedded database) its first queries.
  t.equal((await h.graphql('{ me { id } }', {}, 'user@demo.test')).status, 200)
  const delay = monitorEventLoopDelay({ resolution: 10 })
  delay.enable()
  t.teardown(() => delay.disable())
  // Timing is reported, not asserted (a shared machine's load decides it): bench/refusals.ts prints the figures.
  for (const [name, text, operationName, expected] of adversarial) {
    delay.reset()
    for (let run = 1; run <= 5; run++) {
      const res = await h.call({ method: 'POST', url: '/graphql', payload: { query: text, operationName }, as: 'user@demo.test' })
      t.equal(res.status, 200, `${name}, run ${run}`)
      if (expected === 'refused') {
        t.notOk('data' in res.body, 'nothing ran')
        t.equal(res.body.errors?.[0]?.extensions?.reason, 'COST_LIMIT', res.body.errors?.[0]?.message)
      } else {
        t.notOk(res.body.errors, 'answered without errors')
        t.ok(res.body.data, 'with data')
      }
    }
    t.comment(`${name}: worst delay ${(delay.max / 1e6).toFixed(1)} ms`)
  }
  // An invalid document (unknown field) over the bound: the cost check answers, validation never ran.
  const invalid = await h.graphql(doubling(30).replace('{ id }', '{ noSuchField }'), {}, 'user@demo.test')
  t.equal(invalid.body.errors[0].extensions.reason, 'COST_LIMIT', 'refused with COST_LIMIT before validation')
})

t.test('the engine (/graphql and REST alike) compiles only what the policy allows', async (t) => {
  // graphql-jit's compiled code calls the resolvers: their stack says whether a run was compiled.
  let compiled = 0
  const count = () => void (/graphql-jit/.test(new Error().stack ?? '') && compiled++)
  const app = Fastify()
  t.teardown(() => app.close())
  await registerEngine(app, {
    schema: makeExecutableSchema({
      typeDefs: 'type Query { me: Profile } type Profile { id: ID name: String }',
      resolvers: {
        Query: { me: () => (count(), { id: '1', name: 'One' }) },
        Profile: { name: (p: { name: string }) => p.name },
      },
    }),
    introspection: true,
    mayCompile,
  })
  app.get('/run', (request, reply) => {
    const { source, operationName } = request.query as { source: string; operationName?: string }
    return runOperation(reply, { source, operationName }, {})
  })
  const run = async (source: string, operationName?: string) => {
    const result = (await app.inject({ url: '/run', query: { source, ...(operationName && { operationName }) } })).json()
    t.notOk(result.errors, 'answered')
    return result
  }
  const manyOperations = 'query A { me { id } } query B { me { name } }'
  const big = `{ ${Array.from({ length: 20 }, (_, i) => `a${i}: me { ...P0 }`).join(' ')} } ${Array.from({ length: 3 }, (_, i) => `fragment P${i} on Profile { ...P${i + 1} ...P${i + 1} }`).join(' ')} fragment P3 on Profile { id name }`
  t.notOk(mayCompile(parse(big)))
  for (let i = 0; i < 5; i++) {
    await run(manyOperations, 'B')
    await run(big)
  }
  t.equal(compiled, 0, 'neither a two-operation text nor a large one was compiled in 5 runs')
  for (let i = 0; i < 3; i++) t.same((await run('{ me { name } }')).data, { me: { name: 'One' } })
  t.equal(compiled, 2, 'a small single operation is compiled at its second run')
})

t.test('the REST path enforces the bound too (mercurius preValidation hook)', async (t) => {
  const h = await buildTestApp(t, { GRAPHQL_MAX_SELECTIONS: '12' })
  const quota = await h.call({ method: 'GET', url: '/user/quota', as: 'owner@demo.test' })
  t.equal(quota.status, 400, 'a REST operation of 16 selections over a bound of 12')
  t.match(quota.body, { success: false, message: /has 16 selections with its fragments expanded; at most 12 are allowed/ })
  const profile = await h.call({ method: 'GET', url: '/user/profile', as: 'owner@demo.test' })
  t.equal(profile.status, 200, 'one of 12 still runs')
  // The in-process engine itself refuses the issue's document before validation.
  await t.rejects(h.app.graphql(doubling(40)), { name: 'CostLimitError', extensions: { reason: 'COST_LIMIT' } })
})
