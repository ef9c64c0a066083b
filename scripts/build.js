// @ts-check
// Builds only what is out of date: the Prisma client when prisma/schema.prisma or Prisma's version
// changed, dist/ when a TypeScript source or a tsconfig changed. It compares content hashes with the
// ones recorded by the last build. Plain JavaScript on Node's own modules, so that `npm start` checks in
// milliseconds, and runs after `npm prune --omit=dev` (no build tool left) as long as nothing changed.
//
//   node scripts/build.js            build what is out of date (npm run build)
//   node scripts/build.js --client   only the Prisma client, if out of date (tests, typecheck, tools)
//   node scripts/build.js --force    rebuild both
import { createHash } from 'node:crypto'
import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { dirname, join, relative, sep } from 'node:path'
import { fileURLToPath } from 'node:url'

export const PROJECT_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..')

/** A build step cannot run here: its tool is not installed. The message says what to do. */
export class BuildError extends Error {
  name = 'BuildError'
}

const COMPILED = /\.(ts|mts|cts|json)$/

/**
 * Every file of `dir` (recursively) whose name matches, as paths relative to root.
 * @param {string} root @param {string} dir @param {RegExp} pattern @returns {string[]}
 */
function filesUnder(root, dir, pattern) {
  const full = join(root, dir)
  if (!existsSync(full)) return []
  if (statSync(full).isFile()) return [dir]
  return readdirSync(full, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && pattern.test(entry.name))
    .map((entry) => relative(root, join(entry.parentPath, entry.name)).split(sep).join('/'))
}

/**
 * One hash over the names and contents of the files; a missing file counts, as its name alone.
 * @param {string} root @param {string[]} files @param {string} [extra]
 */
function hashOf(root, files, extra = '') {
  const hash = createHash('sha256').update(extra)
  for (const file of [...files].sort()) {
    const path = join(root, file)
    hash.update(`\0${file}\0`)
    if (existsSync(path)) hash.update(readFileSync(path))
  }
  return hash.digest('hex')
}

const readJson = (/** @type {string} */ path) => JSON.parse(readFileSync(path, 'utf8'))
const versionOf = (/** @type {string} */ root, /** @type {string} */ pkg) => {
  const path = join(root, 'node_modules', pkg, 'package.json')
  return existsSync(path) ? String(readJson(path).version) : 'absent'
}

/**
 * The two parts: what each is built from, the file that shows it was built, and where the hash of
 * the inputs that built it is kept (beside its output, so deleting the output forgets it).
 */
export function buildParts(root = PROJECT_ROOT) {
  /** @type {Record<PartName, BuildPart>} */
  const parts = {
    client: {
      label: 'Prisma client',
      output: join(root, 'src/generated/prisma/client.ts'),
      stamp: join(root, 'src/generated/prisma/.inputs-sha256'),
      // @prisma/client's version stands for Prisma's: it is what production keeps.
      inputsHash: () => hashOf(root, ['prisma/schema.prisma', 'prisma.config.ts'], versionOf(root, '@prisma/client')),
    },
    dist: {
      label: 'TypeScript (dist/)',
      output: join(root, 'dist/src/server.js'),
      stamp: join(root, 'dist/.inputs-sha256'),
      // Exactly what tsconfig.build.json compiles, so the hash and the build agree on the inputs.
      inputsHash: () => {
        const config = readJson(join(root, 'tsconfig.build.json'))
        const files = /** @type {string[]} */ (config.include ?? []).flatMap((entry) => filesUnder(root, entry, COMPILED))
        // Not TypeScript's version: it is gone after npm prune --omit=dev, yet the build stands.
        return hashOf(root, [...files, 'tsconfig.json', 'tsconfig.build.json'])
      },
    },
  }
  return parts
}

/** @typedef {{ label: string, output: string, stamp: string, inputsHash: () => string }} BuildPart */
/** @typedef {'client' | 'dist'} PartName */

/**
 * True when the part's output is missing or was built from other inputs than today's.
 * @param {BuildPart} part
 */
export function isStale(part) {
  if (!existsSync(part.output) || !existsSync(part.stamp)) return true
  return readFileSync(part.stamp, 'utf8').trim() !== part.inputsHash()
}

/** @param {string} root @param {string} tool @param {string[]} args @param {Record<string, string>} [env] */
function run(root, tool, args, env = {}) {
  const result = spawnSync(process.execPath, [tool, ...args], { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } })
  if (result.status !== 0) throw new BuildError(`${relative(root, tool)} ${args.join(' ')} failed (exit ${result.status ?? result.signal})`)
}

/** @param {string} root @param {BuildPart} part @param {string} pkg @param {string} bin */
function toolOf(root, part, pkg, bin) {
  const tool = join(root, 'node_modules', pkg, bin)
  if (existsSync(tool)) return tool
  throw new BuildError(
    `${part.label} is out of date and ${pkg} is not installed here (npm prune --omit=dev removes it): ` +
      'build where the dev dependencies are (npm ci && npm run build), then prune.',
  )
}

/**
 * The dev dependencies a compile of dist/ needs: typescript and every declared @types/ package.
 * @param {string} root @returns {string[]}
 */
function compileTimePackages(root) {
  const path = join(root, 'package.json')
  const declared = existsSync(path) ? Object.keys(readJson(path).devDependencies ?? {}) : []
  return declared.filter((name) => name === 'typescript' || name.startsWith('@types/')).sort()
}

/** @type {Record<PartName, (root: string, part: BuildPart) => void>} */
const builders = {
  client(root, part) {
    // Offline: generating the client never needs the native schema-engine binary Prisma would download.
    run(root, toolOf(root, part, 'prisma', 'build/index.js'), ['generate'], {
      PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? '/bin/false',
    })
  },
  dist(root, part) {
    // npm prune --omit=dev keeps typescript (an optional peer of @prisma/client) and @types/node (a dependency of
    // @types/pg): only the whole set of declared compile-time packages tells a dev install, where tsc can pass.
    for (const pkg of compileTimePackages(root)) toolOf(root, part, pkg, 'package.json')
    run(root, toolOf(root, part, 'typescript', 'bin/tsc'), ['-p', 'tsconfig.build.json'])
  },
}

/**
 * Builds the named parts that are stale (all of them with force), in order, and returns their names.
 * A shipped build without its sources (no tsconfig.build.json) is taken as it is.
 * @param {{ root?: string, parts?: PartName[], force?: boolean, log?: (line: string) => void }} [options]
 * @returns {PartName[]}
 */
export function buildStale({ root = PROJECT_ROOT, parts = ['client', 'dist'], force = false, log = console.error } = {}) {
  if (!existsSync(join(root, 'tsconfig.build.json'))) return []
  const all = buildParts(root)
  /** @type {PartName[]} */
  const built = []
  for (const name of parts) {
    const part = all[name]
    if (!force && !isStale(part)) continue
    log(`building the ${part.label}: its inputs changed since the last build`)
    builders[name](root, part)
    // Hashed after the build: the client's output is an input of dist, built next.
    writeFileSync(part.stamp, part.inputsHash() + '\n')
    built.push(name)
  }
  return built
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const args = process.argv.slice(2)
  try {
    buildStale({ parts: args.includes('--client') ? ['client'] : ['client', 'dist'], force: args.includes('--force') })
  } catch (err) {
    if (!(err instanceof BuildError)) throw err
    console.error(err.message)
    process.exit(1)
  }
}
