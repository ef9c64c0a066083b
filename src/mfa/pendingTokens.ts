// The limited token a password login gives an MFA user: another audience, so no other route accepts it.
import { randomUUID } from 'node:crypto'
import { createSigner, createVerifier } from 'fast-jwt'
import type { Config } from '../config.js'
import { ACCESS_TOKEN_ALGORITHM, type IssuedAccessToken } from '../auth/tokens.js'
import { isUuid } from '../domain/fields.js'

/** Long enough to open the authenticator app, short enough to be useless when stolen. */
export const MFA_PENDING_TTL_SECONDS = 300

export interface MfaPendingTokens {
  issue(userId: string): IssuedAccessToken
  /** The user id and the login's id (the token's jti) of a valid pending token; throws otherwise. */
  verify(token: string): { userId: string; loginId: string }
}

export const mfaPendingAudience = (audience: string) => `${audience}:mfa-pending`

export function createMfaPendingTokens(jwt: Config['jwt']): MfaPendingTokens {
  const aud = mfaPendingAudience(jwt.audience)
  const sign = createSigner({
    key: jwt.secret,
    algorithm: ACCESS_TOKEN_ALGORITHM,
    iss: jwt.issuer,
    aud,
    expiresIn: MFA_PENDING_TTL_SECONDS * 1000,
  })
  const verify = createVerifier({
    key: jwt.secret,
    algorithms: [ACCESS_TOKEN_ALGORITHM],
    allowedIss: [jwt.issuer],
    allowedAud: [aud],
    requiredClaims: ['iss', 'aud', 'exp', 'iat', 'sub', 'jti'],
  })
  return {
    issue(userId) {
      const accessToken = sign({ sub: userId, jti: randomUUID() })
      const exp = JSON.parse(Buffer.from(accessToken.split('.')[1]!, 'base64url').toString('utf8')).exp as number
      return { accessToken, expiresAt: exp }
    },
    verify(token) {
      const claims = verify(token) as { sub?: unknown; jti?: unknown }
      // A user id is a UUID: anything else (only forgeable with the key) must not reach a query as one.
      if (!isUuid(claims.sub) || !isUuid(claims.jti)) throw new Error('token claims of the wrong type')
      return { userId: claims.sub, loginId: claims.jti }
    },
  }
}
