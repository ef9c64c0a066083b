// What every resolver receives: the app's services and the requester, looked up once per request.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { Requester, RequesterLookup } from '../auth/requester.js'
import { GatewayError, unauthenticated } from './errors.js'

export interface GatewayContext {
  app: FastifyInstance
  reply: FastifyReply
  request: FastifyRequest
  /** The request's id (X-Request-Id or generated): the reqId of its log lines. */
  requestId: string
}

/** The context for a GraphQL execution on behalf of `request` (over /graphql or a REST route). */
export function contextFor(request: FastifyRequest): Pick<GatewayContext, 'request' | 'requestId'> {
  return { request, requestId: request.id }
}

/** The requester, or UNAUTHENTICATED when the token is missing, invalid, revoked or its user is gone. */
export async function activeRequester(ctx: GatewayContext): Promise<Requester> {
  const found = await ctx.request.lookUpRequester()
  if (found.status !== 'active') throw unauthenticated()
  return found.user
}

/** Like activeRequester, but a gone user is NOT_FOUND (the profile route documents it so). */
export async function requesterProfile(ctx: GatewayContext): Promise<Requester> {
  const found: RequesterLookup = await ctx.request.lookUpRequester()
  if (found.status === 'gone') throw new GatewayError('NOT_FOUND', 'User not found')
  if (found.status !== 'active') throw unauthenticated()
  return found.user
}
