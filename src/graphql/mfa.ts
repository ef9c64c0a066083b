// MFA: status, TOTP setup and verification, enabling, disabling, the login's second step, enforcement.
// Passkeys (passkeys.ts) and magic links (magicLinks.ts) plug into status, enable, disable and verify-login here.
import type { Resolvers } from './schemaTypes.js'
import type { FastifyInstance } from 'fastify'
import { inTransaction } from '../db/repositories/transaction.js'
import { OrgRole } from '../domain/roles.js'
import { createSecretBox, type SecretBox } from '../mfa/secretBox.js'
import { matchTotp, newBackupCodes, newEnrollment, normalizeBackupCode, normalizeTotpCode } from '../mfa/totp.js'
import {
  acceptTimeStep,
  disableMfa,
  enableMfa,
  enrolledMfaMethods,
  findMfaCredential,
  findMfaPrimaryChoice,
  isMfaEnforced,
  markMfaVerified,
  redeemBackupCode,
  saveMfaSetup,
  setMfaEnforced,
  type MfaCredentialRow,
} from '../db/repositories/mfa.js'
import { activeRequester, type GatewayContext } from './context.js'
import { NO_ORGANIZATION } from './denials.js'
import { badInput, deny, GatewayError, unauthenticated } from './errors.js'
import { countAttempt } from './attempts.js'
import { MFA_METHOD_ORDER, primaryMethodOf, type MfaMethod } from '../domain/mfaMethods.js'
import { recordProof, requireRecentAuthentication, requireRecentSession } from './recentAuth.js'
import { codeAttemptKey, mfaSubject, startMfaSession, type MfaSubject } from './mfaSubject.js'
import { disableMagicLink, removeAllPasskeys } from '../db/repositories/passkeys.js'
import { enablePasskeys, verifyPasskeyAssertion } from './passkeys.js'
import { activateMagicLink, enableMagicLinks } from './magicLinks.js'

const TOTP = 'GOOGLE_AUTH'
type MfaType = MfaMethod

const invalidCode = () => badInput('Invalid MFA code', 'INVALID_MFA_CODE')

/** Setup and verify-setup are TOTP's: passkeys and magic links enrol their own way, said in the 400. */
function requireTotp(mfaType: MfaType) {
  if (mfaType !== TOTP) {
    throw badInput(
      mfaType === 'PASSKEY'
        ? 'Passkeys are registered with POST /mfa/passkey/registration-options, then POST /mfa/passkey/complete-registration'
        : 'Magic links need no setup: turn them on with POST /mfa/enable',
      'UNSUPPORTED_MFA_METHOD',
    )
  }
}

const boxes = new WeakMap<FastifyInstance, SecretBox>()
function secretBox(app: FastifyInstance): SecretBox {
  const key = app.config.mfa.encryptionKey
  if (!key) throw badInput('MFA is not available on this server (MFA_ENCRYPTION_KEY is not set)', 'MFA_UNAVAILABLE')
  let box = boxes.get(app)
  if (!box) boxes.set(app, (box = createSecretBox(key)))
  return box
}

/**
 * Whether `code` is a current TOTP code not used before (it is then spent), or — when allowed — an
 * unused backup code (spent too).
 */
export async function spendCode(app: FastifyInstance, userId: string, credential: MfaCredentialRow, code: string, backupToo: boolean) {
  await countAttempt(app, codeAttemptKey(userId), app.config.attemptLimits.mfaCodePerUser)
  const box = secretBox(app)
  const totp = normalizeTotpCode(code)
  let ok = false
  if (totp) {
    const secret = box.open(credential.secretSealed, userId)
    const step = await matchTotp(secret, totp, credential.lastTimeStep === null ? null : Number(credential.lastTimeStep))
    ok = step !== null && (await acceptTimeStep(app.db.prisma, userId, step))
  } else if (backupToo && code.length <= 64) {
    ok = await redeemBackupCode(app.db.prisma, userId, box.digest(normalizeBackupCode(code)))
  }
  if (!ok) throw invalidCode()
  await app.attempts.reset(codeAttemptKey(userId))
}

