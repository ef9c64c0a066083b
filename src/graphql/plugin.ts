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
import { documentDepthRule, INTROSPECTION_DEPTH_LIMIT, operationDepthRule } from './depth.js'
import { userResolvers } from './users.js'
import { userUpdateResolvers } from './userUpdates.js'
import { organizationUserResolvers } from './organizationUsers.js'
import { quotaResolvers } from './quota.js'
import { authResolvers } from './auth.js'
import { sessionResolvers } from './sessions.js'
import { organizationResolvers } from './organization.js'
import { accountMailResolvers } from './accountMail.js'
import { mfaResolvers } from './mfa.js'
import { settingsResolvers } from './settings.js'
import { demoRequestResolvers } from './demoRequests.js'
import { graphqlHttp } from '../edge/graphqlHttp.js'
import { OperationPreparer } from '../edge/operation.js'
import { projectPath } from '../paths.js'
import { compilePolicy, costCheck, parserLimits } from '../edge/cost.js'
import { PersistedOperations, trustedDocuments } from '../edge/persisted.js'
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
      accountMailResolvers,
      mfaResolvers,
      settingsResolvers,
      demoRequestResolvers,
    ]),
  })
}

async function graphqlPlugin(app: FastifyInstance) {
  const schema = buildSchema()
  // mercurius runs the REST routes' fixed operations in-process (reply.graphql); /graphql is the edge's.
  await app.register(mercurius, {
    schema,
    routes: false,
    graphiql: false,
    context: (request) => contextFor(request),
    errorFormatter: errorFormatter as never,
    queryDepth: INTROSPECTION_DEPTH_LIMIT,
    validationRules: [operationDepthRule, storableLiteralsRule],
    // Compile an operation to JavaScript after its first use (REST routes repeat fixed, single-operation
    // texts), if the compile policy allows it (the preExecution hook below).
    jit: 1,
    cache: 1024,
    ...(app.config.costLimits && { graphql: parserLimits(app.config.costLimits) }),
  })
  // No limits only where the benchmark measures what they cost (bench/target.ts).
  const limits = app.config.costLimits as typeof app.config.costLimits | null
  if (limits) app.graphql.addHook('preValidation', costCheck(limits, app.config.bodyLimit))
  // The one compile policy: mercurius compiles (jit) only what mayCompile allows.
  app.graphql.addHook('preExecution', compilePolicy)
  const preparer = new OperationPreparer({
    schema,
    validationRules: [operationDepthRule, documentDepthRule, storableLiteralsRule],
    introspection: app.config.graphqlIntrospection,
    ...(limits && { parseOptions: parserLimits(limits).parseOptions, documentChecks: [costCheck(limits, app.config.bodyLimit)] }),
  })
  const persisted = new PersistedOperations(trustedDocuments(app.config, schema, app.log), app.config.persistedOperations)
  await app.register(graphqlHttp, { schema, preparer, persisted })
}

export default fp(graphqlPlugin, { name: 'graphql', dependencies: ['auth', 'database'] })
