// Request ids: the caller's X-Request-Id when it is short and plain, otherwise a fresh UUID.
import { randomUUID } from 'node:crypto'
import type { IncomingMessage } from 'node:http'
import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'

export const REQUEST_ID_HEADER = 'x-request-id'
/** Long enough for a UUID, a W3C trace id or a proxy's composite id; short enough for every log line. */
export const MAX_REQUEST_ID_LENGTH = 128
// Letters, digits and . _ : = + / - only: nothing that can break a header, a log line or a label.
const SAFE_REQUEST_ID = new RegExp(`^[A-Za-z0-9._:=+/-]{1,${MAX_REQUEST_ID_LENGTH}}$`)

/** Fastify's genReqId: the id becomes request.id and the reqId of every log line of the request. */
export function requestIdOf(raw: IncomingMessage): string {
  const sent = raw.headers[REQUEST_ID_HEADER]
  return typeof sent === 'string' && SAFE_REQUEST_ID.test(sent) ? sent : randomUUID()
}

/** Echoes the id on every response, errors and 404s included (set before anything can fail). */
async function requestIds(app: FastifyInstance) {
  app.addHook('onRequest', (request, reply, done) => {
    reply.header(REQUEST_ID_HEADER, request.id)
    done()
  })
}

export default fp(requestIds, { name: 'request-ids' })
