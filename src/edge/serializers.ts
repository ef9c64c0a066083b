// Response serializers compiled once per process. Fastify compiles every route's response schema with
// fast-json-stringify each time an app is built; that is ~40 ms of CPU per route set, paid again by every app a
// process builds (the test suite builds hundreds; a production process builds one, so it changes nothing there).
// A serializer depends only on its schema and the shared schemas ($ref targets) and options it was built with,
// and every schema here is a module constant, so the compiled function is kept per (shared schemas + options,
// route schema object). A different set of shared schemas is a different key, never a stale serializer.
import { SerializerSelector } from '@fastify/fast-json-stringify-compiler'

type Serializer = (data: unknown) => string
type RouteSchema = { schema?: unknown; method: string; url: string; httpStatus?: string; contentType?: string }

const build = SerializerSelector()
/** By JSON of (shared schemas, options): by route schema object: the serializer. */
const compiled = new Map<string, WeakMap<object, Serializer>>()
/** Bounded: a process sees one or a few distinct sets of shared schemas. */
const MAX_SCHEMA_SETS = 16

export function buildSerializer(externalSchemas: unknown, serializerOpts: unknown): (route: RouteSchema) => Serializer {
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
  return (route) => {
    const schema = route.schema
    if (typeof schema !== 'object' || schema === null) return compile(route)
    let serializer = cache.get(schema)
    if (!serializer) {
      serializer = compile(route)
      cache.set(schema, serializer)
    }
    return serializer
  }
}
