// src/graphql/schemaTypes.ts is what schema.graphql generates (the resolvers are typed with it, so a resolver
// that drifts from the schema fails npm run typecheck); a stale file fails here, saying to run npm run codegen.
import { execFile } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { promisify } from 'node:util'
import t from 'tap'
import { GRAPHQL_TYPES_FILE, generateGraphqlTypes } from '../../scripts/graphql-codegen.js'
import { projectPath } from '../../src/paths.js'

const run = promisify(execFile)

t.test('the committed resolver types are fresh', async (t) => {
  const committed = readFileSync(GRAPHQL_TYPES_FILE, 'utf8')
  t.equal(committed, await generateGraphqlTypes(), 'src/graphql/schemaTypes.ts is stale: run npm run codegen')
  await t.resolves(run(process.execPath, [projectPath('scripts', 'graphql-codegen.js'), '--check']), 'the --check exit status')
})

t.test('a schema change changes the types the resolvers are checked against', async (t) => {
  const sdl = readFileSync(projectPath('schema.graphql'), 'utf8')
  const renamed = sdl.replace(/^(type Query \{[^}]*?)\n {2}me: /m, '$1\n  myself: ')
  t.not(renamed, sdl)
  const types = await generateGraphqlTypes(renamed)
  t.match(types, /export type QueryResolvers<[\s\S]*?myself\?: Resolver</)
  t.notMatch(types.match(/export type QueryResolvers<[\s\S]*?\n\}/)![0], /\bme\?: /, 'no resolver named me any more')
  t.match(
    readFileSync(projectPath('src', 'graphql', 'users.ts'), 'utf8'),
    /export const userResolvers: Resolvers = \{/,
    'users.ts is typed with it',
  )
})