/**
 * Removing a second factor other than TOTP: a current TOTP code (or backup code) where TOTP is enabled, else a
 * sign-in within RECENT_AUTH_SECONDS.
 */
export async function proveForChange(ctx: GatewayContext, subject: MfaSubject, code: string | null | undefined) {
  const credential = code == null ? null : await findMfaCredential(ctx.app.db.prisma, subject.id)
  if (code == null || !credential?.enabledAt) return requireRecentSession(ctx, subject, 'code')
  await spendCode(ctx.app, subject.id, credential, code, true)
  await recordProof(ctx, subject)
}

export const mfaResolvers: Resolvers = {
  Query: {
    async mfaStatus(_root, _args, ctx) {
      const subject = await mfaSubject(ctx, true)
      const [enabledMethods, chosen, isEnforced] = await Promise.all([
        enrolledMfaMethods(ctx.app.db.prisma, subject.id),
        findMfaPrimaryChoice(ctx.app.db.prisma, subject.id),
        isMfaEnforced(ctx.app.db.prisma, subject.orgId),
      ])
      const isEnabled = enabledMethods.length > 0
      return {
        isEnabled,
        isRequired: isEnabled || isEnforced || subject.mfaRequired,
        isEnforced,
        enabledMethods,
        primaryMethod: primaryMethodOf(enabledMethods, chosen),
        sessionVerified: subject.full,
      }
    },
    async mfaMethods(_root, _args, ctx) {
      await mfaSubject(ctx, true)
      const { config } = ctx.app
      return MFA_METHOD_ORDER.filter(
        (method) => method === 'PASSKEY' || (method === TOTP ? !!config.mfa.encryptionKey : config.mail.features.has('magic-links')),
      )
    },
  },

  Mutation: {
    async setupMfa(_root, args: { mfaType: MfaType; currentPassword?: string | null }, ctx) {
      const subject = await mfaSubject(ctx, false)
      requireTotp(args.mfaType)
      const box = secretBox(ctx.app)
      const existing = await findMfaCredential(ctx.app.db.prisma, subject.id)
      if (existing?.enabledAt)
        throw badInput('MFA is already enabled; disable it first to set up a new authenticator', 'MFA_ALREADY_ENABLED')
      await requireRecentAuthentication(ctx, subject, args.currentPassword)
      const enrollment = await newEnrollment(ctx.app.config.mfa.issuer, subject.email)
      const backupCodes = newBackupCodes()
      await inTransaction(ctx.app.db.prisma, (tx) =>
        saveMfaSetup(
          tx,
          subject.id,
          box.seal(enrollment.secret, subject.id),
          backupCodes.map((code) => box.digest(normalizeBackupCode(code))),
        ),
      )
      return { ...enrollment, backupCodes }
    },

    async verifyMfaSetup(_root, args: { mfaType: MfaType; code: string; currentPassword?: string | null }, ctx) {
      const subject = await mfaSubject(ctx, false)
      requireTotp(args.mfaType)
      const credential = await findMfaCredential(ctx.app.db.prisma, subject.id)
      if (!credential) throw badInput('Set up MFA first (POST /mfa/setup)', 'MFA_NOT_SET_UP')
      // The code proves the new authenticator, not the account: the account's proof is asked for here.
      await requireRecentAuthentication(ctx, subject, args.currentPassword)
      await spendCode(ctx.app, subject.id, credential, args.code, false)
      await markMfaVerified(ctx.app.db.prisma, subject.id)
      return { success: true, message: 'MFA setup verified successfully' }
    },

    async enableMfa(_root, args: { mfaType: MfaType; currentPassword?: string | null }, ctx) {
      const subject = await mfaSubject(ctx, false)
      if (args.mfaType === 'PASSKEY') return enablePasskeys(ctx, subject, args.currentPassword)
      if (args.mfaType === 'MAGIC_LINK') return enableMagicLinks(ctx, subject, args.currentPassword)
      const credential = await findMfaCredential(ctx.app.db.prisma, subject.id)
      if (!credential?.verifiedAt) throw badInput('Verify the MFA setup first (POST /mfa/verify-setup)', 'MFA_NOT_VERIFIED')
      if (credential.enabledAt) throw badInput('MFA is already enabled', 'MFA_ALREADY_ENABLED')
      await requireRecentAuthentication(ctx, subject, args.currentPassword)
      await inTransaction(ctx.app.db.prisma, (tx) => enableMfa(tx, subject.id))
      return { success: true, message: 'MFA enabled successfully' }
    },

    async disableMfa(_root, args: { mfaType: MfaType; code?: string | null }, ctx) {
      const subject = await mfaSubject(ctx, false)
      if (args.mfaType !== TOTP) {
        // A passkey or a link cannot be sent along here: the sign-in must be recent (or a TOTP code given).
        await proveForChange(ctx, subject, args.code)
        if (args.mfaType === 'PASSKEY') await inTransaction(ctx.app.db.prisma, (tx) => removeAllPasskeys(tx, subject.id))
        else await inTransaction(ctx.app.db.prisma, (tx) => disableMagicLink(tx, subject.id))
        return { success: true, message: 'MFA disabled successfully' }
      }
      const credential = await findMfaCredential(ctx.app.db.prisma, subject.id)
      if (!credential?.enabledAt) throw badInput('MFA is not enabled', 'MFA_NOT_ENABLED')
      // A code (or backup code) is its own proof; the public client sends none, and then the sign-in must be recent.
      if (args.code == null) await requireRecentSession(ctx, subject, 'code')
      else {
        await spendCode(ctx.app, subject.id, credential, args.code, true)
        await recordProof(ctx, subject)
      }
      await inTransaction(ctx.app.db.prisma, (tx) => disableMfa(tx, subject.id))
      return { success: true, message: 'MFA disabled successfully' }
    },

    async verifyMfaLogin(
      _root,
      args: { mfaType: MfaType; code?: string | null; token?: string | null; credential?: Record<string, unknown> | null },
      ctx,
    ) {
      const { app, request } = ctx
      // Only the limited token of a login: a full session has nothing left to verify.
      if (request.auth.status !== 'mfaPending') throw unauthenticated()
      const subject = await mfaSubject(ctx, true)
      if (args.mfaType === 'PASSKEY') {
        if (args.credential == null)
          throw badInput('credential is required for PASSKEY (from navigator.credentials.get)', 'INVALID_REQUEST')
        await verifyPasskeyAssertion(ctx, subject.id, request.auth.loginId, args.credential)
        return startMfaSession(ctx, subject.id)
      }
      if (args.mfaType === 'MAGIC_LINK') {
        if (args.token == null) throw badInput("token is required for MAGIC_LINK (the mailed link's token)", 'INVALID_REQUEST')
        return activateMagicLink(ctx, subject.id, request.auth.loginId, args.token)
      }
      if (args.code == null) throw badInput('code is required for GOOGLE_AUTH', 'INVALID_REQUEST')
      const credential = await findMfaCredential(app.db.prisma, subject.id)
      if (!credential?.enabledAt) throw badInput('MFA is not enabled', 'MFA_NOT_ENABLED')
      await spendCode(app, subject.id, credential, args.code, true)
      return startMfaSession(ctx, subject.id)
    },

    async enforceOrganizationMfa(_root, args: { enforced: boolean }, ctx) {
      const caller = await activeRequester(ctx)
      if (caller.orgId === null) throw deny(NO_ORGANIZATION)
      if (caller.orgRole !== OrgRole.OWNER) throw new GatewayError('FORBIDDEN', 'Insufficient permissions to enforce MFA')
      await inTransaction(ctx.app.db.prisma, (tx) => setMfaEnforced(tx, caller.orgId!, args.enforced))
      return {
        success: true,
        message: args.enforced ? 'MFA is now enforced for the organization' : 'MFA is no longer enforced for the organization',
      }
    },
  },
}
