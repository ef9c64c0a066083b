// quota: the organization's active subscription and, per capability of its plan, the current usage.
import type { Resolvers } from './schemaTypes.js'
import { periodStartOf, usagePercentage } from '../domain/quota.js'
import { QUOTA_MAX_CAPABILITIES } from '../domain/listBounds.js'
import { activeRequester } from './context.js'
import { GatewayError } from './errors.js'
import { findActiveSubscription, findUsage } from '../db/repositories/organizations.js'

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER)

/** A count JSON cannot carry exactly is a fault here, not in the request: fail rather than round. */
function exact(value: bigint): bigint {
  if (value > MAX_SAFE || value < -MAX_SAFE) throw new Error('a quota figure exceeds 2^53 - 1')
  return value
}

export const noActiveSubscription = () => new GatewayError('NOT_FOUND', 'No active subscription', { errorCode: 'NO_ACTIVE_SUBSCRIPTION' })

export const quotaResolvers: Resolvers = {
  Query: {
    async quota(_root, _args, ctx) {
      const caller = await activeRequester(ctx)
      // Without an organization there is nothing subscribed: the same answer as an org without a plan.
      if (caller.orgId === null) throw noActiveSubscription()
      const { prisma } = ctx.app.db
      const now = new Date()
      const subscription = await findActiveSubscription(prisma, caller.orgId, now, QUOTA_MAX_CAPABILITIES)
      if (!subscription) throw noActiveSubscription()
      const limits = subscription.plan.capabilities
      const periods = limits.map(({ capability }) => ({
        capabilityId: capability.id,
        periodStart: periodStartOf(capability.periodType, now),
      }))
      // One query for every capability's current period: the list never costs a query per item.
      const usage = await findUsage(prisma, caller.orgId, periods)
      const currentOf = new Map(usage.map((row) => [row.capabilityId, row.current]))
      return {
        subscription: { id: subscription.id, name: subscription.plan.name, description: subscription.plan.description },
        quotaUsage: limits.map(({ capability, max }) => {
          const current = currentOf.get(capability.id) ?? 0n
          return { capability, usage: { current: exact(current), max: exact(max), percentage: exact(usagePercentage(current, max)) } }
        }),
      }
    },
  },
}
