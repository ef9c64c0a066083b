// @ts-check
// TypeScript types generated from schema.graphql (GraphQL Code Generator): the schema's types and, for the
// resolvers in src/graphql/, a `Resolvers` type keyed by the schema's own type, field and argument names,
// so a resolver that drifts from the schema fails `npm run typecheck`. Written to src/graphql/schemaTypes.ts
// (committed: the server's build needs no code generator) by `npm run codegen` and by `npm run typecheck`;
// test/graphql/codegen.test.ts fails when the committed file is not what schema.graphql generates.
//   node scripts/graphql-codegen.js          write it
//   node scripts/graphql-codegen.js --check  exit 1 when it is stale
import { existsSync, readFileSync, mkdirSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
export const GRAPHQL_TYPES_FILE = join(root, 'src/graphql/schemaTypes.ts')

/** The generated module's text for the schema's SDL. */
export async function generateGraphqlTypes(sdl = readFileSync(join(root, 'schema.graphql'), 'utf8')) {
  const { codegen } = await import('@graphql-codegen/core')
  const typescript = await import('@graphql-codegen/typescript')
  const resolvers = await import('@graphql-codegen/typescript-resolvers')
  const { parse } = await import('graphql')
  const output = await codegen({
    filename: GRAPHQL_TYPES_FILE,
    schema: parse(sdl),
    documents: [],
    config: {
      contextType: './context.js#GatewayContext',
      // Resolvers return database rows and plain objects shaped like (not typed as) the schema's types.
      defaultMapper: 'Partial<{T}>',
      useTypeImports: true,
      enumsAsTypes: true,
      // Rules hand out readonly lists (orgRoles); the schema's types accept them.
      immutableTypes: true,
      avoidOptionals: { field: true, inputValue: false, object: false, defaultValue: false },
      scalars: {
        DateTime: { input: 'Date | string', output: 'Date | string' },
        SafeInt: { input: 'number', output: 'number | bigint' },
        // A stored JSON column (Prisma's JsonValue): the scalar checks it is an object when it serializes.
        JSONObject: { input: 'Record<string, unknown>', output: 'unknown' },
      },
    },
    plugins: [{ typescript: {} }, { typescriptResolvers: {} }],
    pluginMap: { typescript, typescriptResolvers: resolvers },
  })
  const text = `// Generated from schema.graphql by scripts/graphql-codegen.js (npm run codegen): do not edit.\n${output}`
  const prettier = await import('prettier')
  const options = await prettier.resolveConfig(GRAPHQL_TYPES_FILE)
  return prettier.format(text, { ...options, filepath: GRAPHQL_TYPES_FILE })
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const generated = await generateGraphqlTypes().catch((/** @type {any} */ err) => {
    if (err?.code !== 'ERR_MODULE_NOT_FOUND') throw err
    console.error(`graphql-codegen: ${err.message.split('\n')[0]}: run npm install (the lockfile has GraphQL Code Generator)`)
    process.exit(1)
  })
  const current = existsSync(GRAPHQL_TYPES_FILE) ? readFileSync(GRAPHQL_TYPES_FILE, 'utf8') : ''
  if (process.argv.includes('--check')) {
    if (current !== generated) {
      console.error('src/graphql/schemaTypes.ts is stale: run npm run codegen')
      process.exit(1)
    }
  } else if (current !== generated) {
    mkdirSync(dirname(GRAPHQL_TYPES_FILE), { recursive: true })
    writeFileSync(GRAPHQL_TYPES_FILE, generated)
  }
}
