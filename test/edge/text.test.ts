// Text PostgreSQL cannot store (NUL, unpaired surrogates) is refused with 400 in the route's envelope, in
// every text field of every route: each REST route's body, path and query fields, read from the route table,
// and every String/ID argument of every GraphQL operation, read from the schema, as a variable and as a literal.
import { randomUUID } from 'node:crypto'
import t from 'tap'
import {
  getNamedType,
  getNullableType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isScalarType,
  type GraphQLArgument,
  type GraphQLInputType,
} from 'graphql'
import { buildTestApp } from '../helper.js'
import { compatRoutes } from '../../src/rest/plugin.js'
import { defaultErrorBody, type RestError } from '../../src/rest/envelope.js'
import { buildSchema } from '../../src/graphql/schema.js'
import { inputProblem, isStorableText } from '../../src/edge/text.js'
import type { CompatRoute } from '../../src/rest/compat.js'

const UNSTORABLE = { NUL: 'a\u0000b', 'lone high surrogate': 'a\ud800b', 'lone low surrogate': '\udfffz' }
const h = await buildTestApp(t)
const OWNER = 'owner@demo.test'

t.test('the rule itself', async (t) => {
  t.ok(isStorableText('Ada Lovelace'))
  t.ok(isStorableText('emoji 😀 and ü'), 'a surrogate pair is fine')
  for (const [name, text] of Object.entries(UNSTORABLE)) t.notOk(isStorableText(text), name)
  t.same(inputProblem({ a: [{ b: 'ok' }, { c: 'x\u0000' }] }), { kind: 'text', path: 'a.1.c' })
  t.same(inputProblem({ ['k\u0000']: 1 }), { kind: 'text', path: '(a key)' })
  let deep: unknown = 'x'
  for (let i = 0; i < 10_000; i++) deep = [deep]
  t.equal(inputProblem(deep)?.kind, 'depth', '10,000 levels: refused, without a stack overflow')
})

type Schema = { type?: string | string[]; properties?: Record<string, Schema>; required?: string[] }
const isText = (s: Schema) => s.type === 'string' || (Array.isArray(s.type) && s.type.includes('string'))

/** A body every property of which has a plausible value; the rule runs before the schema anyway. */
function plausible(schema: Schema | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const [name, prop] of Object.entries(schema?.properties ?? {})) {
    const type = Array.isArray(prop.type) ? prop.type[0] : prop.type
    out[name] = type === 'string' ? 'x' : type === 'boolean' ? false : type === 'integer' ? 0 : type === 'object' ? {} : null
  }
  return out
}

function routeEnvelope(route: CompatRoute, message: string) {
  const refused: RestError = {
    status: 400,
    message,
    extensions: { code: 'BAD_USER_INPUT', ...(route.invalidRequestCode && { errorCode: route.invalidRequestCode }) },
  }
  const standard = defaultErrorBody(refused)
  return route.errorBody ? route.errorBody(refused, standard) : standard
}

function urlOf(route: CompatRoute, params: Record<string, string>, query = '') {
  return route.url.replace(/:(\w+)/g, (_, name: string) => encodeURIComponent(params[name] ?? randomUUID())) + query
}

t.test('REST: every text field of every route, in the body, the path and the query string', async (t) => {
  const token = await h.tokenFor(OWNER)
  let checked = 0
  const expectRefused = async (route: CompatRoute, field: string, url: string, payload?: object) => {
    const res = await h.call({ method: route.method as 'GET', url, payload, headers: { authorization: `Bearer ${token}` } })
    const label = `${route.method} ${route.url} ${field}`
    t.equal(res.status, 400, label)
    t.match(res.body.message, new RegExp(`^${field.replace('.', '\\.')} contains a character that cannot be stored`), label)
    t.same(res.body, routeEnvelope(route, res.body.message), `${label}: the route's envelope`)
    checked++
  }
  for (const route of compatRoutes) {
    const body = route.body as Schema | undefined
    for (const [field, prop] of Object.entries(body?.properties ?? {})) {
      for (const bad of Object.values(UNSTORABLE)) {
        if (isText(prop)) await expectRefused(route, field, urlOf(route, {}), { ...plausible(body), [field]: bad })
        else if (prop.type === 'object')
          await expectRefused(route, `${field}.os`, urlOf(route, {}), { ...plausible(body), [field]: { os: bad } })
      }
    }
    // A URL carries no unpaired surrogate (it would be invalid UTF-8); NUL it can.
    for (const param of Object.keys((route.params as Schema | undefined)?.properties ?? {})) {
      await expectRefused(route, param, urlOf(route, { [param]: UNSTORABLE.NUL }), route.body ? plausible(route.body as Schema) : undefined)
    }
    for (const name of Object.keys((route.querystring as Schema | undefined)?.properties ?? {})) {
      await expectRefused(route, name, urlOf(route, {}, `?${name}=a%00b`))
    }
  }
  t.ok(checked >= 60, `${checked} refusals checked`)
})

