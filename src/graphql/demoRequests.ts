// POST /demo/request: a public request for a demo, rate-limited per address, stored, and mailed to the team.
import type { IResolvers } from '@graphql-tools/utils'
import { fields } from '../domain/fields.js'
import { recordDemoRequest } from '../db/repositories/demoRequests.js'
import { demoRequestMail } from '../mail/templates.js'
import type { GatewayContext } from './context.js'
import { badInput } from './errors.js'
import { acceptFields } from './fieldInput.js'
import { countAttempt } from './attempts.js'

/** The client sends its user id; ours are UUIDs, but it is kept as reported text, so bound it. */
export const MAX_REPORTED_USER_ID_LENGTH = 100

interface DemoRequestInput {
  email: string
  name: string
  userId?: string | null
}

export const demoRequestResolvers: IResolvers<unknown, GatewayContext> = {
  Mutation: {
    async requestDemo(_root, { input }: { input: DemoRequestInput }, ctx) {
      const { app, request } = ctx
      await countAttempt(app, `demo:address:${request.ip}`, app.config.attemptLimits.demoRequestPerAddress)
      const { email, name } = acceptFields(() => ({ name: fields.personName(input.name, 'name'), email: fields.email(input.email) }))
      const reported = input.userId?.trim() || null
      if (reported !== null && reported.length > MAX_REPORTED_USER_ID_LENGTH)
        throw badInput(`userId must be at most ${MAX_REPORTED_USER_ID_LENGTH} characters long`)
      // A signed-in caller is recorded as such; a stale or foreign token is simply ignored (the route is public).
      const found = await request.lookUpRequester()
      const userId = found.status === 'active' ? found.user.id : null
      const stored = await recordDemoRequest(app.db.prisma, { email, name, reportedUserId: reported, userId, ipAddress: request.ip })
      const to = app.config.demo.mailTo
      if (to) {
        app.mailer.send(
          {
            to,
            kind: 'demo-request',
            ...demoRequestMail({ name, email, reportedUserId: reported, receivedAt: stored.createdAt }),
          },
          ctx.requestId,
        )
      }
      return { success: true, calendarUrl: app.config.demo.calendarUrl ?? null }
    },
  },
}
