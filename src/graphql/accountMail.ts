// Password reset, email verification, invitations and the caller's own deactivation (issue 10).
import { setTimeout } from 'node:timers/promises'
import type { Resolvers } from './schemaTypes.js'
import { deviceOfHeaders } from './requestDevice.js'
import type { FastifyInstance } from 'fastify'
import type { MailFeature } from '../config.js'
import { revokeSessions } from '../db/repositories/sessions.js'
import { startLoginSession } from '../db/repositories/tokens.js'
import { inTransaction, type Tx } from '../db/repositories/transaction.js'
import { recordAudit } from '../db/repositories/auditEvents.js'
import { setDeletedAt } from '../db/repositories/users.js'
import {
  acceptInvitation,
  findAccount,
  findActiveAccountByEmail,
  markVerified,
  organizationName,
  setResetPassword,
} from '../db/repositories/accountState.js'
import { fields, isValidEmail, normalizeEmail, isUuid } from '../domain/fields.js'
import { managesUsers } from '../domain/access.js'
import { invitationRefusal } from '../domain/permissions.js'
import { OrgRole } from '../domain/roles.js'
import { invitationMail, mailLink, passwordResetMail, verificationMail } from '../mail/templates.js'
import {
  issueOneTimeToken,
  peekOneTimeToken,
  redeemOneTimeToken,
  spendTokensOf,
  tokenOwnerById,
  type TokenPurpose,
} from '../db/repositories/oneTimeTokens.js'
import { activeRequester, type GatewayContext } from './context.js'
import { DENIALS } from './denials.js'
import { badInput, deny, GatewayError } from './errors.js'
import { countAttempt } from './attempts.js'
import { acceptFields } from './fieldInput.js'
import { sessionPayload } from './sessionPayload.js'
import { inLockedOrganization, refuseIf } from './membership.js'

const RESET_REQUESTED = 'If an account exists for this email, a password reset link has been sent'
const invalidToken = () => badInput('Invalid or expired token', 'INVALID_TOKEN')

const FEATURE_OFF: Record<MailFeature, string> = {
  'password-reset': 'Password reset is not enabled on this server',
  'email-verification': 'Email verification is not enabled on this server',
  invitations: 'Invitations are not enabled on this server',
  'magic-links': 'Magic links are not enabled on this server',
}

/** A mail feature switched off (MAIL_FEATURES) answers 400, saying so. */
export function requireMailFeature(app: FastifyInstance, feature: MailFeature) {
  if (!app.config.mail.features.has(feature)) throw badInput(FEATURE_OFF[feature], 'FEATURE_DISABLED')
}

/** The register rule (src/domain/fields.ts), with its error codes: one message for a password everywhere. */
function checkNewPassword(password: string) {
  acceptFields(() => fields.password(password), true)
}

const redeemAttempt = (ctx: GatewayContext) =>
  countAttempt(ctx.app, `token:address:${ctx.request.ip}`, ctx.app.config.attemptLimits.oneTimeTokenPerAddress)

/** Issues a verification token in `db` (a transaction, at register) and returns how to mail it once committed. */
export async function prepareVerificationMail(app: FastifyInstance, db: Tx, user: { id: string; email: string; name: string }) {
  const issued = await issueOneTimeToken(db, user.id, 'email_verification')
  const link = mailLink(app.config.mail.publicUrl, '/verify-email', { token: issued.token })
  return {
    id: issued.id,
    send: (requestId: string) =>
      app.mailer.send({ to: user.email, kind: 'email-verification', ...verificationMail(user.name, link) }, requestId),
  }
}

/**
 * The gateway mails another person's address on a user's word only once that user's own address is verified:
 * otherwise anyone could register and have invitations sent from us to any inbox.
 */
export function requireVerifiedSender(sender: { validated: boolean }) {
  if (!sender.validated) {
    throw new GatewayError('FORBIDDEN', 'Verify your email address before sending invitations', { errorCode: 'SENDER_NOT_VERIFIED' })
  }
}

export const TOO_MANY_INVITATIONS = 'Too many invitation mails, try again later'

/**
 * Counts one invitation mail about to be sent, in the shared attempt limiter: per recipient address (over
 * every organization), per sender and per organization; RATE_LIMITED once one is full. Most specific first,
 * so that a flood of one inbox stops at its own limit before it uses up the organization's.
 */
export async function countInvitationMail(app: FastifyInstance, sender: { id: string; orgId: string | null }, recipient: string) {
  const limits = app.config.attemptLimits
  await countAttempt(app, `invitation:recipient:${recipient}`, limits.invitationPerRecipient, TOO_MANY_INVITATIONS)
  await countAttempt(app, `invitation:sender:${sender.id}`, limits.invitationPerSender, TOO_MANY_INVITATIONS)
  await countAttempt(app, `invitation:organization:${sender.orgId}`, limits.invitationPerOrganization, TOO_MANY_INVITATIONS)
}

