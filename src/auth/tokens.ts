// Access tokens: HS256 JWTs signed and verified with fast-jwt, every claim pinned and required.
import { createSigner, createVerifier } from 'fast-jwt'
import type { Config } from '../config.js'
import { isUuid } from '../domain/fields.js'

export const ACCESS_TOKEN_ALGORITHM = 'HS256'

export interface AccessClaims {
  /** The user id. */
  sub: string
  /** The session (login) this token belongs to; revoking the session revokes the token. */
  sid: string
  iat: number
  exp: number
}

export interface IssuedAccessToken {
  accessToken: string
  /** The token's `exp`: seconds since the epoch. */
  expiresAt: number
}

export interface AccessTokens {
  issue(userId: string, sessionId: string): IssuedAccessToken
  /** Throws on any token that is not ours, well-formed, unexpired and complete. */
  verify(token: string): AccessClaims
}

export function createAccessTokens(jwt: Config['jwt']): AccessTokens {
  const sign = createSigner({
    key: jwt.secret,
    algorithm: ACCESS_TOKEN_ALGORITHM,
    iss: jwt.issuer,
    aud: jwt.audience,
    expiresIn: jwt.accessTokenTtlSeconds * 1000,
  })
  const verify = createVerifier({
    key: jwt.secret,
    algorithms: [ACCESS_TOKEN_ALGORITHM],
    allowedIss: [jwt.issuer],
    allowedAud: [jwt.audience],
    requiredClaims: ['iss', 'aud', 'exp', 'iat', 'sub', 'sid'],
    // A verified token is remembered until it expires: the signature is checked once.
    cache: 10_000,
  })
  return {
    issue(userId, sessionId) {
      const accessToken = sign({ sub: userId, sid: sessionId })
      const exp = JSON.parse(Buffer.from(accessToken.split('.')[1]!, 'base64url').toString('utf8')).exp as number
      return { accessToken, expiresAt: exp }
    },
    verify(token) {
      const claims = verify(token) as Partial<AccessClaims>
      // Ids are UUIDs: anything else (only forgeable with the key) must not reach a query as one.
      if (!isUuid(claims.sub) || !isUuid(claims.sid)) throw new Error('token claims of the wrong type')
      return claims as AccessClaims
    },
  }
}
