// What Fastify and Node refuse before any route runs, answered in the contract's JSON envelope and never
// echoing the request: bad percent-encoding, over-long path parameters, oversized headers, malformed HTTP.
import { STATUS_CODES, type IncomingMessage, type ServerResponse } from 'node:http'
import type { Duplex } from 'node:stream'
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { API_SECURITY_HEADERS } from '../securityHeaders.js'

/**
 * Longer than any request line Node accepts (its header limit is 16 KB), so an over-long id reaches its
 * route and is answered as any unknown id is, instead of Fastify's 414 that echoes the URL.
 */
export const MAX_PARAM_LENGTH = 16 * 1024

const decodes = (segment: string) => {
  try {
    decodeURIComponent(segment)
    return true
  } catch {
    return false
  }
}

/**
 * rewriteUrl: a path segment whose percent-encoding does not decode (`/user/%ZZ`, a lone `%FF`) has its `%`
 * escaped, so the router passes it on literally: an id that names nobody, answered by its route as such.
 */
export function repairPercentEncoding(url: string): string {
  const query = url.indexOf('?')
  const path = query === -1 ? url : url.slice(0, query)
  if (!path.includes('%')) return url
  const repaired = path
    .split('/')
    .map((segment) => (segment.includes('%') && !decodes(segment) ? segment.replaceAll('%', '%25') : segment))
    .join('/')
  return query === -1 ? repaired : repaired + url.slice(query)
}

const envelope = (message: string) => ({ success: false, message })

/** frameworkErrors: whatever the router still refuses (a bad URL, an async constraint) is a 400 in the envelope. */
export function frameworkErrors(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  request.log.info({ code: error.code }, 'request refused by the router')
  reply.headers(API_SECURITY_HEADERS)
  return reply.code(400).send(envelope('Invalid request URL'))
}

/** Node's HTTP parser's refusals (431 headers too large, 400 malformed, 408 timeout), with a JSON body, then the connection closes. */
export function clientErrorHandler(
  this: { log: { trace(obj: object, msg: string): void } },
  err: Error & { code?: string },
  socket: Duplex,
) {
  // A reset connection has nobody to answer.
  if (err.code === 'ECONNRESET' || socket.destroyed) return
  const [status, message] =
    err.code === 'HPE_HEADER_OVERFLOW'
      ? [431, 'Request header fields too large']
      : err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? [408, 'Request timeout']
        : [400, 'Malformed HTTP request']
  this.log.trace({ code: err.code }, 'client error')
  if (socket.writable) {
    const body = JSON.stringify(envelope(message))
    const headers = Object.entries(API_SECURITY_HEADERS)
      .map(([name, value]) => `${name}: ${value}\r\n`)
      .join('')
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\ncontent-type: application/json; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(body)}\r\n` +
        `${headers}connection: close\r\n\r\n${body}`,
    )
  }
  socket.destroy(err)
}

/**
 * What Node itself answers with an empty body, answered in the envelope instead: an `Expect` other than
 * 100-continue (417), and an HTTP/1.1 request without `Host` (400; Node's own check is turned off in
 * buildApp's `http` options so that this one runs).
 */
export function httpProtocolRefusals(app: FastifyInstance) {
  app.server.on('checkExpectation', (_req: IncomingMessage, res: ServerResponse) => {
    const body = JSON.stringify(envelope('Expectation failed: only "Expect: 100-continue" is supported'))
    res.writeHead(417, {
      ...API_SECURITY_HEADERS,
      'content-type': 'application/json; charset=utf-8',
      'content-length': Buffer.byteLength(body),
      connection: 'close',
    })
    res.end(body)
  })
  app.addHook('onRequest', (request, reply, done) => {
    if (request.headers.host !== undefined || request.raw.httpVersion !== '1.1') return done()
    reply.header('connection', 'close').code(400).send(envelope('Missing Host header'))
  })
}
