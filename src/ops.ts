// GET /health: the process is up. GET /ready: the database answers.
import type { FastifyInstance } from 'fastify'

const health = {
  type: 'object',
  properties: { status: { type: 'string' } },
  required: ['status'],
} as const

export default async function opsRoutes(app: FastifyInstance) {
  app.get('/health', { schema: { tags: ['Operations'], summary: 'Liveness', security: [], response: { 200: health } } }, async () => ({
    status: 'ok',
  }))
  app.get(
    '/ready',
    {
      schema: {
        tags: ['Operations'],
        summary: 'Readiness: 503 while the database does not answer',
        security: [],
        response: { 200: health, 503: health },
      },
    },
    async (request, reply) => {
      try {
        await app.db.sql.query('SELECT 1')
        return { status: 'ready' }
      } catch (err) {
        request.log.warn({ err }, 'database not ready')
        return reply.code(503).send({ status: 'database unavailable' })
      }
    },
  )
}
