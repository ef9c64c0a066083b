// CORS for browser pages on the configured origins, the same for /graphql and the REST routes.
import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import cors from '@fastify/cors'
import { REQUEST_ID_HEADER } from './requestIds.js'

export const CORS_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']
export const CORS_ALLOWED_HEADERS = ['authorization', 'content-type', REQUEST_ID_HEADER]
/** What a page may read from an answer besides the CORS-safelisted headers. */
export const CORS_EXPOSED_HEADERS = [REQUEST_ID_HEADER, 'retry-after', 'www-authenticate']

async function corsPlugin(app: FastifyInstance) {
  const { origins, credentials, maxAgeSeconds } = app.config.cors
  // No origins: no CORS headers at all, and no OPTIONS route.
  if (origins.length === 0) return
  await app.register(cors, {
    // Exact strings: an array of strings is compared for equality, never as patterns.
    origin: origins,
    methods: CORS_METHODS,
    allowedHeaders: CORS_ALLOWED_HEADERS,
    exposedHeaders: CORS_EXPOSED_HEADERS,
    credentials,
    maxAge: maxAgeSeconds,
    optionsSuccessStatus: 204,
    strictPreflight: true,
  })
}

export default fp(corsPlugin, { name: 'cors', dependencies: ['config'] })
