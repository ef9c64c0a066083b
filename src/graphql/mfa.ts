// TOTP MFA: status, setup, verification, enabling, disabling, the login's second step, enforcement.
import type { Resolvers } from './schemaTypes.js'
import { deviceOfHeaders } from './requestDevice.js'
import type { FastifyInstance } from 'fastify'
import { startLoginSession } from '../db/repositories/tokens.js'
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
  findMfaSubject,
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
import { primaryMethodOf } from '../domain/mfaMethods.js'
import { recordProof, requireRecentAuthentication, requireRecentSession } from './recentAuth.js'

const TOTP = 'GOOGLE_AUTH'
type MfaType = 'GOOGLE_AUTH' | 'MAGIC_LINK' | 'PASSKEY'

const invalidCode = () => badInput('Invalid MFA code', 'INVALID_MFA_CODE')

/** Only TOTP is offered; the client's other method names get a clear 400. */
function requireTotp(mfaType: MfaType) {
  if (mfaType !== TOTP) {
    throw badInput(
      `MFA method ${mfaType} is not supported: magic links and passkeys are not available, use GOOGLE_AUTH (TOTP)`,
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

interface MfaSubject {
  id: string
  email: string
  orgId: string | null
  orgRole: number | null
  /** Whether the request carries a full-access token (not the limited one of an MFA login). */
  full: boolean
  /** users.mfa_required: MFA enabled, enforced, or asked of the user again by a reset (resetMfa's enable). */
  mfaRequired: boolean
}

/** The caller with a full token, or (when `pendingToo`) with the limited token of an MFA login. */
export async function mfaSubject(ctx: GatewayContext, pendingToo: boolean): Promise<MfaSubject> {
  const auth = ctx.request.auth
  if (auth.status === 'mfaPending') {
    if (!pendingToo) throw unauthenticated()
    const user = await findMfaSubject(ctx.app.db.prisma, auth.userId)
    if (!user) throw unauthenticated()
    return { id: user.id, email: user.email, orgId: user.orgId, orgRole: user.orgRole, full: false, mfaRequired: user.mfaRequired }
  }
  const caller = await activeRequester(ctx)
  const { id, email, orgId, orgRole, mfaRequired } = caller
  return { id, email, orgId, orgRole, full: true, mfaRequired }
}

/** Every code attempt counts, per user; a correct code resets the count. */
const codeAttemptKey = (userId: string) => `mfa:user:${userId}`

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
      return ctx.app.config.mfa.encryptionKey ? [TOTP] : []
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
      requireTotp(args.mfaType)
      const credential = await findMfaCredential(ctx.app.db.prisma, subject.id)
      if (!credential?.verifiedAt) throw badInput('Verify the MFA setup first (POST /mfa/verify-setup)', 'MFA_NOT_VERIFIED')
      if (credential.enabledAt) throw badInput('MFA is already enabled', 'MFA_ALREADY_ENABLED')
      await requireRecentAuthentication(ctx, subject, args.currentPassword)
      await inTransaction(ctx.app.db.prisma, (tx) => enableMfa(tx, subject.id))
      return { success: true, message: 'MFA enabled successfully' }
    },

    async disableMfa(_root, args: { mfaType: MfaType; code?: string | null }, ctx) {
      const subject = await mfaSubject(ctx, false)
      requireTotp(args.mfaType)
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

    async verifyMfaLogin(_root, args: { mfaType: MfaType; code: string }, ctx) {
      const { app, request } = ctx
      // Only the limited token of a login: a full session has nothing left to verify.
      if (request.auth.status !== 'mfaPending') throw unauthenticated()
      const subject = await mfaSubject(ctx, true)
      requireTotp(args.mfaType)
      const credential = await findMfaCredential(app.db.prisma, subject.id)
      if (!credential?.enabledAt) throw badInput('MFA is not enabled', 'MFA_NOT_ENABLED')
      await spendCode(app, subject.id, credential, args.code, true)
      const login = await inTransaction(app.db.prisma, (tx) =>
        startLoginSession(tx, subject.id, app.config.refreshTokenTtlSeconds, {
          ipAddress: request.ip,
          userAgent: request.headers['user-agent'],
          device: deviceOfHeaders(request),
        }),
      )
      const { accessToken, expiresAt } = app.accessTokens.issue(subject.id, login.sessionId)
      return {
        success: true,
        message: 'MFA verification successful',
        fullAccessToken: accessToken,
        refreshToken: login.refreshToken,
        tokenId: login.sessionId,
        expiresAt,
      }
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
