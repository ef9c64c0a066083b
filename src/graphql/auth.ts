// Authentication: register, login, refresh, logout, and the caller's sessions.
import type { Resolvers } from './schemaTypes.js'
import type { FastifyRequest } from 'fastify'
import { findRefreshTokenSession, rotateRefreshToken, startLoginSession } from '../db/repositories/tokens.js'
import { listLiveSessions, revokeSessions, type SessionInfo } from '../db/repositories/sessions.js'
import { createOrganizationOnFreeTrial } from '../db/repositories/organizations.js'
import { createAuthUser, findByEmailForLogin, replacePasswordHashIf } from '../db/repositories/users.js'
import { inTransaction, isUniqueViolation } from '../db/repositories/transaction.js'
import { fields, isUuid } from '../domain/fields.js'
import { SESSIONS_MAX_PAGE } from '../domain/listBounds.js'
import { OrgRole } from '../domain/roles.js'
import { activeRequester, type GatewayContext } from './context.js'
import { badInput, GatewayError } from './errors.js'
import { acceptFields } from './fieldInput.js'
import { JSONObject } from './jsonObject.js'
import { prepareVerificationMail } from './accountMail.js'
import { mfaPendingPayload, sessionPayload } from './sessionPayload.js'
import { accountKey, countAttempt } from './attempts.js'
import { isMfaEnabled, isMfaEnforced } from '../db/repositories/mfa.js'
import { findTrustedDevice, touchDevice } from '../db/repositories/devices.js'
import { describeDevice, trustRefusal } from '../domain/devices.js'
import { hashOpaqueToken, MAX_OPAQUE_TOKEN_LENGTH } from '../crypto/opaqueTokens.js'

const authError = (errorCode: string, message: string) => new GatewayError('UNAUTHENTICATED', message, { errorCode })
const invalidPassword = () => authError('INVALID_PASSWORD', 'Invalid email or password')
const invalidRefreshToken = () => authError('INVALID_REFRESH_TOKEN', 'Invalid or expired refresh token')
const TOKEN_NOT_FOUND = () => new GatewayError('NOT_FOUND', 'Token not found')

/**
 * What a new session keeps about its client, and the device it comes from (docs/devices.md); the deviceInfo
 * rule refuses abuse before any work is done.
 */
export function sessionInfo(request: FastifyRequest, reported?: unknown): SessionInfo {
  const { deviceInfo, userAgent } = acceptFields(() => fields.deviceInfo(reported, request.headers['user-agent']), true)
  const device = describeDevice(deviceInfo, userAgent, request.ip, request.headers['x-device-fingerprint'])
  return { ipAddress: request.ip, userAgent: userAgent ?? undefined, deviceInfo: deviceInfo ?? undefined, device }
}

/**
 * The trusted device a login's device token (the argument, else the X-Device-Token header) names, when it may
 * stand in for the user's second factor; null otherwise (then the code is asked for, as without a token).
 */
async function trustedDeviceOf(ctx: GatewayContext, user: { id: string; orgId: string | null }, presented?: string | null) {
  const { app, request } = ctx
  const header = request.headers['x-device-token']
  const token = presented ?? (typeof header === 'string' ? header : undefined)
  if (!token || token.length > MAX_OPAQUE_TOKEN_LENGTH) return null
  if (trustRefusal(app.config.trustedDevices, await isMfaEnforced(app.db.prisma, user.orgId))) return null
  return findTrustedDevice(app.db.prisma, user.id, hashOpaqueToken(token), new Date())
}

interface RegisterInput {
  email: string
  password: string
  firstName: string
  lastName: string
  companyName: string
  isBusiness: boolean
  companyWebsite?: string | null
}

/** The page `sessions` asks for: limit 1–SESSIONS_MAX_PAGE (default SESSIONS_MAX_PAGE), offset ≥ 0 (default 0). */
export function sessionPage(args: { limit?: number | null; offset?: number | null }): { limit: number; offset: number } {
  const limit = args.limit ?? SESSIONS_MAX_PAGE
  const offset = args.offset ?? 0
  if (limit < 1 || limit > SESSIONS_MAX_PAGE) throw badInput(`limit must be between 1 and ${SESSIONS_MAX_PAGE}`)
  if (offset < 0) throw badInput('offset must not be negative')
  return { limit, offset }
}

