// POST/GET /graphql: the executable schema from schema.graphql, served by mercurius.
import { readFileSync } from 'node:fs'
import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import mercurius from 'mercurius'
import { makeExecutableSchema } from '@graphql-tools/schema'
import { mergeResolvers } from '@graphql-tools/merge'
import { contextFor } from './context.js'
import { errorFormatter } from './errors.js'
import { DateTime, SafeInt } from './scalars.js'
import { INTROSPECTION_DEPTH_LIMIT, operationDepthRule } from './depth.js'
import { userResolvers } from './users.js'
import { userUpdateResolvers } from './userUpdates.js'
import { organizationUserResolvers } from './organizationUsers.js'
import { quotaResolvers } from './quota.js'
import { authResolvers } from './auth.js'
import { sessionResolvers } from './sessions.js'
import { organizationResolvers } from './organization.js'
import { authChallenge } from '../auth/plugin.js'
import { projectPath } from '../paths.js'
import { costCheck, parserLimits } from '../edge/cost.js'
import { persistedQueryProvider, trustedDocuments } from '../edge/persisted.js'
import { storableLiteralsRule } from '../edge/text.js'

export const SCHEMA_FILE = projectPath('schema.graphql')

export function buildSchema() {
  return makeExecutableSchema({
    typeDefs: readFileSync(SCHEMA_FILE, 'utf8'),
    resolvers: mergeResolvers([
      { DateTime, SafeInt },
      userResolvers,
      authResolvers,
      userUpdateResolvers,
      organizationUserResolvers,
      quotaResolvers,
      sessionResolvers,
      organizationResolvers,
    ]),
  })
}

async function graphqlPlugin(app: FastifyInstance) {
  const schema = buildSchema()
  await app.register(mercurius, {
    schema,
    path: '/graphql',
    graphiql: false,
    context: (request) => contextFor(request),
    errorFormatter: errorFormatter as never,
    queryDepth: INTROSPECTION_DEPTH_LIMIT,
    validationRules: [operationDepthRule, storableLiteralsRule],
    // Compile an operation to JavaScript after its first use: REST routes repeat fixed operations.
    jit: 1,
    cache: 1024,
    ...(app.config.costLimits && { graphql: parserLimits(app.config.costLimits) }),
    persistedQueryProvider: persistedQueryProvider(trustedDocuments(app.config, schema, app.log), app.config.persistedOperations),
    additionalRouteOptions: {
      // A token that was sent but is not valid is refused here, before any execution.
      preHandler: (request, reply, done) => {
        if (request.auth.status !== 'invalid') return done()
        reply.code(401).header('www-authenticate', authChallenge(request))
        reply.send({ data: null, errors: [{ message: 'Authentication required', extensions: { code: 'UNAUTHENTICATED' } }] })
      },
    },
  })
  // No limits only where the benchmark measures what they cost (bench/target.ts).
  if (app.config.costLimits) app.graphql.addHook('preValidation', costCheck(app.config.costLimits, app.config.bodyLimit))
}

export default fp(graphqlPlugin, { name: 'graphql', dependencies: ['auth', 'database'] })
