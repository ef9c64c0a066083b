// Magic links as a second factor: a single-use link mailed for one login (the limited token it was asked with).
import type { Resolvers } from './schemaTypes.js'
import { newOpaqueToken } from '../crypto/opaqueTokens.js'
import { enableMagicLink, findMfaContact, isMagicLinkEnabled } from '../db/repositories/passkeys.js'
import { spendChallenge, storeChallenge } from '../db/repositories/mfaChallenges.js'
import { inTransaction } from '../db/repositories/transaction.js'
import { magicLinkMail, mailLink } from '../mail/templates.js'
import { MFA_PENDING_TTL_SECONDS } from '../mfa/pendingTokens.js'
import { requireMailFeature } from './accountMail.js'
import { countAttempt } from './attempts.js'
import type { GatewayContext } from './context.js'
import { badInput, unauthenticated } from './errors.js'
import { codeAttemptKey, mfaSubject, startMfaSession, type MfaSubject } from './mfaSubject.js'
import { requireRecentAuthentication } from './recentAuth.js'

/** Where the mailed link points: the app's page, which posts the token to /mfa/magic-link/activate. */
export const MAGIC_LINK_PATH = '/mfa/magic-link'

const invalidLink = () => badInput('The magic link is invalid or has expired', 'INVALID_MAGIC_LINK')

/** enableMfa(MAGIC_LINK): mail becomes a second factor, only for an address proven to be the user's. */
export async function enableMagicLinks(ctx: GatewayContext, subject: MfaSubject, currentPassword: string | null | undefined) {
  requireMailFeature(ctx.app, 'magic-links')
  const contact = await findMfaContact(ctx.app.db.prisma, subject.id)
  if (!contact?.validated) throw badInput('Verify your email address before using it as a second factor', 'EMAIL_NOT_VERIFIED')
  await requireRecentAuthentication(ctx, subject, currentPassword)
  await inTransaction(ctx.app.db.prisma, (tx) => enableMagicLink(tx, subject.id))
  return { success: true, message: 'MFA enabled successfully' }
}

/** The link's token, for this user's login `loginId`: spent once, counted as a code attempt; then the session. */
export async function activateMagicLink(ctx: GatewayContext, userId: string, loginId: string, token: string) {
  const { app } = ctx
  await countAttempt(app, codeAttemptKey(userId), app.config.attemptLimits.mfaCodePerUser)
  if (!(await isMagicLinkEnabled(app.db.prisma, userId))) throw badInput('MFA method MAGIC_LINK is not enabled', 'MFA_NOT_ENABLED')
  if (!(await spendChallenge(app.db.prisma, userId, 'magic_link', token, loginId))) throw invalidLink()
  await app.attempts.reset(codeAttemptKey(userId))
  return startMfaSession(ctx, userId)
}

export const magicLinkResolvers: Resolvers = {
  Mutation: {
    async sendMfaMagicLink(_root, _args, ctx) {
      const { app, request } = ctx
      if (request.auth.status !== 'mfaPending') throw unauthenticated()
      const { loginId } = request.auth
      const subject = await mfaSubject(ctx, true)
      requireMailFeature(app, 'magic-links')
      if (!(await isMagicLinkEnabled(app.db.prisma, subject.id))) throw badInput('MFA method MAGIC_LINK is not enabled', 'MFA_NOT_ENABLED')
      await countAttempt(app, `mfa:magic-link:${subject.id}`, app.config.attemptLimits.mfaMagicLinkPerUser)
      const token = newOpaqueToken()
      await inTransaction(app.db.prisma, (tx) => storeChallenge(tx, subject.id, 'magic_link', token, MFA_PENDING_TTL_SECONDS, loginId))
      const contact = await findMfaContact(app.db.prisma, subject.id)
      const link = mailLink(app.config.mail.publicUrl, MAGIC_LINK_PATH, { token })
      app.mailer.send({ to: subject.email, kind: 'mfa-magic-link', ...magicLinkMail(contact?.name ?? '', link) }, ctx.requestId)
      return { success: true, message: 'Magic link sent to your email address' }
    },

    async activateMfaMagicLink(_root, args: { token: string }, ctx) {
      const { request } = ctx
      if (request.auth.status !== 'mfaPending') throw unauthenticated()
      const subject = await mfaSubject(ctx, true)
      return activateMagicLink(ctx, subject.id, request.auth.loginId, args.token)
    },
  },
}
