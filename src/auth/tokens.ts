// Access tokens: JWTs signed and verified with fast-jwt, every claim pinned and required. HS256 with JWT_SECRET
// by default; EdDSA or ES256 with a `kid` when JWT_PRIVATE_KEY is set (src/crypto/signingKeys.ts).
import { createSigner, createVerifier } from 'fast-jwt'
import type { Config } from '../config.js'
import { isUuid } from '../domain/fields.js'

/** The symmetric algorithm: the default for access tokens, and always the MFA pending tokens'. */
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

type Verify = (token: string) => unknown

export function createAccessTokens(jwt: Config['jwt']): AccessTokens {
  const signing = jwt.signingKey
  const sign = createSigner({
    key: signing ? signing.privateKeyPem : jwt.secret,
    algorithm: signing ? signing.algorithm : ACCESS_TOKEN_ALGORITHM,
    ...(signing && { kid: signing.kid }),
    iss: jwt.issuer,
    aud: jwt.audience,
    expiresIn: jwt.accessTokenTtlSeconds * 1000,
  })
  const verifierFor = (key: string, algorithm: string): Verify =>
    createVerifier({
      key,
      algorithms: [algorithm as 'HS256'],
      allowedIss: [jwt.issuer],
      allowedAud: [jwt.audience],
      requiredClaims: ['iss', 'aud', 'exp', 'iat', 'sub', 'sid'],
      // A verified token is remembered until it expires: the signature is checked once.
      cache: 10_000,
    })
  // HS256 tokens (no kid) keep verifying after a switch to a private key: nobody is logged out by it.
  const symmetric = verifierFor(jwt.secret, ACCESS_TOKEN_ALGORITHM)
  const byKid = new Map(jwt.verificationKeys.map((key) => [key.kid, verifierFor(key.publicKeyPem, key.algorithm)]))
  const verifyAny: Verify =
    byKid.size === 0
      ? symmetric
      : (token) => {
          const kid = kidOf(token)
          if (kid === undefined) return symmetric(token)
          const verifyWithKey = byKid.get(kid)
          if (!verifyWithKey) throw new Error('token signed with an unknown key')
          return verifyWithKey(token)
        }
  return {
    issue(userId, sessionId) {
      const accessToken = sign({ sub: userId, sid: sessionId })
      const exp = JSON.parse(Buffer.from(accessToken.split('.')[1]!, 'base64url').toString('utf8')).exp as number
      return { accessToken, expiresAt: exp }
    },
    verify(token) {
      const claims = verifyAny(token) as Partial<AccessClaims>
      // Ids are UUIDs: anything else (only forgeable with the key) must not reach a query as one.
      if (!isUuid(claims.sub) || !isUuid(claims.sid)) throw new Error('token claims of the wrong type')
      return claims as AccessClaims
    },
  }
}

/** The `kid` of a token's header, if it names one; throws on a header that is not JSON. */
function kidOf(token: string): string | undefined {
  const header = JSON.parse(Buffer.from(token.slice(0, token.indexOf('.')), 'base64url').toString('utf8')) as { kid?: unknown }
  return typeof header.kid === 'string' ? header.kid : undefined
}
