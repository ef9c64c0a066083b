// The peers of the benchmark (issue 15): GraphQL Yoga 5 and Apollo Server 5 serving the gateway's own
// executable schema and resolvers (src/graphql/schema.ts), inside the gateway's own Fastify app, so that
// the token check, the requester lookup, the database and the resolvers are the very same and only the
// GraphQL engine differs. Each is mounted at its own path by a plugin passed to buildApp.
import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import { createYoga } from 'graphql-yoga'
import { ApolloServer, HeaderMap } from '@apollo/server'
import { buildSchema } from '../src/graphql/schema.js'
import type { GatewayContext } from '../src/graphql/context.js'

const contextOf = (app: FastifyInstance, request: FastifyRequest, reply: FastifyReply): GatewayContext => ({
  app,
  request,
  reply,
  requestId: request.id,
})

/** Yoga at /yoga, as its Fastify integration guide mounts it. */
export const yogaPlugin: FastifyPluginAsync = fp(async (app) => {
  const yoga = createYoga<{ req: FastifyRequest; reply: FastifyReply }>({
    schema: buildSchema(),
    graphqlEndpoint: '/yoga',
    logging: false,
    graphiql: false,
    landingPage: false,
    context: ({ req, reply }) => contextOf(app, req, reply),
  })
  app.route({
    url: '/yoga',
    method: ['GET', 'POST'],
    handler: async (req, reply) => {
      const response = await yoga.handleNodeRequestAndResponse(req, reply, { req, reply })
      response.headers.forEach((value, key) => void reply.header(key, value))
      reply.status(response.status)
      return reply.send(response.body)
    },
  })
})

/** Apollo Server at /apollo, through its HTTP interface (as its integrations do). */
export const apolloPlugin: FastifyPluginAsync = fp(async (app) => {
  const apollo = new ApolloServer<GatewayContext>({ schema: buildSchema(), introspection: false })
  await apollo.start()
  app.addHook('onClose', () => apollo.stop())
  app.post('/apollo', async (req, reply) => {
    const headers = new HeaderMap()
    for (const [key, value] of Object.entries(req.headers)) if (typeof value === 'string') headers.set(key, value)
    const result = await apollo.executeHTTPGraphQLRequest({
      httpGraphQLRequest: { method: 'POST', headers, search: '', body: req.body },
      context: async () => contextOf(app, req, reply),
    })
    for (const [key, value] of result.headers) reply.header(key, value)
    reply.status(result.status ?? 200)
    if (result.body.kind === 'complete') return reply.send(result.body.string)
    let text = ''
    for await (const chunk of result.body.asyncIterator) text += chunk
    return reply.send(text)
  })
})
