// GET /user/quota: the subscription and usage at the top level, and its own error envelopes.
import type { CompatRoute } from './compat.js'
import { named, responses, uuid } from './schemas.js'

const QUOTA_FIELDS = `subscription { id name description }
  quotaUsage { capability { id code description type periodType } usage { current max percentage } }`

const quota = named('Quota', {
  type: 'object',
  properties: {
    success: { type: 'boolean', const: true },
    subscription: {
      type: 'object',
      properties: { id: uuid, name: { type: 'string' }, description: { type: 'string' } },
      required: ['id', 'name', 'description'],
    },
    quotaUsage: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          capability: {
            type: 'object',
            properties: {
              id: uuid,
              code: { type: 'string' },
              description: { type: 'string' },
              type: { type: 'string' },
              periodType: { type: 'string', enum: ['ALL_TIME', 'DAILY', 'WEEKLY', 'MONTHLY', 'YEARLY'] },
            },
            required: ['id', 'code', 'description', 'type', 'periodType'],
          },
          usage: {
            type: 'object',
            // Byte counts beyond 2^31 are plain JSON numbers (exact up to 2^53 − 1).
            properties: { current: { type: 'integer' }, max: { type: 'integer' }, percentage: { type: 'integer' } },
            required: ['current', 'max', 'percentage'],
          },
        },
        required: ['capability', 'usage'],
      },
    },
  },
  required: ['success', 'subscription', 'quotaUsage'],
})

const quotaError = named('QuotaError', {
  type: 'object',
  properties: { success: { type: 'boolean', const: false }, error_code: { type: 'string' }, message: { type: 'string' } },
  required: ['success', 'error_code'],
})

export const quotaRoutes: CompatRoute[] = [
  {
    method: 'GET',
    url: '/user/quota',
    tags: ['User Account'],
    summary: 'Get User Quota',
    description: "The caller's organization's active subscription and the current usage of each capability of its plan.",
    authenticated: true,
    operation: `query RestQuota { quota { ${QUOTA_FIELDS} } }`,
    success: (data) => ({ status: 200, body: { success: true, ...data.quota } }),
    // This route documents bare error codes: no message with 401 and 404, INTERNAL_ERROR with 500.
    errorBody: (error) => {
      if (error.status === 401) return { success: false, error_code: 'NO_AUTH_USER' }
      if (error.status === 500) return { success: false, error_code: 'INTERNAL_ERROR', message: 'Internal server error' }
      return error.extensions.errorCode
        ? { success: false, error_code: error.extensions.errorCode }
        : { success: false, error_code: 'INVALID_REQUEST', message: error.message }
    },
    response: responses({ 200: quota }, [401, 404, 500], quotaError),
  },
]