t.test('REST: the stored User-Agent header, and fields the route does not know', async (t) => {
  for (const agent of ['curl\u0000', 'agent\ud800']) {
    const res = await h.call({
      method: 'POST',
      url: '/user/login',
      headers: { 'user-agent': agent },
      payload: { email: OWNER, password: 'Demo-Password-1' },
    })
    t.equal(res.status, 400)
    t.same(res.body, {
      success: false,
      error_code: 'INVALID_REQUEST',
      message: 'The User-Agent header contains a character that cannot be stored (a NUL or an unpaired surrogate)',
    })
  }
  const res = await h.call({ method: 'GET', url: '/user/profile?unused=%00', as: OWNER })
  t.equal(res.status, 400, 'any query parameter')
  t.equal(res.body.success, false)
})

// GraphQL: a value for every argument type, so that an operation is valid but for the one bad string.
type Value = unknown
function valueFor(type: GraphQLInputType): Value {
  const named = getNamedType(type)
  if (isListType(getNullableType(type))) return [valueFor((getNullableType(type) as { ofType: GraphQLInputType }).ofType)]
  if (isEnumType(named)) return named.getValues()[0]!.value
  if (isInputObjectType(named)) {
    const out: Record<string, Value> = {}
    for (const field of Object.values(named.getFields())) if (isNonNullType(field.type)) out[field.name] = valueFor(field.type)
    return out
  }
  const scalar = isScalarType(named) ? named.name : 'String'
  return { Int: 0, Float: 0, Boolean: false, SafeInt: 0, JSONObject: {}, DateTime: '2026-01-01T00:00:00Z' }[scalar] ?? 'x'
}

/** Every path to a String/ID (or inside a JSONObject) within an argument. */
function textPaths(type: GraphQLInputType, path: string[]): string[][] {
  const named = getNamedType(type)
  if (isInputObjectType(named)) return Object.values(named.getFields()).flatMap((f) => textPaths(f.type, [...path, f.name]))
  if (named.name === 'String' || named.name === 'ID') return [path]
  if (named.name === 'JSONObject') return [[...path, 'os']]
  return []
}

function setAt(target: Record<string, Value>, path: string[], value: Value) {
  let node = target
  for (const key of path.slice(0, -1)) node = (node[key] ??= {}) as Record<string, Value>
  node[path.at(-1)!] = value
}

/** A value as a GraphQL literal (JSON.stringify's string escapes are GraphQL's). */
function literal(value: Value, enumValue = false): string {
  if (Array.isArray(value)) return `[${value.map((v) => literal(v)).join(', ')}]`
  if (typeof value === 'object' && value !== null) {
    return `{${Object.entries(value)
      .map(([k, v]) => `${k}: ${literal(v)}`)
      .join(', ')}}`
  }
  return typeof value === 'string' && !enumValue ? JSON.stringify(value) : String(value)
}

t.test('GraphQL: every String/ID argument of every operation, as a variable and inline', async (t) => {
  const schema = buildSchema()
  let checked = 0
  for (const [keyword, type] of [
    ['query', schema.getQueryType()!],
    ['mutation', schema.getMutationType()!],
  ] as const) {
    for (const field of Object.values(type.getFields())) {
      const args: readonly GraphQLArgument[] = field.args
      for (const arg of args) {
        for (const path of textPaths(arg.type, [])) {
          for (const [name, bad] of Object.entries(UNSTORABLE)) {
            const values: Record<string, Value> = {}
            for (const a of args) if (isNonNullType(a.type) || a === arg) values[a.name] = valueFor(a.type)
            if (path.length === 0) values[arg.name] = bad
            else setAt(values[arg.name] as Record<string, Value>, path, bad)
            const label = `${field.name}(${[arg.name, ...path].join('.')}) with a ${name}`
            const defs = Object.keys(values).map((a) => `$${a}: ${String(args.find((x) => x.name === a)!.type)}`)
            const call = Object.keys(values).map((a) => `${a}: $${a}`)
            const asVariables = `${keyword} (${defs.join(', ')}) { ${field.name}(${call.join(', ')}) { __typename } }`
            const inline = `${keyword} { ${field.name}(${Object.entries(values)
              .map(([a, v]) => `${a}: ${literal(v, isEnumType(getNamedType(args.find((x) => x.name === a)!.type)))}`)
              .join(', ')}) { __typename } }`
            for (const [how, res] of [
              ['variable', await h.graphql(asVariables, values, OWNER)],
              ['literal', await h.graphql(inline, undefined, OWNER)],
            ] as const) {
              t.ok(res.status < 500, `${label}, ${how}: ${res.status}`)
              t.equal(res.body.data ?? null, null, `${label}, ${how}: nothing ran`)
              t.equal(res.body.errors?.[0]?.extensions?.code, 'BAD_USER_INPUT', `${label}, ${how}`)
              checked++
            }
          }
        }
      }
    }
  }
  t.ok(checked >= 100, `${checked} refusals checked`)
})
