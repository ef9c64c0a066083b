// OpenAPI 3 at /openapi.json, generated from the routes' own schemas, and Swagger UI at /docs (assets served locally).
// Registered before the routes: @fastify/swagger collects them as they are added.
import { readFileSync } from 'node:fs'
import { STATUS_CODES } from 'node:http'
import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import swagger from '@fastify/swagger'
import swaggerUi from '@fastify/swagger-ui'
import { projectPath } from '../paths.js'

const pkg = JSON.parse(readFileSync(projectPath('package.json'), 'utf8')) as { version: string; description?: string }

type RouteSchema = Record<string, unknown> & { response?: Record<string, Record<string, unknown>> }

/** Each response status gets its HTTP reason phrase as description; /graphql (mercurius' own schema) gets a tag. */
/** GET /.well-known/jwks.json → getWellKnownJwksJson: the operationId of a route that does not name its own. */
export function operationIdFor(method: string, url: string): string {
  const words = url.split(/[^A-Za-z0-9]+/).filter(Boolean)
  return method.toLowerCase() + words.map((w) => w[0]!.toUpperCase() + w.slice(1)).join('')
}

/**
 * A response's description, and its example: a shared schema's `$ref` keeps no sibling through the
 * plugin's $ref resolution, so the example moves to the media type, where OpenAPI puts it anyway.
 */
function documentedResponse(status: string, body: Record<string, unknown>) {
  const description = STATUS_CODES[Number(status)] ?? 'Response'
  const { $ref, examples } = body as { $ref?: string; examples?: unknown[] }
  if (typeof $ref !== 'string') return { description, ...body }
  return { description, content: { 'application/json': { schema: { $ref }, ...(examples?.length && { example: examples[0] }) } } }
}

type ObjectSchema = { properties?: Record<string, Record<string, unknown>> }

/**
 * Every id in a path (`id`, `userId`, `orgId`, `tokenId`) is a UUID: documented as `format: uuid` here only,
 * since validating it would answer a malformed id 400 where the contract wants the 404 of an unknown one.
 */
function withUuidIds(params: ObjectSchema): ObjectSchema {
  const properties = Object.entries(params.properties ?? {}).map(([name, schema]) => [
    name,
    /^(id|[a-z]\w*Id)$/.test(name) ? { ...schema, format: 'uuid' } : schema,
  ])
  return { ...params, properties: Object.fromEntries(properties) }
}

export function describeRoute({ schema, url, route: routeOptions }: { schema: unknown; url: string; route?: { method?: unknown } }) {
  const route = { ...(schema as RouteSchema | undefined) }
  const method = Array.isArray(routeOptions?.method) ? routeOptions.method[0] : routeOptions?.method
  if (!route.operationId && typeof method === 'string') route.operationId = operationIdFor(method, url)
  if (route.params) route.params = withUuidIds(route.params as ObjectSchema)
  if (route.response) {
    route.response = Object.fromEntries(Object.entries(route.response).map(([status, body]) => [status, documentedResponse(status, body)]))
  }
  if (url === '/graphql' && !route.tags) {
    route.tags = ['GraphQL']
    route.summary = 'Run a GraphQL operation'
    route.description =
      'The schema is schema.graphql; explore it in the GraphiQL playground at /graphiql. A Bearer token is optional: each field decides.'
    route.security = [{}, { BearerAuth: [] }]
  }
  return { schema: route, url }
}

async function apiDocs(app: FastifyInstance) {
  if (!app.config.apiDocs) return
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'Account API',
        version: pkg.version,
        description: `${pkg.description ?? ''}. Every route is also reachable as GraphQL at POST /graphql.`,
      },
      tags: [{ name: 'GraphQL' }],
      components: {
        securitySchemes: {
          BearerAuth: {
            type: 'http',
            scheme: 'bearer',
            bearerFormat: 'JWT',
            description: 'An access token: Authorization: Bearer <token>',
          },
        },
      },
    },
    transform: describeRoute as never,
    // A shared schema (app.addSchema) is a component under its own $id: ErrorEnvelope, Profile …
    refResolver: {
      buildLocalReference: (json: { $id?: unknown }, _base: unknown, _fragment: unknown, i: number) => String(json.$id ?? `def-${i}`),
    },
  })
  // Swagger UI's own routes (and /docs/json) are hidden from the spec by the plugin itself.
  await app.register(swaggerUi, {
    routePrefix: '/docs',
    // BaseLayout: no top bar, whose logo is an SVG with an inline <style> that the CSP refuses.
    uiConfig: { deepLinking: true, docExpansion: 'list', validatorUrl: null, layout: 'BaseLayout' },
  })
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger())
}

export default fp(apiDocs, { name: 'api-docs', dependencies: ['config'] })
