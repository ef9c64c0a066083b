// What the auth flows share: the password verifier with its decoy hash, and the attempt limiter.
import { randomBytes } from 'node:crypto'
import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import { hashPassword, needsRehash, verifyPassword } from '../crypto/passwords.js'
import { MemoryAttemptLimiter, RedisAttemptLimiter, type AttemptLimiter } from './attempts.js'

export interface Credentials {
  /** A hash of a random secret: an unknown account is verified against it, so it costs the same time. */
  readonly dummyHash: string
  verify(phc: string, password: string): Promise<boolean>
  /** A new hash at the configured cost (config.passwordHashCost). */
  hash(password: string): Promise<string>
  /** Whether a stored hash was made at another cost than the configured one. */
  needsRehash(phc: string): boolean
}

declare module 'fastify' {
  interface FastifyInstance {
    credentials: Credentials
    attempts: AttemptLimiter
  }
}

async function credentialsPlugin(app: FastifyInstance) {
  const cost = app.config.passwordHashCost
  const dummyHash = await hashPassword(randomBytes(32).toString('base64url'), cost)
  const credentials: Credentials = {
    dummyHash,
    verify: verifyPassword,
    hash: (password) => hashPassword(password, cost),
    needsRehash: (phc) => needsRehash(phc, cost),
  }
  app.decorate('credentials', credentials)
  const { redisUrl, attemptLimits } = app.config
  const attempts: AttemptLimiter = redisUrl
    ? new RedisAttemptLimiter({
        url: redisUrl,
        keyPrefix: attemptLimits.keyPrefix,
        commandTimeoutMs: app.config.faults.redisCommandTimeoutMs,
        failures: app.failures,
      })
    : new MemoryAttemptLimiter(attemptLimits.memoryMaxKeys)
  app.decorate('attempts', attempts)
  app.addHook('onClose', async () => {
    await attempts.close()
  })
}

export default fp(credentialsPlugin, { name: 'credentials', dependencies: ['config', 'failure-log'] })
