// GET /sessions, POST /sessions/{id}/revoke, POST /sessions/revoke-all, POST /sessions/{id}/heartbeat.
import type { FastifyRequest } from 'fastify'
import type { CompatRoute } from './compat.js'
import { omitNulls } from './envelope.js'
import { errorEnvelope, messageEnvelope, named, nullable, responses, messageEnvelopeWith, uuid } from './schemas.js'

const TAGS = ['Sessions']

/** The client's SessionItem, plus userAgent and current. The same sessions as GET /token. */
export const CLIENT_SESSION_FIELDS = 'id ipAddress location startedAt lastActivity expiresAt loginMethod userAgent current'

const OPTIONAL_SESSION_FIELDS = ['ipAddress', 'location']

const sessionItem = named('Session', {
  type: 'object',
  properties: {
    id: { ...uuid, description: 'The session id (tokenId in GET /token)' },
    startedAt: { type: 'string', format: 'date-time' },
    lastActivity: { type: 'string', format: 'date-time', description: 'The last refresh or heartbeat' },
    expiresAt: { type: 'string', format: 'date-time' },
    loginMethod: {
      type: 'string',
      description: 'PASSWORD (login, register), CLI (npm run token), or the provider of a sign-in: GOOGLE, GITHUB, MICROSOFT, WEB3_STELLAR',
    },
    userAgent: nullable('string'),
    current: { type: 'boolean', description: "Whether the request's own access token belongs to this session" },
    // Optional, so last: the serializer writes the required fields first.
    ipAddress: { type: 'string', description: 'Left out when unknown' },
    location: { type: 'string', description: 'Never sent: the gateway does not locate addresses' },
  },
  required: ['id', 'startedAt', 'lastActivity', 'expiresAt', 'loginMethod', 'userAgent', 'current'],
})

/** GET /token and GET /sessions: an optional page (the client sends none and gets the first 100). */
export const sessionPageQuery = {
  type: 'object',
  properties: {
    limit: { type: 'string', pattern: '^[0-9]{1,9}$', description: '1–100, default 100' },
    offset: { type: 'string', pattern: '^[0-9]{1,9}$', description: 'default 0' },
  },
} as const

export function sessionPageVariables(request: FastifyRequest) {
  const { limit, offset } = request.query as { limit?: string; offset?: string }
  return { limit: limit === undefined ? undefined : Number(limit), offset: offset === undefined ? undefined : Number(offset) }
}

const sessionIdParam = {
  type: 'object',
  properties: { id: { type: 'string', description: 'The session id (a UUID)' } },
  required: ['id'],
} as const

const NOT_FOUND_EXAMPLE = { 404: { success: false, message: 'Session not found' } }

/** DELETE /token says "Token"; these routes say "Session". */
const sessionWording = (message: string) => message.replace(/^Token /, 'Session ')

export const sessionRoutes: CompatRoute[] = [
  {
    method: 'GET',
    url: '/sessions',
    tags: TAGS,
    summary: 'List Sessions',
    description:
      "The caller's active sessions (logins), newest first: the same sessions as GET /token. At most 100 per page (`limit`, `offset`).",
    authenticated: true,
    operation: `query RestClientSessions($limit: Int, $offset: Int) { sessions(limit: $limit, offset: $offset) { ${CLIENT_SESSION_FIELDS} } }`,
    variables: sessionPageVariables,
    querystring: sessionPageQuery,
    // The client's SessionItem declares ipAddress and location optional: left out rather than null.
    success: (data: { sessions: Record<string, unknown>[] }) => ({
      status: 200,
      body: { success: true, sessions: data.sessions.map((item) => omitNulls(item, OPTIONAL_SESSION_FIELDS)) },
    }),
    response: responses(
      {
        200: named('SessionList', {
          type: 'object',
          properties: { success: { type: 'boolean', const: true }, sessions: { type: 'array', items: sessionItem } },
          required: ['success', 'sessions'],
        }),
      },
      [400, 401, 500],
    ),
  },
  {
    method: 'POST',
    url: '/sessions/:id/revoke',
    tags: TAGS,
    summary: 'Revoke Session',
    description: "Ends one of the caller's sessions (the current one too); its access and refresh tokens stop working.",
    authenticated: true,
    operation: 'mutation RestRevokeClientSession($tokenId: ID!) { revokeSession(tokenId: $tokenId) { success } }',
    variables: (request) => ({ tokenId: (request.params as { id: string }).id }),
    params: sessionIdParam,
    success: () => ({ status: 200, body: { success: true, message: 'Session revoked successfully' } }),
    errorBody: (error, standard) => (error.status === 404 ? { ...standard, message: sessionWording(error.message) } : standard),
    response: responses({ 200: messageEnvelope }, [401, 404, 500], errorEnvelope, NOT_FOUND_EXAMPLE),
  },
  {
    method: 'POST',
    url: '/sessions/revoke-all',
    tags: TAGS,
    summary: 'Revoke All Other Sessions',
    description: "Ends every live session of the caller except the current one (the one this request's access token belongs to).",
    authenticated: true,
    operation: 'mutation RestRevokeOtherSessions { revokeOtherSessions { success message revoked } }',
    success: (data) => ({ status: 200, body: data.revokeOtherSessions }),
    response: responses(
      {
        200: messageEnvelopeWith({
          revoked: { type: 'integer', description: 'How many sessions were ended' },
        }),
      },
      [401, 500],
    ),
  },
  {
    method: 'POST',
    url: '/sessions/:id/heartbeat',
    tags: TAGS,
    summary: 'Session Heartbeat',
    description:
      "Marks one of the caller's live sessions as active now and extends it (and its refresh token) by the refresh-token lifetime.",
    authenticated: true,
    operation: 'mutation RestSessionHeartbeat($tokenId: ID!) { sessionHeartbeat(tokenId: $tokenId) { success message newExpiry } }',
    variables: (request) => ({ tokenId: (request.params as { id: string }).id }),
    params: sessionIdParam,
    success: (data) => ({ status: 200, body: data.sessionHeartbeat }),
    response: responses(
      {
        200: messageEnvelopeWith({
          newExpiry: { type: 'string', format: 'date-time' },
        }),
      },
      [401, 404, 500],
      errorEnvelope,
      NOT_FOUND_EXAMPLE,
    ),
  },
]
