// The two depth limits (src/graphql/depth.ts): exact boundaries, fragments, introspection apart; through
// /graphql for the introspection limit, and against a schema that nests without end for the operation limit
// (the accounts schema is never deeper than the limit, so there it guards only what graphql would refuse anyway).
import t from 'tap'
import { buildSchema, parse, specifiedRules, validate } from 'graphql'
import { buildTestApp } from '../helper.js'
import { INTROSPECTION_DEPTH_LIMIT, OPERATION_DEPTH_LIMIT, documentDepthRule, operationDepthRule } from '../../src/graphql/depth.js'

/** `levels` levels of `child { … }` around a leaf: `node { child { … id } }` is levels + 1 deep. */
const nested = (levels: number, leaf = 'id') => 'child { '.repeat(levels) + leaf + ' }'.repeat(levels)

t.test('the operation limit, on a schema that nests without end', async (t) => {
  const schema = buildSchema('type Node { id: ID! child: Node } type Query { node: Node }')
  const errors = (source: string) => validate(schema, parse(source), [operationDepthRule]).map((e) => e.message)
  const limit = OPERATION_DEPTH_LIMIT

  t.same(errors(`{ node { ${nested(limit - 2)} } }`), [], `depth ${limit}: accepted`)
  t.same(
    errors(`{ node { ${nested(limit - 1)} } }`),
    [`\`unnamedQuery query depth (${limit + 1}) exceeds the query depth limit of ${limit}\``],
    `depth ${limit + 1}: refused, with the depth and the limit`,
  )
  t.same(
    errors(`query Named { node { ${nested(limit - 1)} } } query Shallow { node { id } }`),
    [`\`Named query depth (${limit + 1}) exceeds the query depth limit of ${limit}\``],
    'each operation is measured on its own, by name',
  )
  t.same(errors(`{ node { ...A } } fragment A on Node { ${nested(limit - 2)} }`), [], 'a fragment spread adds no level of its own')
  t.equal(errors(`{ node { ...A } } fragment A on Node { ${nested(limit - 1)} }`).length, 1, 'the fragment’s own levels count')
  t.equal(
    errors(`{ node { ...A } } fragment A on Node { child { ...B } } fragment B on Node { ${nested(limit - 2)} }`).length,
    1,
    'through fragments that spread fragments',
  )
  t.equal(errors(`{ node { ... on Node { ${nested(limit - 2)} } } }`).length, 1, 'an inline fragment counts as a level')
  t.same(
    errors(`{ node { ${nested(limit - 2, '__typename')} } __schema { types { fields { type { ofType { name } } } } } }`),
    [],
    'introspection fields are left out',
  )
  const cyclic = parse('{ node { ...A } } fragment A on Node { child { ...B } } fragment B on Node { child { ...A } }')
  t.match(
    validate(schema, cyclic, [...specifiedRules, operationDepthRule]).map((e) => e.message),
    [/Cannot spread fragment "A" within itself/],
    'cyclic fragments end, refused by graphql’s own rule alone',
  )
})

t.test('the document limit counts introspection too', async (t) => {
  const schema = buildSchema('type Query { id: ID }')
  const errors = (source: string) => validate(schema, parse(source), [documentDepthRule]).map((e) => e.message)
  // __schema types fields type: 4 levels, then ofType, each one more.
  const introspection = (depth: number) =>
    `{ __schema { types { fields { type { ${'ofType { '.repeat(depth - 5)}name${' }'.repeat(depth - 5)} } } } } }`
  t.same(errors(introspection(INTROSPECTION_DEPTH_LIMIT)), [], `depth ${INTROSPECTION_DEPTH_LIMIT}: accepted`)
  t.same(errors(introspection(INTROSPECTION_DEPTH_LIMIT + 1)), [
    `\`unnamedQuery query depth (${INTROSPECTION_DEPTH_LIMIT + 1}) exceeds the query depth limit of ${INTROSPECTION_DEPTH_LIMIT}\``,
  ])
})

t.test('over /graphql: a request error, nothing executed, on every run of the text', async (t) => {
  const h = await buildTestApp(t)
  const tooDeep = `{ me { id } __type(name: "Profile") { fields { type { ${'ofType { '.repeat(12)}name${' }'.repeat(12)} } } } }`
  for (let run = 1; run <= 3; run++) {
    const res = await h.graphql(tooDeep, {}, 'owner@demo.test')
    t.equal(res.status, 200, `run ${run}`)
    t.notOk('data' in res.body, 'no data: me did not run')
    t.same(res.body.errors, [
      {
        message: `\`unnamedQuery query depth (${INTROSPECTION_DEPTH_LIMIT + 1}) exceeds the query depth limit of ${INTROSPECTION_DEPTH_LIMIT}\``,
        extensions: { code: 'BAD_USER_INPUT' },
      },
    ])
  }
  const deepest = await h.graphql(
    `{ me { id } __type(name: "Profile") { fields { type { ${'ofType { '.repeat(11)}name${' }'.repeat(11)} } } } }`,
    {},
    'owner@demo.test',
  )
  t.equal(deepest.body.errors, undefined, `depth ${INTROSPECTION_DEPTH_LIMIT}: runs`)
  t.ok(deepest.body.data.__type.fields.length > 0, 'and answers')
})
