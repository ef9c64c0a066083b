// The executable schema: schema.graphql and the resolvers by area, run by mercurius through the one
// execution path (src/graphql/engine.ts) for /graphql and every REST row alike.
import { readFileSync } from 'node:fs'
import { makeExecutableSchema } from '@graphql-tools/schema'
import { mergeResolvers } from '@graphql-tools/merge'
import { buildSubgraphSchema } from './federation.js'
import { DateTime, SafeInt } from './scalars.js'
import { userResolvers } from './users.js'
import { userUpdateResolvers } from './userUpdates.js'
import { organizationUserResolvers } from './organizationUsers.js'
import { quotaResolvers } from './quota.js'
import { authResolvers } from './auth.js'
import { sessionResolvers } from './sessions.js'
import { organizationResolvers } from './organization.js'
import { accountMailResolvers } from './accountMail.js'
import { mfaResolvers } from './mfa.js'
import { mfaRecoveryResolvers } from './mfaRecovery.js'
import { deviceResolvers } from './devices.js'
import { passkeyResolvers } from './passkeys.js'
import { magicLinkResolvers } from './magicLinks.js'
import { settingsResolvers } from './settings.js'
import { demoRequestResolvers } from './demoRequests.js'
import { signInResolvers } from './signIn.js'
import { projectPath } from '../paths.js'

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
    mfaRecoveryResolvers,
    deviceResolvers,
    passkeyResolvers,
    magicLinkResolvers,
    settingsResolvers,
    demoRequestResolvers,
    signInResolvers,
  ])
  return options.federation ? buildSubgraphSchema(typeDefs, resolvers) : makeExecutableSchema({ typeDefs, resolvers })
}
