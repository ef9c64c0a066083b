// Reads the Bearer token of every request (no I/O) and offers the requester lookup, memoised per request.
import type { FastifyInstance, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import { createAccessTokens, type AccessTokens } from './tokens.js'
import { lookUpRequester, type RequesterLookup } from './requester.js'
import { createMfaPendingTokens, type MfaPendingTokens } from '../mfa/pendingTokens.js'

export type AuthState =
  | { status: 'none' }
  | { status: 'invalid' }
  | { status: 'valid'; userId: string; sessionId: string }
  /** A login's limited token, awaiting its MFA code: only the MFA routes accept it. */
  | { status: 'mfaPending'; userId: string; loginId: string }

declare module 'fastify' {
  interface FastifyInstance {
    accessTokens: AccessTokens
    mfaPendingTokens: MfaPendingTokens
  }
  interface FastifyRequest {
    auth: AuthState
    /** The requester as the database has it now; one query per request at most. */
    lookUpRequester(): Promise<RequesterLookup>
  }
}

const NO_AUTH: AuthState = { status: 'none' }
const INVALID: AuthState = { status: 'invalid' }
const ANONYMOUS: Promise<RequesterLookup> = Promise.resolve({ status: 'anonymous' })
const kLookup = Symbol('requesterLookup')

/** The WWW-Authenticate challenge for a 401 (RFC 6750). */
export function authChallenge(request: FastifyRequest): string {
  return request.auth.status === 'none' ? 'Bearer' : 'Bearer error="invalid_token"'
}

export function readAuthorization(header: string | undefined, tokens: AccessTokens, pending?: MfaPendingTokens): AuthState {
  if (header === undefined) return NO_AUTH
  const match = /^Bearer +([A-Za-z0-9\-_.~+/]+=*) *$/i.exec(header)
  if (!match) return INVALID
  try {
    const claims = tokens.verify(match[1]!)
    return { status: 'valid', userId: claims.sub, sessionId: claims.sid }
  } catch {
    // Only a token that failed as an access token is tried as a pending one: the hot path pays nothing.
    if (!pending) return INVALID
    try {
      return { status: 'mfaPending', ...pending.verify(match[1]!) }
    } catch {
      return INVALID
    }
  }
}

async function authPlugin(app: FastifyInstance) {
  app.decorate('accessTokens', createAccessTokens(app.config.jwt))
  app.decorate('mfaPendingTokens', createMfaPendingTokens(app.config.jwt))
  app.decorateRequest('auth', null as never)
  app.decorateRequest(kLookup, null)
  app.decorateRequest('lookUpRequester', function (this: FastifyRequest) {
    const memo = this as FastifyRequest & { [kLookup]: Promise<RequesterLookup> | null }
    if (memo[kLookup]) return memo[kLookup]
    const auth = this.auth
    memo[kLookup] = auth.status === 'valid' ? lookUpRequester(app.db.sql, auth.userId, auth.sessionId) : ANONYMOUS
    return memo[kLookup]
  })
  // Callback style: no promise per request on the hot path.
  app.addHook('onRequest', (request, _reply, done) => {
    request.auth = readAuthorization(request.headers.authorization, app.accessTokens, app.mfaPendingTokens)
    done()
  })
}

export default fp(authPlugin, { name: 'auth', dependencies: ['database'] })
