// GRAPHQL_FEDERATION: the gateway as the accounts subgraph of a federated graph (Apollo Federation v1, as
// @mercuriusjs/gateway composes it). Profile and OrganizationUser are entities keyed by id; a reference
// resolves under the same rules as the queries that read them (me, organizationUser(id)).
import { buildFederationSchema } from '@mercuriusjs/federation'
import { addResolversToSchema } from '@graphql-tools/schema'
import { mergeResolvers } from '@graphql-tools/merge'
import type { IResolvers } from '@graphql-tools/utils'
import type { GraphQLSchema } from 'graphql'
import { USER_NOT_FOUND } from '../domain/access.js'
import { requesterProfile, type GatewayContext } from './context.js'
import { deny } from './errors.js'
import { toProfile, userResolvers } from './users.js'

/** The types other subgraphs may extend, by their key. */
export const ENTITY_TYPES = ['Profile', 'OrganizationUser'] as const

/** The schema's text with @key(fields: "id") on each entity type. */
export function federatedTypeDefs(typeDefs: string): string {
  let text = typeDefs
  for (const type of ENTITY_TYPES) {
    const declared = new RegExp(`^type ${type} \\{`, 'm')
    if (!declared.test(text)) throw new Error(`schema.graphql: type ${type} is no longer declared as federation expects`)
    text = text.replace(declared, `type ${type} @key(fields: "id") {`)
  }
  return text
}

type Reference = { id?: unknown }
type OrganizationUserQuery = (root: unknown, args: { id: string }, ctx: GatewayContext) => Promise<unknown>

const entityResolvers: IResolvers<unknown, GatewayContext> = {
  Profile: {
    // A profile is the caller's own (as `me`): any other id is not found.
    async __resolveReference(reference: Reference, _args: unknown, ctx: GatewayContext) {
      const profile = toProfile(await requesterProfile(ctx))
      if (typeof reference.id !== 'string' || reference.id.toLowerCase() !== profile.id) throw deny(USER_NOT_FOUND)
      return profile
    },
  },
  OrganizationUser: {
    // As organizationUser(id): the caller's organization, at the role the query asks for.
    __resolveReference(reference: Reference, _args: unknown, ctx: GatewayContext) {
      const query = (userResolvers.Query as { organizationUser: OrganizationUserQuery }).organizationUser
      return query(undefined, { id: String(reference.id ?? '') }, ctx)
    },
  },
}

/** The subgraph schema: _service { sdl }, _entities(representations:) and every field of schema.graphql. */
export function buildFederatedSchema(typeDefs: string, resolvers: IResolvers): GraphQLSchema {
  const schema = buildFederationSchema(federatedTypeDefs(typeDefs))
  // In place: the federation's own _entities and _service resolvers stay as they are.
  return addResolversToSchema({
    schema,
    resolvers: mergeResolvers([resolvers, entityResolvers as IResolvers]),
    updateResolversInPlace: true,
  })
}