/** Issues an invitation token in `db` and returns how to mail it once committed. */
export async function prepareInvitationMail(
  app: FastifyInstance,
  db: Tx,
  user: { id: string; email: string; name: string; orgId: string | null },
) {
  const issued = await issueOneTimeToken(db, user.id, 'invitation')
  const organization = await organizationName(db, user.orgId)
  const link = mailLink(app.config.mail.publicUrl, '/activate', { uid: user.id, token: issued.token })
  return (requestId: string) =>
    app.mailer.send(
      { to: user.email, kind: 'invitation', ...invitationMail(user.name, organization ?? 'your organization', link) },
      requestId,
    )
}

/** Spends a token inside `tx` and returns its live (not deactivated) user; INVALID_TOKEN otherwise. */
async function redeemFor(tx: Tx, token: string, purpose: TokenPurpose) {
  const owner = await redeemOneTimeToken(tx, token, purpose)
  if (!owner) throw invalidToken()
  const user = await findAccount(tx, owner.userId)
  if (!user || user.deletedAt !== null) throw invalidToken()
  return user
}

/** A password-reset request is answered this long after it began, account or not: its timing tells nothing. */
export const RESET_ANSWER_MS = 100

export const accountMailResolvers: Resolvers = {
  Mutation: {
    async requestPasswordReset(_root, args: { email: string }, ctx) {
      const { app, request } = ctx
      requireMailFeature(app, 'password-reset')
      const limits = app.config.attemptLimits
      const started = performance.now()
      await countAttempt(app, `reset:address:${request.ip}`, limits.passwordResetPerAddress)
      const email = normalizeEmail(args.email)
      if (!isValidEmail(email)) throw badInput('Invalid email address', 'INVALID_EMAIL')
      // Counted per address asked for, whether or not it has an account: the limit itself reveals nothing.
      await countAttempt(app, `reset:account:${email}`, limits.passwordResetPerAccount)
      // The lookup, the token and the mail happen after the answer: it takes as long with or without an account.
      app.mailer.send(async () => {
        const user = await findActiveAccountByEmail(app.db.prisma, email)
        if (!user) return null
        const { token } = await issueOneTimeToken(app.db.prisma, user.id, 'password_reset')
        const link = mailLink(app.config.mail.publicUrl, '/reset-password', { token })
        return { to: email, kind: 'password-reset', ...passwordResetMail(user.name, link) }
      }, ctx.requestId)
      // On the embedded database that work shares this thread and would delay the answer: every answer waits
      // until RESET_ANSWER_MS after the request began, by which time the work is done (docs/user-admin.md).
      await setTimeout(Math.max(0, RESET_ANSWER_MS - (performance.now() - started)))
      return { success: true, message: RESET_REQUESTED }
    },

    async resetPassword(_root, args: { token: string; newPassword: string }, ctx) {
      await redeemAttempt(ctx)
      checkNewPassword(args.newPassword)
      const passwordHash = await ctx.app.credentials.hash(args.newPassword)
      await inTransaction(ctx.app.db.prisma, async (tx) => {
        const user = await redeemFor(tx, args.token, 'password_reset')
        await setResetPassword(tx, user.id, passwordHash)
        await spendTokensOf(tx, user.id, 'password_reset')
        await revokeSessions(tx, { userId: user.id }, 'password_reset')
        await recordAudit(tx, {
          actorId: user.id,
          targetId: user.id,
          orgId: user.orgId,
          action: 'user.updated',
          changes: { password: 'changed' },
        })
      })
      return { success: true, message: 'Password has been reset successfully' }
    },

    async verifyEmail(_root, args: { token: string; password?: string | null }, ctx) {
      await redeemAttempt(ctx)
      if (args.password != null) checkNewPassword(args.password)
      const passwordHash = args.password != null ? await ctx.app.credentials.hash(args.password) : undefined
      await inTransaction(ctx.app.db.prisma, async (tx) => {
        const user = await redeemFor(tx, args.token, 'email_verification')
        await markVerified(tx, user, passwordHash)
      })
      return { success: true, message: 'Email verified successfully' }
    },

    async preVerifyEmail(_root, args: { token: string }, ctx) {
      await redeemAttempt(ctx)
      const owner = await peekOneTimeToken(ctx.app.db.prisma, args.token, 'email_verification')
      const user = owner ? await findAccount(ctx.app.db.prisma, owner.userId) : null
      if (!user || user.deletedAt !== null) throw invalidToken()
      return { success: true, message: 'Token is valid', authMethod: 'LOCAL', hasPassword: user.passwordHash !== null }
    },

    async resendVerification(_root, args: { id: string }, ctx) {
      const { app, request } = ctx
      requireMailFeature(app, 'email-verification')
      await redeemAttempt(ctx)
      const notFound = new GatewayError('NOT_FOUND', 'Verification not found')
      if (!isUuid(args.id)) throw notFound
      const caller = request.auth.status === 'valid' && request.auth.userId === args.id ? await activeRequester(ctx) : null
      const userId = caller?.id ?? (await tokenOwnerById(app.db.prisma, args.id, 'email_verification'))?.userId
      if (!userId) throw notFound
      const mail = await inTransaction(app.db.prisma, async (tx) => {
        const user = await findAccount(tx, userId)
        if (!user || user.deletedAt !== null) throw notFound
        if (user.validated) throw badInput('Email is already verified', 'ALREADY_VERIFIED')
        return prepareVerificationMail(app, tx, user)
      })
      mail.send(ctx.requestId)
      return { success: true, message: 'Verification email sent' }
    },

    async resendInvitation(_root, args: { id: string }, ctx) {
      const { app } = ctx
      requireMailFeature(app, 'invitations')
      const requester = await activeRequester(ctx)
      const denials = DENIALS.resendInvitation
      if (!managesUsers(requester)) throw deny(denials.NOT_PERMITTED)
      requireVerifiedSender(requester)
      if (!isUuid(args.id)) throw deny(denials.NOT_FOUND)
      // Under the organization's lock, like every membership change: the rank rule sees both roles as they are now.
      const send = await inLockedOrganization(ctx, requester, args.id, async (tx, { caller, target }) => {
        // Another organization's member is refused like on the other organization-user routes (403).
        refuseIf(invitationRefusal(caller, target), denials)
        if (target!.deletedAt !== null) throw badInput('User is deactivated', 'USER_INACTIVE')
        if (target!.validated) throw badInput('User has already accepted the invitation', 'ALREADY_ACTIVE')
        await countInvitationMail(app, caller, target!.email)
        return prepareInvitationMail(app, tx, target!)
      })
      send(ctx.requestId)
      return { success: true, message: 'Invitation sent successfully' }
    },

    async activateAccount(
      _root,
      args: { uid: string; token: string; registrationInfo: { password: string; firstName?: string | null; lastName?: string | null } },
      ctx,
    ) {
      const { app, request } = ctx
      await redeemAttempt(ctx)
      const info = args.registrationInfo
      checkNewPassword(info.password)
      acceptFields(() => {
        if (info.firstName != null) fields.personName(info.firstName, 'firstName')
        if (info.lastName != null) fields.personName(info.lastName, 'lastName')
      }, true)
      const passwordHash = await ctx.app.credentials.hash(info.password)
      const { user, login } = await inTransaction(app.db.prisma, async (tx) => {
        const user = await redeemFor(tx, args.token, 'invitation')
        if (user.id !== args.uid) throw invalidToken()
        const updated = await acceptInvitation(tx, user.id, {
          passwordHash,
          name: info.firstName?.trim() || undefined,
          lastName: info.lastName?.trim() || undefined,
        })
        // The password so far was the inviter's choice: whoever logged in with it is logged out now.
        await revokeSessions(tx, { userId: user.id }, 'invitation_accepted')
        const login = await startLoginSession(tx, user.id, app.config.refreshTokenTtlSeconds, {
          ipAddress: request.ip,
          userAgent: request.headers['user-agent'],
          device: deviceOfHeaders(request),
        })
        return { user: updated, login }
      })
      return sessionPayload(app, user, login)
    },

    async deactivateAccount(_root, _args, ctx) {
      const requester = await activeRequester(ctx)
      await inLockedOrganization(ctx, requester, requester.id, async (tx, { caller, activeOwners }) => {
        if (caller.orgRole === OrgRole.OWNER && activeOwners <= 1) throw badInput('Cannot deactivate the last owner of the organization')
        const deletedAt = new Date()
        await setDeletedAt(tx, caller.id, deletedAt)
        await revokeSessions(tx, { userId: caller.id }, 'user_deactivated')
        const changes = { deletedAt: { old: null, new: deletedAt.toISOString() } }
        await recordAudit(tx, { actorId: caller.id, targetId: caller.id, orgId: caller.orgId, action: 'user.deleted', changes })
      })
      return { success: true, message: 'Account deactivated successfully' }
    },
  },
}
