// The gateway as the accounts subgraph of a federated graph (GRAPHQL_FEDERATION=true): composed with a
// small billing subgraph by @mercuriusjs/gateway, all three listening on loopback ports, queried across
// both; the subgraph's own _service and _entities; and nothing of it when the setting is off.
import t from 'tap'
import { createRequire } from 'node:module'
import Fastify, { type FastifyInstance, type FastifyPluginAsync } from 'fastify'
import { printSchema, printType, visit, type ASTNode } from 'graphql'
import { mercuriusFederationPlugin } from '@mercuriusjs/federation'
import type { MercuriusGatewayOptions } from '@mercuriusjs/gateway'
import type { MercuriusOptions } from 'mercurius'
import { buildTestApp } from '../helper.js'
import { buildSchema } from '../../src/graphql/schema.js'

// @mercuriusjs/gateway 5.2.0 builds the _entities query for a field that another subgraph adds to an entity
// with the parent type object where graphql expects its name (lib/gateway/make-resolver.js,
// createFieldResolverOperation: `returnType: parentType`); graphql 16.15's printer no longer turns that
// object into a string and throws "value.includes is not a function". Until the gateway passes
// `parentType.name`, the `print` it loads (below, after this) prints such a name as the type's name.
const printer = createRequire(import.meta.url)('graphql/language/printer.js') as { print: (ast: ASTNode, options?: unknown) => string }
const print = printer.print
printer.print = (ast, options) =>
  print(visit(ast, { Name: (node) => (typeof node.value === 'string' ? undefined : { ...node, value: String(node.value) }) }), options)
const mercuriusGateway = (await import('@mercuriusjs/gateway')).default as unknown as FastifyPluginAsync<
  MercuriusOptions & MercuriusGatewayOptions
>

const PROFILE_REFERENCE =
  'query ($representations: [_Any!]!) { _entities(representations: $representations) { ... on Profile { id email } } }'

