// The REST compatibility routes, and the JSON envelope for every error outside /graphql.
import type { FastifyError, FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import { registerCompatRoute, type CompatRoute } from './compat.js'
import { defaultErrorBody, type RestError } from './envelope.js'
import { sharedSchemas } from './schemas.js'
import { userReadRoutes } from './users.js'
import { userUpdateRoutes } from './userUpdates.js'
import { organizationUserRoutes } from './organizationUsers.js'
import { quotaRoutes } from './quota.js'
import { authRoutes } from './auth.js'
import { sessionRoutes } from './sessions.js'
import { organizationRoutes } from './organization.js'
import { accountMailRoutes } from './accountMail.js'
import { mfaRoutes } from './mfa.js'
import { mfaRecoveryRoutes } from './mfaRecovery.js'
import { deviceRoutes } from './devices.js'
import { passkeyRoutes } from './passkeys.js'
import { settingRoutes } from './settings.js'
import { demoRequestRoutes } from './demoRequests.js'
import { signInRoutes } from './signIn.js'
import { INTERNAL_MESSAGE, internalCategory, isDependencyFailure } from '../graphql/errors.js'
import { fieldMessage } from '../graphql/fieldMessages.js'

export const compatRoutes: CompatRoute[] = [
  ...userReadRoutes,
  ...authRoutes,
  ...quotaRoutes,
  ...userUpdateRoutes,
  ...organizationUserRoutes,
  ...sessionRoutes,
  ...organizationRoutes,
  ...accountMailRoutes,
  ...mfaRoutes,
  ...mfaRecoveryRoutes,
  ...deviceRoutes,
  ...passkeyRoutes,
  ...settingRoutes,
  ...demoRequestRoutes,
  ...signInRoutes,
]

const article = (noun: string) => (/^[aeiou]/.test(noun) ? `an ${noun}` : `a ${noun}`)

/**
 * "body/email must be string" → "email must be a string": what is wrong, in the client's words, and for
 * what the field rules also check (type, length) in their words (fieldMessage), so that REST's schema and
 * the rule behind it never word one problem two ways.
 */
function validationMessage(error: FastifyError): string {
  const first = error.validation?.[0]
  if (!first) return 'Invalid request'
  const where = first.instancePath.replace(/^\//, '').replaceAll('/', '.')
  const params = (first.params ?? {}) as { missingProperty?: string; additionalProperty?: string; limit?: number; type?: string }
  if (params.missingProperty) return `Missing required field: ${where ? `${where}.` : ''}${params.missingProperty}`
  if (params.additionalProperty) return `Unknown field: ${params.additionalProperty}`
  const field = where || error.validationContext || 'request'
  // A body schema's `not: { anyOf: [{ required: [a, b] }, …] }`: fields that exclude each other (the route describes which).
  if (first.keyword === 'not') return `${field} combines fields that cannot be sent together`
  if (first.keyword === 'maxLength' && params.limit !== undefined) return fieldMessage(field, { reason: 'TOO_LONG', max: params.limit })
  if (first.keyword === 'minLength' && params.limit === 1) return fieldMessage(field, { reason: 'EMPTY' })
  if (first.keyword === 'type' && typeof params.type === 'string' && !params.type.includes(','))
    return `${field} must be ${article(params.type)}`
  return `${field} ${first.message ?? 'is invalid'}`
}

async function restPlugin(app: FastifyInstance) {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const status = error.validation ? 400 : (error.statusCode ?? 500)
    if (status >= 400 && status < 500) {
      // The request itself was refused (schema, malformed JSON, size): the route's envelope, its error_code.
      const config = request.routeOptions.config ?? {}
      const message = error.validation
        ? validationMessage(error)
        : error.code?.startsWith('FST_ERR_CTP_INVALID_JSON') || error instanceof SyntaxError
          ? 'Malformed JSON body'
          : error.message
      const refused: RestError = {
        status,
        message,
        extensions: { code: 'BAD_USER_INPUT', ...(config.invalidRequestCode && { errorCode: config.invalidRequestCode }) },
      }
      const standard = defaultErrorBody(refused)
      return reply.code(status).send(config.errorBody ? config.errorBody(refused, standard) : standard)
    }
    const category = internalCategory(error)
    if (isDependencyFailure(category)) app.failures.report(category, error)
    else request.log.error({ err: error }, 'unhandled error')
    return reply.code(500).send({ success: false, message: INTERNAL_MESSAGE, error: category })
  })
  app.setNotFoundHandler((request, reply) => reply.code(404).send({ success: false, message: 'Route not found' }))
  for (const schema of sharedSchemas()) app.addSchema(schema)
  for (const route of compatRoutes) registerCompatRoute(app, route)
}

export default fp(restPlugin, { name: 'rest', dependencies: ['graphql'] })
