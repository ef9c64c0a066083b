// /openapi.json is a valid OpenAPI 3 document built from the routes' own schemas; /docs is Swagger UI served locally.
import { readFileSync } from 'node:fs'
import t from 'tap'
import SwaggerParser from '@apidevtools/swagger-parser'
import { buildTestApp } from '../helper.js'
import { compatRoutes } from '../../src/rest/plugin.js'
import { projectPath } from '../../src/paths.js'

const openApiPath = (url: string) => url.replace(/:(\w+)/g, '{$1}')
const pkg = JSON.parse(readFileSync(projectPath('package.json'), 'utf8'))

t.test('the OpenAPI document', async (t) => {
  const h = await buildTestApp(t)
  const res = await h.call({ url: '/openapi.json' })
  t.equal(res.status, 200)
  t.equal(res.headers['content-type'], 'application/json; charset=utf-8')
  const spec = res.body
  await t.resolves(SwaggerParser.validate(structuredClone(spec)), 'valid OpenAPI')
  t.match(spec.openapi, /^3\./)
  t.same(spec.info.version, pkg.version, 'the version is the package version')
  t.ok(spec.info.title)
  t.match(spec.components.securitySchemes.BearerAuth, { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' })

  t.ok(compatRoutes.length >= 3)
  for (const route of compatRoutes) {
    const name = `${route.method} ${route.url}`
    const operation = spec.paths[openApiPath(route.url)]?.[String(route.method).toLowerCase()]
    if (!t.ok(operation, `${name} is documented`)) continue
    t.equal(operation.summary, route.summary, `${name}: summary`)
    t.same(operation.tags, route.tags, `${name}: tags`)
    t.same(operation.security, route.authenticated ? [{ BearerAuth: [] }] : [], `${name}: security`)
    if (route.body) t.ok(operation.requestBody?.content?.['application/json']?.schema, `${name}: request body`)
    for (const param of Object.keys((route.params as { properties?: object })?.properties ?? {})) {
      t.ok(
        operation.parameters?.some((p: { in: string; name: string }) => p.in === 'path' && p.name === param),
        `${name}: path parameter ${param}`,
      )
    }
    const examples: unknown[] = []
    for (const status of Object.keys(route.response)) {
      const documented = operation.responses[status]
      if (!t.ok(documented, `${name}: response ${status}`)) continue
      t.ok(documented.description, `${name}: ${status} has a description`)
      const media = documented.content?.['application/json']
      t.ok(media?.schema, `${name}: ${status} has its JSON schema`)
      if (media?.example) examples.push(media.example)
      if (status === '401') t.match(media?.example, { success: false, error_code: 'NO_AUTH_USER' }, `${name}: the 401 example`)
    }
    t.ok(examples.length > 0, `${name}: has examples`)
  }

  const profile = spec.paths['/user/profile'].get.responses
  t.match(profile['200'].content['application/json'].example, {
    success: true,
    data: { email: 'owner@demo.test', orgRoles: [0, 1, 2, 254, 255] },
  })
  t.same(profile['404'].content['application/json'].example, { success: false, message: 'User not found' })
  t.same(Object.keys(profile).sort(), ['200', '401', '404', '500'])

  const ids = Object.values<Record<string, { operationId?: string }>>(spec.paths).flatMap((ops) =>
    Object.values(ops).map((op) => op.operationId),
  )
  t.ok(ids.length >= compatRoutes.length + 3)
  t.same(
    ids.filter((id) => typeof id !== 'string' || !/^[a-z][A-Za-z0-9]*$/.test(id)),
    [],
    'every operation has an operationId',
  )
  t.equal(new Set(ids).size, ids.length, 'operationIds are unique')
  t.equal(spec.paths['/user/profile'].get.operationId, 'userProfile', 'a REST row: its GraphQL operation name (RestUserProfile)')
  t.equal(spec.paths['/health'].get.operationId, 'getHealth', 'another route: method and path')
  for (const ops of ['/health', '/ready']) t.ok(spec.paths[ops]?.get, `${ops} is documented`)

  const pathParams = Object.values<Record<string, { parameters?: { in: string; name: string; schema: { format?: string } }[] }>>(
    spec.paths,
  ).flatMap((ops) => Object.values(ops).flatMap((op) => (op.parameters ?? []).filter((p) => p.in === 'path')))
  t.equal(pathParams.length, compatRoutes.flatMap((route) => [...route.url.matchAll(/:\w+/g)]).length, 'every path parameter is documented')
  for (const param of pathParams) t.equal(param.schema.format, 'uuid', `path parameter ${param.name}: format uuid`)
})

/** Every `$ref` in a value, and every object schema's properties named like an id (id, userId, tokenId …). */
function walk(value: unknown, visit: (node: Record<string, unknown>) => void) {
  if (Array.isArray(value)) for (const item of value) walk(item, visit)
  else if (value && typeof value === 'object') {
    visit(value as Record<string, unknown>)
    for (const child of Object.values(value)) walk(child, visit)
  }
}

t.test('the OpenAPI document: shared schemas are components, referenced by the operations; ids are UUIDs', async (t) => {
  const h = await buildTestApp(t)
  const spec = (await h.call({ url: '/openapi.json' })).body
  const schemas: Record<string, unknown> = spec.components.schemas ?? {}
  for (const name of ['ErrorEnvelope', 'MessageEnvelope', 'Profile', 'ProfileResponse', 'Session', 'Organization', 'OrganizationUser'])
    t.ok(schemas[name], `components.schemas.${name}`)
  const refs = new Set<string>()
  walk(spec.paths, (node) => typeof node.$ref === 'string' && refs.add(node.$ref))
  walk(schemas, (node) => typeof node.$ref === 'string' && refs.add(node.$ref))
  t.same(
    Object.keys(schemas).filter((name) => !refs.has(`#/components/schemas/${name}`)),
    [],
    'every component is referenced',
  )
  t.same(
    [...refs].filter((ref) => !schemas[ref.replace('#/components/schemas/', '')]),
    [],
    'every $ref names a component',
  )
  t.same(spec.paths['/user/profile'].get.responses['200'].content['application/json'].schema, {
    $ref: '#/components/schemas/ProfileResponse',
  })
  t.same(spec.paths['/user/profile'].get.responses['404'].content['application/json'].schema, {
    $ref: '#/components/schemas/ErrorEnvelope',
  })
  t.same(spec.components.schemas.ProfileResponse.properties.data, { $ref: '#/components/schemas/Profile' })

  // Every id field of an answer (id, userId, orgId, tokenId …) is declared a UUID.
  const ids: string[] = []
  walk(schemas, (node) => {
    const properties = node.properties as Record<string, { type?: string; format?: string }> | undefined
    if (node.type !== 'object' || !properties) return
    for (const [name, field] of Object.entries(properties)) {
      if (!/^(id|[a-z]\w*Id)$/.test(name)) continue
      ids.push(name)
      t.equal(field.format, 'uuid', `${name}: format uuid`)
    }
  })
  t.ok(ids.length >= 15, `${ids.length} id fields`)
  for (const hidden of Object.keys(spec.paths)) t.notMatch(hidden, /^\/(graphiql|docs|openapi\.json)/, `${hidden} is an API route`)
})

t.test('the OpenAPI examples match what the routes answer', async (t) => {
  const h = await buildTestApp(t)
  const spec = (await h.call({ url: '/openapi.json' })).body
  const example = spec.paths['/user/profile'].get.responses['401'].content['application/json'].example
  const refused = await h.call({ url: '/user/profile' })
  t.same(refused.body, example, 'the 401 example is the real 401')
})

t.test('Swagger UI at /docs, its assets served by the gateway', async (t) => {
  const h = await buildTestApp(t)
  const page = await h.app.inject({ url: '/docs' })
  t.equal(page.statusCode, 200)
  t.match(page.headers['content-type'], /^text\/html/)
  t.match(page.headers['content-security-policy'], /default-src 'self'/)
  t.notMatch(page.body, /(https?:)?\/\/[a-z0-9]/i, 'no URL of another origin')
  const scripts = [...page.body.matchAll(/<script src="([^"]+)"/g)].map((m) => m[1]!)
  t.ok(scripts.length >= 3)
  for (const src of scripts) {
    const asset = await h.app.inject({ url: new URL(src, 'http://gateway/docs').pathname })
    t.equal(asset.statusCode, 200, `${src} is served`)
    t.match(asset.headers['content-type'], /javascript/, `${src} is JavaScript`)
  }
  const init = await h.app.inject({ url: '/docs/static/swagger-initializer.js' })
  t.match(init.body, /validatorUrl: null/, 'no call to the public validator')
})

t.test('the docs can be switched off, and are off in production unless asked for', async (t) => {
  const offSettings: Record<string, string>[] = [{ API_DOCS: 'false' }, { NODE_ENV: 'production', LOG_LEVEL: 'silent' }]
  for (const env of offSettings) {
    const h = await buildTestApp(t, env)
    for (const url of ['/openapi.json', '/docs', '/docs/json'])
      t.equal((await h.call({ url })).status, 404, `${url} off with ${JSON.stringify(env)}`)
    t.equal((await h.call({ url: '/user/profile', as: 'owner@demo.test' })).status, 200, 'the API itself is unchanged')
  }
  const on = await buildTestApp(t, { NODE_ENV: 'production', LOG_LEVEL: 'silent', API_DOCS: 'true' })
  t.equal((await on.call({ url: '/openapi.json' })).status, 200, 'API_DOCS=true serves them in production')
})
