// Security headers on every response, with a Content-Security-Policy that allows the gateway's own origin only.
import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import helmet, { type HelmetOptions } from 'helmet'

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

const HELMET_OPTIONS: HelmetOptions = {
  // useDefaults off: helmet's defaults add https: origins and upgrade-insecure-requests (breaks plain-HTTP intranets).
  contentSecurityPolicy: { useDefaults: false, directives: CONTENT_SECURITY_POLICY },
}

/**
 * The headers helmet sets, computed once: none of ours depends on the request, and running helmet's
 * middleware per request cost several percent of a profile read's time.
 */
export function securityHeaderValues(options: HelmetOptions = HELMET_OPTIONS): Record<string, string> {
  const headers: Record<string, string> = {}
  const response = {
    setHeader: (name: string, value: unknown) => void (headers[name.toLowerCase()] = String(value)),
    removeHeader: (name: string) => void delete headers[name.toLowerCase()],
    getHeader: (name: string) => headers[name.toLowerCase()],
  }
  helmet(options)({} as never, response as never, (err?: unknown) => {
    if (err) throw err
  })
  return headers
}

/**
 * JSON responses get OWASP's REST API set: nothing in them may load or frame anything, and nothing is
 * cached (they carry tokens and personal data). Half the bytes of the page set, on every API answer.
 */
export const API_SECURITY_HEADERS: Record<string, string> = {
  'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
  'strict-transport-security': 'max-age=31536000; includeSubDomains',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cross-origin-resource-policy': 'same-origin',
  'cache-control': 'no-store',
}

/** The pages people open in a browser (and their assets): the full helmet set. */
const isPage = (url: string) => url.startsWith('/graphiql') || url.startsWith('/docs')

async function securityHeaders(app: FastifyInstance) {
  const pageHeaders = securityHeaderValues()
  app.addHook('onRequest', (request, reply, done) => {
    reply.headers(isPage(request.url) ? pageHeaders : API_SECURITY_HEADERS)
    done()
  })
}

export default fp(securityHeaders, { name: 'security-headers' })
