// What a request log line says about the request: Fastify's own fields, with the URL's query string
// redacted. A GET /graphql carries its variables (a password, a token) and extensions in the URL, and
// any parameter may carry what a client should not have put there: only known-harmless values stay.
import type { FastifyRequest } from 'fastify'

/** Query parameters whose values are logged as sent: the operation's name and paging. */
export const LOGGED_PARAMS: ReadonlySet<string> = new Set(['operationName', 'limit', 'offset'])
export const REDACTED_VALUE = '[redacted]'

/** The URL with every query parameter's value replaced, except those in LOGGED_PARAMS; a bare parameter (no `=`) is replaced whole. */
export function redactedUrl(url: string): string {
  const start = url.indexOf('?')
  if (start === -1) return url
  const pairs = url
    .slice(start + 1)
    .split('&')
    .map((pair) => {
      if (pair === '') return pair
      const equals = pair.indexOf('=')
      if (equals === -1) return REDACTED_VALUE
      const name = pair.slice(0, equals)
      return LOGGED_PARAMS.has(decodedName(name)) ? pair : `${name}=${REDACTED_VALUE}`
    })
  return `${url.slice(0, start + 1)}${pairs.join('&')}`
}

function decodedName(name: string): string {
  try {
    return decodeURIComponent(name.replace(/\+/g, ' '))
  } catch {
    return name
  }
}

const acceptVersion = (value: string | string[] | undefined) => (Array.isArray(value) ? value.join(', ') : value)

/** pino's `req` serializer: Fastify's default fields, the URL redacted. */
export function requestSerializer(request: FastifyRequest) {
  return {
    method: request.method,
    url: redactedUrl(request.url ?? ''),
    version: acceptVersion(request.headers?.['accept-version']),
    host: request.host,
    remoteAddress: request.ip,
    remotePort: request.socket ? request.socket.remotePort : undefined,
  }
}
