// GET /.well-known/jwks.json: the public keys that verify access tokens (RFC 7517), so that other services
// check a token without JWT_SECRET. Empty while tokens are HS256 (a shared secret is never published).
import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'

/** Long enough to spare the gateway, short next to a key rotation's overlap (one access-token lifetime). */
export const JWKS_MAX_AGE_SECONDS = 300

const jwk = {
  type: 'object',
  properties: {
    kty: { type: 'string', enum: ['OKP', 'EC'] },
    crv: { type: 'string', enum: ['Ed25519', 'P-256'] },
    x: { type: 'string' },
    y: { type: 'string' },
    kid: { type: 'string' },
    alg: { type: 'string', enum: ['EdDSA', 'ES256'] },
    use: { type: 'string', enum: ['sig'] },
  },
  required: ['kty', 'crv', 'x', 'kid', 'alg', 'use'],
} as const

const jwkSet = {
  type: 'object',
  properties: { keys: { type: 'array', items: jwk } },
  required: ['keys'],
} as const

async function jwksPlugin(app: FastifyInstance) {
  const jwks = { keys: app.config.jwt.verificationKeys.map((key) => key.jwk) }
  app.get(
    '/.well-known/jwks.json',
    {
      schema: {
        tags: ['Operations'],
        summary: 'The public keys that verify access tokens (JWK set); empty while tokens are HS256',
        security: [],
        response: { 200: jwkSet },
      },
    },
    async (_request, reply) => {
      reply.header('cache-control', `public, max-age=${JWKS_MAX_AGE_SECONDS}`)
      return jwks
    },
  )
}

export default fp(jwksPlugin, { name: 'jwks', dependencies: ['config'] })
