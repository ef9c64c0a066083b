// The accounts subgraph of a federated graph (GRAPHQL_FEDERATION): the one schema, built by
// @mercuriusjs/federation (federation v1) with `_service { sdl }` and `_entities`, and Profile an entity
// keyed by id. Off, nothing here is used: the schema is schema.graphql as it is.
import {
  GraphQLError,
  GraphQLScalarType,
  Kind,
  parse,
  print,
  valueFromASTUntyped,
  visit,
  type ConstDirectiveNode,
  type GraphQLSchema,
} from 'graphql'
import { buildFederationSchema } from '@mercuriusjs/federation'
import { addResolversToSchema } from '@graphql-tools/schema'
import { mergeResolvers } from '@graphql-tools/merge'
import type { IResolvers } from '@graphql-tools/utils'
import { USER_NOT_FOUND } from './denials.js'
import { requesterProfile, type GatewayContext } from './context.js'
import { deny } from './errors.js'
import { toProfile } from './users.js'

/** What makes schema.graphql a subgraph: its entity types (other subgraphs may extend them) and their keys. */
const ENTITY_KEYS: Readonly<Record<string, string>> = { Profile: 'id' }
const ENTITY_TYPES: ReadonlySet<string> = new Set(Object.keys(ENTITY_KEYS))

/** The SDL with `@key(fields: …)` on each entity type's definition, where federation v1 reads who owns it. */
function withEntityKeys(typeDefs: string): string {
  const keyed = visit(parse(typeDefs), {
    ObjectTypeDefinition(node) {
      const fields = ENTITY_KEYS[node.name.value]
      if (fields === undefined) return undefined
      const key: ConstDirectiveNode = {
        kind: Kind.DIRECTIVE,
        name: { kind: Kind.NAME, value: 'key' },
        arguments: [{ kind: Kind.ARGUMENT, name: { kind: Kind.NAME, value: 'fields' }, value: { kind: Kind.STRING, value: fields } }],
      }
      return { ...node, directives: [...(node.directives ?? []), key] }
    },
  })
  return print(keyed)
}

/** A representation as `_entities` takes it: an object naming one of our entity types, else a request error. */
function representation(value: unknown): Record<string, unknown> {
  const typename = (value as { __typename?: unknown } | null)?.__typename
  if (typeof value !== 'object' || value === null || Array.isArray(value) || typeof typename !== 'string' || !ENTITY_TYPES.has(typename)) {
    throw new GraphQLError(`A representation must be an object whose __typename is one of: ${[...ENTITY_TYPES].join(', ')}`)
  }
  return value as Record<string, unknown>
}

/** `_Any` checked where variables and literals are coerced: a bad representation never reaches a resolver. */
const Any = new GraphQLScalarType({
  name: '_Any',
  serialize: (value) => value,
  parseValue: representation,
  parseLiteral: (ast, variables) => representation(valueFromASTUntyped(ast, variables)),
})

const federationResolvers: IResolvers<unknown, GatewayContext> = {
  _Any: Any,
  Profile: {
    // Profile is the caller's own: another user's id is "User not found", as for any user one may not see.
    async __resolveReference(reference: { id?: unknown }, _args: unknown, ctx: GatewayContext) {
      const requester = await requesterProfile(ctx)
      if (reference.id !== requester.id) throw deny(USER_NOT_FOUND)
      return toProfile(requester)
    },
  },
}

/** schema.graphql with the federation types and fields, and the resolvers of both. */
export function buildSubgraphSchema(typeDefs: string, resolvers: IResolvers): GraphQLSchema {
  // A string: `_service { sdl }` answers it as it is.
  const schema = buildFederationSchema(withEntityKeys(typeDefs))
  // In place: the federation plugin reads Profile's resolveReference from the schema's own type object.
  return addResolversToSchema({ schema, resolvers: mergeResolvers([resolvers, federationResolvers]), updateResolversInPlace: true })
}
