// app.mailer for every feature that sends mail; pending deliveries finish before the app closes.
import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import { createMailer, type Mailer } from './mailer.js'

declare module 'fastify' {
  interface FastifyInstance {
    mailer: Mailer
  }
}

async function mailPlugin(app: FastifyInstance) {
  const mailer = createMailer(app.config.mail, app.log.child({ component: 'mail' }))
  app.decorate('mailer', mailer)
  app.addHook('onClose', async () => {
    await mailer.close()
  })
}

export default fp(mailPlugin, { name: 'mail', dependencies: ['config'] })
