// npm run persisted-documents -- [--out <file>] [<.graphql file or directory>…]: writes the trusted
// documents map (sha256 → document) for GRAPHQL_PERSISTED_DOCUMENTS: the REST routes' operations and
// every operation of a frontend's .graphql files, each checked against the schema and the limits.
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { loadConfig } from '../src/config.js'
import { buildSchema } from '../src/graphql/schema.js'
import { compatRoutes } from '../src/rest/plugin.js'
import { buildDocumentMap, documentProblems } from '../src/edge/persisted.js'

const args = process.argv.slice(2)
let out = 'persisted-documents.json'
const inputs: string[] = []
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--out') out = args[++i] ?? out
  else inputs.push(args[i]!)
}

function graphqlFiles(path: string): string[] {
  if (!statSync(path).isDirectory()) return [path]
  return readdirSync(path, { withFileTypes: true })
    .filter((entry) => entry.name !== 'node_modules' && !entry.name.startsWith('.'))
    .flatMap((entry) =>
      entry.isDirectory() ? graphqlFiles(join(path, entry.name)) : /\.(graphql|gql)$/.test(entry.name) ? [join(path, entry.name)] : [],
    )
}

try {
  const files = inputs.flatMap(graphqlFiles)
  const map = buildDocumentMap(
    files.map((file) => ({ name: relative(process.cwd(), file), text: readFileSync(file, 'utf8') })),
    compatRoutes.map((route) => route.operation),
  )
  const problems = documentProblems(
    new Map(Object.entries(map)),
    buildSchema(),
    loadConfig({ ...process.env, NODE_ENV: 'test', JWT_SECRET: 'persisted-documents-script-needs-no-key' }),
  )
  if (problems.length > 0) throw new Error(`documents that cannot run on this gateway:\n  ${problems.join('\n  ')}`)
  writeFileSync(out, JSON.stringify(map, null, 2) + '\n')
  console.log(
    `${Object.keys(map).length} trusted documents (${files.length} .graphql files and the REST routes' operations) written to ${out}`,
  )
} catch (err) {
  console.error(err instanceof Error ? err.message : err)
  process.exit(1)
}
