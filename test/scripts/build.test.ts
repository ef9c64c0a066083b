// scripts/build.js decides what `npm start` rebuilds: on a project of its own, with stand-in tools that
// record each run (test/scripts/start.test.ts starts this project).
import t from 'tap'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync, existsSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { BuildError, buildStale } from '../../scripts/build.js'

function write(root: string, file: string, text: string) {
  mkdirSync(dirname(join(root, file)), { recursive: true })
  writeFileSync(join(root, file), text)
}

// Stand-ins for `prisma generate` and `tsc`: they write the outputs the real tools would and log each run.
const FAKE_PRISMA = `const fs = require('node:fs')
fs.appendFileSync('runs.log', 'prisma ' + process.argv.slice(2).join(' ') + ' ' + process.env.PRISMA_SCHEMA_ENGINE_BINARY + '\\n')
fs.mkdirSync('src/generated/prisma', { recursive: true })
fs.writeFileSync('src/generated/prisma/client.ts', '// from ' + fs.readFileSync('prisma/schema.prisma', 'utf8'))
`
const FAKE_TSC = `const fs = require('node:fs')
fs.appendFileSync('runs.log', 'tsc ' + process.argv.slice(2).join(' ') + '\\n')
fs.mkdirSync('dist/src', { recursive: true })
fs.writeFileSync('dist/src/server.js', '')
`

function fixture() {
  const root = mkdtempSync(join(tmpdir(), 'gw-build-'))
  write(root, 'tsconfig.json', '{}')
  write(root, 'tsconfig.build.json', JSON.stringify({ extends: './tsconfig.json', include: ['src', 'scripts/db-migrate.ts'] }))
  write(root, 'prisma/schema.prisma', 'model A { id Int @id }')
  write(root, 'prisma.config.ts', 'export default {}')
  write(root, 'src/server.ts', 'export {}')
  write(root, 'scripts/db-migrate.ts', 'export {}')
  write(root, 'scripts/other.ts', 'export {}')
  write(root, 'node_modules/@prisma/client/package.json', '{"version":"7.10.0"}')
  write(root, 'node_modules/typescript/package.json', '{"version":"5.9.3"}')
  write(root, 'node_modules/@types/node/package.json', '{"version":"20.19.43"}')
  write(root, 'node_modules/@types/qrcode/package.json', '{"version":"1.5.6"}')
  write(
    root,
    'package.json',
    JSON.stringify({
      dependencies: { qrcode: '1' },
      devDependencies: { '@types/node': '20', '@types/qrcode': '1', typescript: '5', tap: '21' },
    }),
  )
  write(root, 'node_modules/prisma/build/index.js', FAKE_PRISMA)
  write(root, 'node_modules/typescript/bin/tsc', FAKE_TSC)
  const runs = () => (existsSync(join(root, 'runs.log')) ? readFileSync(join(root, 'runs.log'), 'utf8').trim().split('\n') : [])
  const build = (options: { parts?: ('client' | 'dist')[]; force?: boolean } = {}) => {
    const before = runs().length
    const built = buildStale({ root, log: () => {}, ...options })
    return {
      built,
      ran: runs()
        .slice(before)
        .map((line) => line.split(' ')[0]),
    }
  }
  return { root, build }
}

t.test('builds what is missing, then only what changed', async (t) => {
  const { root, build } = fixture()
  t.teardown(() => rmSync(root, { recursive: true, force: true }))
  t.same(build(), { built: ['client', 'dist'], ran: ['prisma', 'tsc'] }, 'a fresh clone: both')
  t.match(
    readFileSync(join(root, 'runs.log'), 'utf8'),
    /^prisma generate \/bin\/false\ntsc -p tsconfig.build.json\n$/,
    'offline generate, the build tsconfig',
  )
  t.same(build(), { built: [], ran: [] }, 'nothing changed: nothing runs')

  const later = new Date(Date.now() + 60_000)
  utimesSync(join(root, 'src/server.ts'), later, later)
  t.same(build().built, [], 'a newer time alone (a checkout, a touch) is no change')
  write(root, 'scripts/other.ts', 'export const x = 1')
  t.same(build().built, [], 'a file the build does not compile is no change')

  write(root, 'src/server.ts', 'export const y = 2')
  t.same(build(), { built: ['dist'], ran: ['tsc'] }, 'a source changed: only tsc')
  write(root, 'src/new-module.ts', 'export {}')
  t.same(build().built, ['dist'], 'a new source file')
  write(root, 'scripts/db-migrate.ts', 'export const z = 3')
  t.same(build().built, ['dist'], 'a compiled script')
  write(root, 'tsconfig.json', '{"compilerOptions":{}}')
  t.same(build().built, ['dist'], 'a tsconfig')

  write(root, 'prisma/schema.prisma', 'model A { id Int @id\n name String }')
  t.same(build(), { built: ['client', 'dist'], ran: ['prisma', 'tsc'] }, 'the schema changed: generate, then tsc over the new client')
  write(root, 'node_modules/@prisma/client/package.json', '{"version":"7.11.0"}')
  t.same(build().built, ['client'], "Prisma's version changed: a new client; tsc only if its code differs")

  rmSync(join(root, 'dist'), { recursive: true })
  t.same(build().built, ['dist'], 'a deleted output is rebuilt')
  write(root, 'src/server.ts', 'export const y = 4')
  t.same(build({ parts: ['client'] }).built, [], '--client leaves dist alone')
  t.same(build({ force: true }).built, ['client', 'dist'], '--force rebuilds both')
})

t.test('after npm prune --omit=dev: an up-to-date build starts; a stale one says what to do', async (t) => {
  const { root, build } = fixture()
  t.teardown(() => rmSync(root, { recursive: true, force: true }))
  build()
  // What the prune removes: @types/qrcode. typescript and prisma stay (optional peers of @prisma/client), and
  // @types/node (a dependency of @types/pg, which @prisma/adapter-pg needs): tsc would run and fail on types.
  rmSync(join(root, 'node_modules/@types/qrcode'), { recursive: true })
  t.same(build().built, [], 'no build tool is needed when nothing changed')
  const tscRuns = () => readFileSync(join(root, 'runs.log'), 'utf8').match(/^tsc /gm)?.length ?? 0
  t.equal(tscRuns(), 1, 'built once before the prune')
  write(root, 'src/server.ts', 'export const changed = true')
  const refused = t.throws(() => build()) as Error
  t.ok(refused instanceof BuildError, 'a BuildError, which npm start prints alone')
  t.match(refused.message, /^TypeScript \(dist\/\) is out of date and @types\/qrcode is not installed here .*npm ci && npm run build/)
  t.equal(tscRuns(), 1, 'tsc did not run: it would print type errors instead of what to do')
  rmSync(join(root, 'node_modules/prisma'), { recursive: true })
  write(root, 'prisma/schema.prisma', 'model B { id Int @id }')
  t.throws(() => build(), /^Prisma client is out of date and prisma is not installed here/)
  rmSync(join(root, 'tsconfig.build.json'))
  t.same(build().built, [], 'a shipped build without its sources runs as it is')
})