t.test('the accounts subgraph composed with a billing subgraph', async (t) => {
  const h = await buildTestApp(t, { GRAPHQL_FEDERATION: 'true' })
  const accounts = await h.app.listen({ host: '127.0.0.1', port: 0 })
  const ownerId = await h.userId('owner@demo.test')

  // Billing extends Profile with the plan of each user it knows, and names the owner as the invoice recipient.
  const billingLookups: string[] = []
  const billing: FastifyInstance = Fastify()
  t.teardown(() => billing.close())
  await billing.register(mercuriusFederationPlugin, {
    schema: `
      extend type Profile @key(fields: "id") {
        id: ID! @external
        plan: String
      }
      extend type Query {
        invoiceRecipient: Profile
      }
    `,
    resolvers: {
      Query: { invoiceRecipient: () => ({ __typename: 'Profile', id: ownerId }) },
      Profile: {
        __resolveReference: (profile: { id: string }) => profile,
        plan: (profile: { id: string }) => {
          billingLookups.push(profile.id)
          return profile.id === ownerId ? 'Free trial' : null
        },
      },
    } as never,
  })
  const billingUrl = await billing.listen({ host: '127.0.0.1', port: 0 })

  const gateway: FastifyInstance = Fastify()
  t.teardown(() => gateway.close())
  await gateway.register(mercuriusGateway, {
    gateway: {
      services: [
        // The caller's token goes to the accounts subgraph, which authenticates every request itself.
        { name: 'accounts', url: `${accounts}/graphql`, rewriteHeaders: (headers) => ({ authorization: headers.authorization }) },
        { name: 'billing', url: `${billingUrl}/graphql` },
      ],
    },
  })
  await gateway.ready()
  const query = async (source: string, as?: string) => {
    const headers = as ? { authorization: `Bearer ${await h.tokenFor(as)}` } : {}
    const res = await gateway.inject({ method: 'POST', url: '/graphql', headers, payload: { query: source } })
    return res.json()
  }

  t.test('{ me { email plan } }: the profile from accounts, the plan from billing, for the caller', async (t) => {
    const before = billingLookups.length
    // Three runs: the accounts subgraph compiles an operation at its second run.
    for (let run = 1; run <= 3; run++) {
      t.same(
        await query('{ me { email plan } }', 'owner@demo.test'),
        { data: { me: { email: 'owner@demo.test', plan: 'Free trial' } } },
        `run ${run}`,
      )
    }
    t.same(await query('{ me { email orgRoleDescription plan } }', 'user@demo.test'), {
      data: { me: { email: 'user@demo.test', orgRoleDescription: 'USER', plan: null } },
    })
    t.same(
      billingLookups.slice(before),
      [ownerId, ownerId, ownerId, await h.userId('user@demo.test')],
      'billing was asked by the key, once a query',
    )
  })

  t.test('without a token, the accounts subgraph refuses as it does on its own', async (t) => {
    const body = await query('{ me { email plan } }')
    t.equal(body.data, null)
    t.equal(body.errors[0].message, 'Authentication required')
  })

  t.test("billing's reference to a Profile is resolved by accounts: the caller's own profile only", async (t) => {
    t.same(await query('{ invoiceRecipient { email plan } }', 'owner@demo.test'), {
      data: { invoiceRecipient: { email: 'owner@demo.test', plan: 'Free trial' } },
    })
    const other = await query('{ invoiceRecipient { email } }', 'admin@demo.test')
    t.same(other.data, { invoiceRecipient: null }, "another user's profile is not resolved")
    t.equal(other.errors[0].message, 'User not found')
    t.notMatch(JSON.stringify(other), 'owner@demo.test', 'nothing of it leaks')
  })

  t.test('the subgraph itself: _service and _entities on /graphql', async (t) => {
    const sdl = await h.graphql('{ _service { sdl } }')
    t.match(sdl.body.data._service.sdl, /type Profile @key\(fields: "id"\) \{/, 'Profile is an entity keyed by id')

    for (let run = 1; run <= 3; run++) {
      const own = await h.graphql(PROFILE_REFERENCE, { representations: [{ __typename: 'Profile', id: ownerId }] }, 'owner@demo.test')
      t.same(own.body, { data: { _entities: [{ id: ownerId, email: 'owner@demo.test' }] } }, `the caller's own profile, run ${run}`)
    }

    const userId = await h.userId('user@demo.test')
    const others = await h.graphql(
      PROFILE_REFERENCE,
      { representations: [{ __typename: 'Profile', id: userId }, { __typename: 'Profile', id: 42 }, { __typename: 'Profile' }] },
      'owner@demo.test',
    )
    t.same(others.body.data, { _entities: [null, null, null] }, "another user's id, a number, no id: nothing")
    t.same(
      others.body.errors.map((e: { message: string; extensions: unknown }) => [e.message, e.extensions]),
      [0, 1, 2].map(() => ['User not found', { code: 'NOT_FOUND' }]),
    )

    const anonymous = await h.graphql(PROFILE_REFERENCE, { representations: [{ __typename: 'Profile', id: ownerId }] })
    t.same(anonymous.body.data, { _entities: [null] })
    t.equal(anonymous.body.errors[0].extensions.code, 'UNAUTHENTICATED')
  })

  t.test('a representation that names no entity is a request error, never a 500', async (t) => {
    for (const representations of [
      [{ __typename: 'OrganizationUser', id: ownerId }],
      [{ id: ownerId }],
      ['Profile'],
      [[]],
      [null],
      'Profile',
    ]) {
      const res = await h.graphql(PROFILE_REFERENCE, { representations }, 'owner@demo.test')
      t.equal(res.status, 200, JSON.stringify(representations))
      t.notOk('data' in res.body, 'nothing executed')
      t.equal(res.body.errors[0].extensions.code, 'BAD_USER_INPUT')
      t.match(res.body.errors[0].message, /__typename is one of: Profile|Expected non-nullable type "_Any!" not to be null/)
    }
    const literal = await h.graphql(
      '{ _entities(representations: [{ __typename: "Session", id: "x" }]) { __typename } }',
      {},
      'owner@demo.test',
    )
    t.equal(literal.body.errors[0].extensions.code, 'BAD_USER_INPUT')
    t.match(literal.body.errors[0].message, /__typename is one of: Profile/)
  })

  t.test('REST answers as without federation', async (t) => {
    const res = await h.call({ url: '/user/profile', as: 'owner@demo.test' })
    t.equal(res.status, 200)
    t.equal(res.body.data.id, ownerId)
    t.equal(res.body.data.orgRoleDescription, 'OWNER')
  })
})

t.test('with the setting off, the schema has nothing of federation', async (t) => {
  const plain = buildSchema()
  const federated = buildSchema({ federation: true })
  for (const name of ['_Any', '_Service', '_Entity', '_FieldSet']) {
    t.equal(plain.getType(name), undefined, `no ${name}`)
    t.ok(federated.getType(name), `${name} with federation`)
  }
  t.notOk('_service' in plain.getQueryType()!.getFields())
  t.notOk('_entities' in plain.getQueryType()!.getFields())
  t.notMatch(printSchema(plain), /@key|_service|_entities/)
  // Every type (descriptions included) is the same either way; only Query gains the two federation fields.
  for (const type of Object.values(plain.getTypeMap())) {
    if (type.name.startsWith('__') || type.name === 'Query') continue
    t.equal(printType(federated.getType(type.name)!), printType(type), type.name)
  }
  t.same(
    Object.keys(federated.getQueryType()!.getFields()).filter((name) => !(name in plain.getQueryType()!.getFields())),
    ['_entities', '_service'],
  )

  const h = await buildTestApp(t)
  t.equal(h.config.graphqlFederation, false)
  for (const source of ['{ _service { sdl } }', PROFILE_REFERENCE]) {
    const res = await h.graphql(source, { representations: [] }, 'owner@demo.test')
    t.equal(res.body.errors[0].extensions.code, 'BAD_USER_INPUT', source)
    t.match(res.body.errors[0].message, /Cannot query field "_(service|entities)" on type "Query"|Unknown type "_Any"/)
  }
})
