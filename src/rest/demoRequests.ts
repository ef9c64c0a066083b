// POST /demo/request: the public client's requestDemo.
import type { CompatRoute } from './compat.js'
import { named, responses } from './schemas.js'

export const demoRequestRoutes: CompatRoute[] = [
  {
    method: 'POST',
    url: '/demo/request',
    tags: ['Demo'],
    summary: 'Request a Demo',
    description:
      'Public. Stores the request and mails it to DEMO_REQUEST_MAIL_TO (when set); answers where to book a slot (DEMO_CALENDAR_URL, else null). Rate-limited per client address (429 TOO_MANY_ATTEMPTS with Retry-After).',
    authenticated: false,
    operation: `mutation RestRequestDemo($input: DemoRequestInput!) { requestDemo(input: $input) { success calendarUrl } }`,
    variables: (request) => {
      const { email, name, userId } = request.body as Record<string, unknown>
      return { input: { email, name, userId } }
    },
    body: {
      type: 'object',
      properties: {
        userId: { type: 'string', description: "The client's user id, kept as reported (at most 100 characters)" },
        email: { type: 'string' },
        name: { type: 'string', description: '1–100 characters' },
      },
      required: ['email', 'name'],
      additionalProperties: false,
      examples: [{ userId: '6f1c2b8e-3d4a-4e5f-9a0b-1c2d3e4f5a6b', email: 'ada@example.com', name: 'Ada' }],
    },
    success: (data) => ({ status: 200, body: data.requestDemo }),
    response: responses(
      {
        200: named('DemoRequestResponse', {
          type: 'object',
          properties: {
            success: { type: 'boolean', const: true },
            calendarUrl: { type: ['string', 'null'], description: 'Where to book a slot; null when the server has none' },
          },
          required: ['success', 'calendarUrl'],
          examples: [{ success: true, calendarUrl: 'https://calendar.example.com/demo' }],
        }),
      },
      [400, 429, 500, 503],
      undefined,
      {
        400: { success: false, message: 'Invalid email address' },
        429: { success: false, error_code: 'TOO_MANY_ATTEMPTS', message: 'Too many attempts, try again later' },
      },
    ),
  },
]
