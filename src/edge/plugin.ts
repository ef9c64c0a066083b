// The one engine for /graphql and every REST row: the schema (src/graphql/schema.ts) registered with
// mercurius (src/graphql/engine.ts) together with the edge's rules — depth, text, cost, persisted
// operations — and the GraphQL-over-HTTP layer (src/edge/graphqlHttp.ts).
import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import { registerEngine } from '../graphql/engine.js'
import { buildSchema } from '../graphql/schema.js'
import { documentDepthRule, operationDepthRule } from '../graphql/depth.js'
import { graphqlHttp } from './graphqlHttp.js'
import { costCheck, mayCompile, parserLimits } from './cost.js'
import { operationNames, PersistedOperations, trustedDocuments } from './persisted.js'
import { MemoryDocuments, RedisDocuments } from './apqStore.js'
import { storableLiteralsRule } from './text.js'

export interface GraphqlPluginOptions {
  /** The REST routes' fixed operations (src/rest/plugin.ts, handed in by src/app.ts): always trusted. */
  restOperations: string[]
}

async function graphqlPlugin(app: FastifyInstance, opts: GraphqlPluginOptions) {
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
  const trusted = trustedDocuments(app.config, schema, app.log, opts.restOperations)
  // Only these names become metric labels: any other name is the client's free choice.
  app.graphqlObserver?.knowOperations(operationNames(trusted))
  const persisted = new PersistedOperations(trusted, options, store)
  await app.register(graphqlHttp, {
    introspection: app.config.graphqlIntrospection,
    persisted,
    responseLimitBytes: app.config.responseLimitBytes,
  })
}

export default fp(graphqlPlugin, { name: 'graphql', dependencies: ['auth', 'database', 'failure-log'] })