type SessionRows = ReturnType<typeof listLiveSessions>
const sessionPages = new WeakMap<object, Map<string, SessionRows>>()

/** A session as GET /token and GET /sessions show it: the same row under both sets of names. */
export function sessionView(row: Awaited<ReturnType<typeof listLiveSessions>>[number], currentSessionId: string | null) {
  const { id, createdAt, lastUsedAt, ...rest } = row
  return {
    ...rest,
    tokenId: id,
    id,
    createdAt,
    startedAt: createdAt,
    lastUsedAt,
    lastActivity: lastUsedAt,
    location: null,
    current: id === currentSessionId,
  }
}

export const authResolvers: Resolvers = {
  JSONObject,
  Query: {
    async sessions(_root, args: { limit?: number | null; offset?: number | null }, ctx) {
      const caller = await activeRequester(ctx)
      const page = sessionPage(args)
      const current = ctx.request.auth.status === 'valid' ? ctx.request.auth.sessionId : null
      // Aliases asking for the same page share one query (per request: a revocation shows at the next one).
      let pages = sessionPages.get(ctx.request)
      if (!pages) sessionPages.set(ctx.request, (pages = new Map()))
      const key = `${caller.id}:${page.limit}:${page.offset}`
      let rows = pages.get(key)
      if (!rows) pages.set(key, (rows = listLiveSessions(ctx.app.db.prisma, caller.id, page)))
      return (await rows).map((row) => sessionView(row, current))
    },
  },
  Mutation: {
    async register(_root, { input }: { input: RegisterInput }, ctx) {
      const { app, request } = ctx
      await countAttempt(app, `register:address:${request.ip}`, app.config.attemptLimits.registerPerAddress)
      const { firstName, lastName, companyName, companyWebsite, email, password } = acceptFields(
        () => ({
          firstName: fields.personName(input.firstName, 'firstName'),
          lastName: fields.personName(input.lastName, 'lastName'),
          companyName: fields.companyName(input.companyName),
          companyWebsite: fields.companyWebsite(input.companyWebsite),
          email: fields.email(input.email),
          password: fields.password(input.password),
        }),
        true,
      )
      const info = sessionInfo(request)
      const passwordHash = await app.credentials.hash(password)
      try {
        const { user, login, verification } = await inTransaction(app.db.prisma, async (tx) => {
          const { isBusiness } = input
          const orgId = await createOrganizationOnFreeTrial(tx, companyName, { website: companyWebsite, isBusiness })
          const owner = { orgId, orgRole: OrgRole.OWNER, isBusiness, companyWebsite }
          const user = await createAuthUser(tx, { email, name: firstName, lastName, passwordHash, ...owner })
          const login = await startLoginSession(tx, user.id, app.config.refreshTokenTtlSeconds, info)
          const verifies = app.config.mail.features.has('email-verification')
          const verification = verifies ? await prepareVerificationMail(app, tx, user) : null
          return { user, login, verification }
        })
        verification?.send(ctx.requestId)
        return { ...sessionPayload(app, user, login), verificationTokenId: verification?.id ?? null }
      } catch (err) {
        // A concurrent registration of the same email loses at the unique index, not with a 500.
        if (isUniqueViolation(err, 'email')) throw badInput('Email is already registered', 'EMAIL_ALREADY_REGISTERED')
        throw err
      }
    },

    async login(_root, args: { email: string; password: string; deviceInfo?: object | null; deviceToken?: string | null }, ctx) {
      const { app, request } = ctx
      const limits = app.config.attemptLimits
      const email = fields.loginEmail(args.email)
      const info = sessionInfo(request, args.deviceInfo)
      await countAttempt(app, `login:address:${request.ip}`, limits.loginPerAddress)
      await countAttempt(app, accountKey(email), limits.loginPerAccount)
      const user = await findByEmailForLogin(app.db.prisma, email)
      // Unknown user or no password: verify against the decoy anyway, so every failure takes as long.
      const matches = await app.credentials.verify(user?.passwordHash ?? app.credentials.dummyHash, args.password)
      if (!user || !user.passwordHash || !matches) throw invalidPassword()
      await app.attempts.reset(accountKey(email))
      if (user.deletedAt !== null) throw authError('USER_INACTIVE', 'User account is inactive')
      if (app.credentials.needsRehash(user.passwordHash)) {
        // Only if the hash is still the one verified: a concurrent password change wins.
        await replacePasswordHashIf(app.db.prisma, user.id, user.passwordHash, await app.credentials.hash(args.password))
      }
      let started = info
      if (await isMfaEnabled(app.db.prisma, user.id)) {
        // An MFA user gets a limited token until verifyMfaLogin (no session yet), unless a trusted device stands in.
        const trustedDevice = await trustedDeviceOf(ctx, user, args.deviceToken)
        if (!trustedDevice) return mfaPendingPayload(app, user)
        started = { ...info, device: { id: trustedDevice }, loginMethod: 'TRUSTED_DEVICE' }
        await touchDevice(app.db.prisma, user.id, trustedDevice, request.ip)
      }
      const login = await inTransaction(app.db.prisma, (tx) => startLoginSession(tx, user.id, app.config.refreshTokenTtlSeconds, started))
      return sessionPayload(app, user, login)
    },

    async refresh(_root, args: { refreshToken: string }, ctx) {
      const { app, request } = ctx
      await countAttempt(app, `refresh:address:${request.ip}`, app.config.attemptLimits.refreshPerAddress)
      if (args.refreshToken.length === 0 || args.refreshToken.length > MAX_OPAQUE_TOKEN_LENGTH) throw invalidRefreshToken()
      const rotation = await rotateRefreshToken(app.db.prisma, args.refreshToken, app.config.refreshTokenTtlSeconds)
      if (rotation.status === 'invalid') throw invalidRefreshToken()
      if (rotation.status === 'reused') {
        request.log.warn({ sessionId: rotation.sessionId }, 'refresh token reused: session revoked')
        throw authError('REFRESH_TOKEN_REUSED', 'Refresh token reuse detected; the session has been revoked')
      }
      const { accessToken, expiresAt } = app.accessTokens.issue(rotation.userId, rotation.sessionId)
      return { token: accessToken, accessToken, refreshToken: rotation.refreshToken, expiresAt }
    },

    async logout(_root, args: { refreshToken: string }, ctx) {
      const { app, request } = ctx
      // The refresh token decides; an access token, when valid, only narrows it to the caller's own.
      const found = await request.lookUpRequester()
      const caller = found.status === 'active' ? found.user : null
      if (!caller) await countAttempt(app, `logout:address:${request.ip}`, app.config.attemptLimits.refreshPerAddress)
      const { prisma } = app.db
      const owned = args.refreshToken.length <= MAX_OPAQUE_TOKEN_LENGTH ? await findRefreshTokenSession(prisma, args.refreshToken) : null
      // Another user's token is as unknown as a made-up one.
      if (!owned || (caller && owned.userId !== caller.id)) throw badInput('Invalid refresh token', 'INVALID_REFRESH_TOKEN')
      await revokeSessions(prisma, { sessionId: owned.sessionId }, 'logout')
      return { success: true, message: 'Logged out successfully' }
    },

    async revokeSession(_root, args: { tokenId: string }, ctx) {
      const caller = await activeRequester(ctx)
      if (!isUuid(args.tokenId)) throw TOKEN_NOT_FOUND()
      const revoked = await revokeSessions(
        ctx.app.db.prisma,
        { sessionId: args.tokenId, userId: caller.id, liveOnly: true },
        'revoked_by_user',
      )
      if (revoked === 0) throw TOKEN_NOT_FOUND()
      return { success: true, message: 'Token revoked successfully' }
    },
  },
}
