// Response serializers compiled once per process, and optionally once per machine. Fastify compiles every route's
// response schema with fast-json-stringify each time an app is built: ~0.7 s of CPU for the first app of a process
// (each route's compile walks every shared schema again), ~40 ms for every further one. A production process builds
// one app; the test suite builds hundreds, in a hundred processes.
// A serializer depends only on its schema and the shared schemas ($ref targets) and options it was built with,
// and every schema here is a module constant, so the compiled function is kept per (shared schemas + options,
// route schema object). A different set of shared schemas is a different key, never a stale serializer.
// With a directory (buildApp's `compiledSchemasDir`, which the test suite sets), the serializer's code, as
// fast-json-stringify's standalone mode writes it, is also kept on disk under the SHA-256 of everything that shapes
// it (fast-json-stringify's version, the shared schemas, the options, the route's schema), so the next process
// loads it instead of compiling it.
import { createHash } from 'node:crypto'
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { SerializerSelector } from '@fastify/fast-json-stringify-compiler'
import { AjvCompiler } from '@fastify/ajv-compiler'

type Serializer = (data: unknown) => string
type RouteSchema = { schema?: unknown; method: string; url: string; httpStatus?: string; contentType?: string }
type SerializerFactory = (externalSchemas: unknown, serializerOpts: unknown) => (route: RouteSchema) => Serializer

/** require() as @fastify/fast-json-stringify-compiler sees it: its fast-json-stringify, whose runtime the stored code needs. */
const require = createRequire(createRequire(import.meta.url).resolve('@fastify/fast-json-stringify-compiler'))
const build = SerializerSelector()
/** By JSON of (shared schemas, options): by route schema object: the serializer. */
const compiled = new Map<string, WeakMap<object, Serializer>>()
/** Bounded: a process sees one or a few distinct sets of shared schemas. */
const MAX_SCHEMA_SETS = 16

/** Fastify's compilersFactory.buildSerializer: serializers shared by the apps of a process (and kept in `dir`). */
export function serializerFactory(dir?: string): SerializerFactory {
  return (externalSchemas, serializerOpts) => {
    const compile = build(externalSchemas as never, serializerOpts as never) as unknown as (route: RouteSchema) => Serializer
    let key: string
    try {
      key = JSON.stringify([externalSchemas ?? null, serializerOpts ?? null])
    } catch {
      return compile // not JSON (a function in the options, say): no sharing
    }
    let bySchema = compiled.get(key)
    if (!bySchema) {
      if (compiled.size >= MAX_SCHEMA_SETS) compiled.clear()
      bySchema = new WeakMap()
      compiled.set(key, bySchema)
    }
    const cache = bySchema
    const stored = dir ? storedSerializers(dir, key, externalSchemas, serializerOpts) : undefined
    return (route) => {
      const schema = route.schema
      if (typeof schema !== 'object' || schema === null) return compile(route)
      let serializer = cache.get(schema)
      if (!serializer) {
        serializer = stored?.(route) ?? compile(route)
        cache.set(schema, serializer)
      }
      return serializer
    }
  }
}

/**
 * A route's serializer from `dir`, or compiled in standalone mode and written there (to a temporary name, then
 * renamed: a parallel process never reads half a file; a directory that cannot be written only costs the sharing).
 * undefined when its schema is not JSON.
 */
function storedSerializers(dir: string, setKey: string, externalSchemas: unknown, serializerOpts: unknown) {
  const version = (require('fast-json-stringify/package.json') as { version: string }).version
  const setHash = createHash('sha256').update(version).update(setKey)
  return (route: RouteSchema): Serializer | undefined => {
    let file: string
    try {
      file = join(dir, `${setHash.copy().update(JSON.stringify(route.schema)).digest('hex').slice(0, 32)}.cjs`)
    } catch {
      return undefined
    }
    let code: string
    try {
      code = readFileSync(file, 'utf8')
    } catch {
      code = standaloneCode(route, externalSchemas, serializerOpts)
      const partial = `${file}.${process.pid}`
      try {
        mkdirSync(dir, { recursive: true })
        writeFileSync(partial, code)
        renameSync(partial, file)
      } catch {
        try {
          rmSync(partial, { force: true })
        } catch {
          // not even there: nothing was written
        }
      }
    }
    const module = { exports: undefined as unknown }
    // The code fast-json-stringify generated, with a require that finds the fast-json-stringify that generated it.
    new Function('module', 'exports', 'require', code)(module, module.exports, require)
    return module.exports as Serializer
  }
}

/** What @fastify/fast-json-stringify-compiler's StandaloneSerializer stores: the module text of the serializer. */
function standaloneCode(route: RouteSchema, externalSchemas: unknown, serializerOpts: unknown): string {
  const generate = build(externalSchemas as never, { ...(serializerOpts as object), mode: 'standalone' } as never) as unknown as (
    route: RouteSchema,
  ) => string
  return generate(route)
}

/**
 * Fastify's compilersFactory.buildValidator, one for the process: @fastify/ajv-compiler (Fastify's own) keeps one Ajv
 * per (shared schemas, Ajv options), and Ajv keeps what it compiled by schema object, so a further app of the process
 * reuses every route's validator instead of compiling it again (~65 ms an app). Fastify makes one per app when left
 * to itself. (Fastify then treats the compiler as custom, which only changes how a `headers` schema is handled: the
 * routes here have none.)
 */
export const sharedValidators = AjvCompiler()
