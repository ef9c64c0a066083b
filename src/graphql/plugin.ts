// The executable schema from schema.graphql, run by mercurius through the one execution path
// (src/graphql/engine.ts) for /graphql (src/edge/graphqlHttp.ts) and every REST row alike.
import { readFileSync } from 'node:fs'
import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import { makeExecutableSchema } from '@graphql-tools/schema'
import { mergeResolvers } from '@graphql-tools/merge'
import { registerEngine } from './engine.js'
import { buildSubgraphSchema } from './federation.js'
import { DateTime, SafeInt } from './scalars.js'
import { documentDepthRule, operationDepthRule } from './depth.js'
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
import { projectPath } from '../paths.js'
import { costCheck, mayCompile, parserLimits } from '../edge/cost.js'
import { operationNames, PersistedOperations, trustedDocuments } from '../edge/persisted.js'
import { MemoryDocuments, RedisDocuments } from '../edge/apqStore.js'
import { storableLiteralsRule } from '../edge/text.js'

export const SCHEMA_FILE = projectPath('schema.graphql')

/** The executable schema; with `federation`, as the accounts subgraph of a federated graph (src/graphql/federation.ts). */
export function buildSchema(options: { federation?: boolean } = {}) {
  const typeDefs = readFileSync(SCHEMA_FILE, 'utf8')
  const resolvers = mergeResolvers([
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
  ])
  return options.federation ? buildSubgraphSchema(typeDefs, resolvers) : makeExecutableSchema({ typeDefs, resolvers })
}

async function graphqlPlugin(app: FastifyInstance) {
  const schema = buildSchema({ federation: app.config.graphqlFederation })
  // No limits only where the benchmark measures what they cost (bench/target.ts).
  const limits = app.config.costLimits
  await registerEngine(app, {
    schema,
    introspection: app.config.graphqlIntrospection,
    validationRules: [operationDepthRule, documentDepthRule, storableLiteralsRule],
    // The one compile policy (issue 13 item 1): one operation, a small expanded document.
    mayCompile,
    ...(limits && { parseOptions: parserLimits(limits).parseOptions, documentChecks: [costCheck(limits, app.config.bodyLimit)] }),
  })
  const options = app.config.persistedOperations
  const store =
    app.config.redisUrl && options.automatic
      ? new RedisDocuments({
          url: app.config.redisUrl,
          keyPrefix: options.automaticKeyPrefix,
          maxBytes: options.automaticMaxBytes,
          commandTimeoutMs: app.config.faults.redisCommandTimeoutMs,
          failures: app.failures,
        })
      : new MemoryDocuments(options.automaticMaxBytes)
  app.addHook('onClose', () => store.close())
  const trusted = trustedDocuments(app.config, schema, app.log)
  // Only these names become metric labels: any other name is the client's free choice.
  app.graphqlObserver?.knowOperations(operationNames(trusted))
  const persisted = new PersistedOperations(trusted, options, store)
  await app.register(graphqlHttp, { introspection: app.config.graphqlIntrospection, persisted })
}

export default fp(graphqlPlugin, { name: 'graphql', dependencies: ['auth', 'database', 'failure-log'] })
