// Security headers on every response, with a Content-Security-Policy that allows the gateway's own origin only.
import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import helmet from '@fastify/helmet'

/** data: is for the fonts and icons GraphiQL and Swagger UI embed in their CSS; nothing leaves the origin. */
export const CONTENT_SECURITY_POLICY = {
  'default-src': ["'self'"],
  'base-uri': ["'self'"],
  'script-src': ["'self'"],
  'script-src-attr': ["'none'"],
  'style-src': ["'self'"],
  'img-src': ["'self'", 'data:'],
  'font-src': ["'self'", 'data:'],
  'connect-src': ["'self'"],
  'object-src': ["'none'"],
  'frame-ancestors': ["'none'"],
  'form-action': ["'self'"],
}

async function securityHeaders(app: FastifyInstance) {
  await app.register(helmet, {
    // useDefaults off: helmet's defaults add https: origins and upgrade-insecure-requests (breaks plain-HTTP intranets).
    contentSecurityPolicy: { useDefaults: false, directives: CONTENT_SECURITY_POLICY },
  })
}

export default fp(securityHeaders, { name: 'security-headers' })
