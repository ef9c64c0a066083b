// The README's API table and its "Try it" samples say what the gateway does: every GraphQL field the table
// names exists with exactly the arguments it lists, and the profile sample is the real answer.
import { readFileSync } from 'node:fs'
import t from 'tap'
import { buildSchema, type GraphQLField } from 'graphql'
import { buildTestApp } from '../helper.js'
import { projectPath } from '../../src/paths.js'

const readme = readFileSync(projectPath('README.md'), 'utf8')
const schema = buildSchema(readFileSync(projectPath('schema.graphql'), 'utf8'))

/** The GraphQL column of the API table: `name(arg, arg)` or `name` entries. */
function tableOperations(): { name: string; args: string[] | undefined }[] {
  const table = readme.slice(readme.indexOf('| REST | GraphQL | Who |'), readme.indexOf('Statuses, messages and'))
  const cells = table
    .split('\n')
    .filter((line) => line.startsWith('| `'))
    .map((line) => line.split(' | ')[1] ?? '')
  return cells.flatMap((cell) =>
    [...cell.matchAll(/`([a-zA-Z][a-zA-Z0-9]*)(?:\(([^)]*)\))?`/g)].map((m) => ({
      name: m[1]!,
      args: m[2]?.split(',').map((arg) => arg.trim()),
    })),
  )
}

t.test('the API table names each GraphQL operation with its real arguments', async (t) => {
  const operations = tableOperations()
  t.ok(operations.length >= 40, `${operations.length} operations in the table`)
  for (const { name, args } of operations) {
    const field: GraphQLField<unknown, unknown> | undefined =
      schema.getQueryType()?.getFields()[name] ?? schema.getMutationType()?.getFields()[name]
    if (!t.ok(field, `${name} is a Query or Mutation field`)) continue
    // A name alone may leave its arguments out; a name with arguments lists them all, in order.
    if (args)
      t.same(
        args,
        field!.args.map((arg) => arg.name),
        `${name}(${args.join(', ')}): its arguments`,
      )
  }
})

t.test('the profile sample of "Try it" is what GET /user/profile answers for owner@demo.test', async (t) => {
  const start = readme.indexOf('curl -s http://127.0.0.1:3000/user/profile -H "Authorization: Bearer $TOKEN"')
  t.ok(start > 0, 'the sample is there')
  const lines = readme.slice(start).split('\n').slice(1)
  const sample = lines
    .slice(
      0,
      lines.findIndex((line) => !line.startsWith('#')),
    )
    .map((line) => line.replace(/^#\s*/, ''))
    .join('')
  const documented = JSON.parse(sample) as { data: Record<string, unknown> }
  const h = await buildTestApp(t)
  const real = (await h.call({ url: '/user/profile', as: 'owner@demo.test' })).body as { data: Record<string, unknown> }
  t.same(Object.keys(documented.data), Object.keys(real.data), 'the same fields, in the same order')
  // "…" stands for an id that differs between installations.
  const shown = Object.fromEntries(Object.entries(documented.data).map(([key, value]) => [key, value === '…' ? real.data[key] : value]))
  t.same({ ...documented, data: shown }, real, 'the same values')
})
