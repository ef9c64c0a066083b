// The caller's sessions beyond listing and revoking one (auth.ts): revoke all others, heartbeat.
import type { Resolvers } from './schemaTypes.js'
import { extendSession, revokeSessions } from '../db/repositories/sessions.js'
import { inTransaction } from '../db/repositories/transaction.js'
import { activeRequester, type GatewayContext } from './context.js'
import { GatewayError } from './errors.js'
import { isUuid } from '../domain/fields.js'

export const SESSION_NOT_FOUND = 'Session not found'

const currentSessionOf = (ctx: GatewayContext) => (ctx.request.auth.status === 'valid' ? ctx.request.auth.sessionId : undefined)

export const sessionResolvers: Resolvers = {
  Mutation: {
    async revokeOtherSessions(_root, _args, ctx) {
      const caller = await activeRequester(ctx)
      const revoked = await revokeSessions(
        ctx.app.db.prisma,
        { userId: caller.id, exceptSessionId: currentSessionOf(ctx), liveOnly: true },
        'revoked_by_user',
      )
      return { success: true, message: 'All other sessions revoked successfully', revoked }
    },

    async sessionHeartbeat(_root, args: { tokenId: string }, ctx) {
      const caller = await activeRequester(ctx)
      if (!isUuid(args.tokenId)) throw new GatewayError('NOT_FOUND', SESSION_NOT_FOUND)
      const ttl = ctx.app.config.refreshTokenTtlSeconds
      const newExpiry = await inTransaction(ctx.app.db.prisma, (tx) =>
        extendSession(tx, { sessionId: args.tokenId, userId: caller.id }, ttl),
      )
      if (!newExpiry) throw new GatewayError('NOT_FOUND', SESSION_NOT_FOUND)
      return { success: true, message: 'Session heartbeat recorded', newExpiry }
    },
  },
}
