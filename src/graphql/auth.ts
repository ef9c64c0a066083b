// Authentication: register, login, refresh, logout, and the caller's sessions.
import type { IResolvers } from '@graphql-tools/utils'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { AttemptLimit } from '../config.js'
import { hashPassword, needsRehash } from '../auth/passwords.js'
import { hashRefreshToken, revokeSession, rotateRefreshToken } from '../auth/refreshTokens.js'
import { startLoginSession, type SessionInfo } from '../auth/sessions.js'
import { isValidEmail, MAX_PASSWORD_LENGTH, normalizeEmail, passwordProblem, WEAK_PASSWORD_MESSAGE } from '../domain/credentials.js'
import { OrgRole } from '../domain/roles.js'
import { activeRequester, type GatewayContext } from './context.js'
import { badInput, GatewayError } from './errors.js'
import { isUuid } from './ids.js'
import { JSONObject } from './jsonObject.js'

export const FREE_TRIAL_PLAN = 'FREE_TRIAL'
/** Names and company names beyond this are abuse, not names. */
const MAX_NAME_LENGTH = 200
/** Our refresh tokens are 43 characters; anything much longer is not one. */
const MAX_REFRESH_TOKEN_LENGTH = 512

const authError = (errorCode: string, message: string) => new GatewayError('UNAUTHENTICATED', message, { errorCode })
const invalidPassword = () => authError('INVALID_PASSWORD', 'Invalid email or password')
const invalidRefreshToken = () => authError('INVALID_REFRESH_TOKEN', 'Invalid or expired refresh token')
const TOKEN_NOT_FOUND = () => new GatewayError('NOT_FOUND', 'Token not found')

export const SERVICE_UNAVAILABLE_MESSAGE = 'Temporarily unavailable, try again shortly'

/** Counts an attempt under `key`; RATE_LIMITED with retryAfter once the window is full. */
async function countAttempt(app: FastifyInstance, key: string, limit: AttemptLimit) {
  const verdict = await app.attempts.hit(key, limit)
  if (verdict.unavailable) {
    // Fail closed, fast: attempts that cannot be counted are not allowed (README, Failure behaviour).
    throw new GatewayError('RATE_LIMITED', SERVICE_UNAVAILABLE_MESSAGE, {
      errorCode: 'SERVICE_UNAVAILABLE',
      retryAfter: verdict.retryAfter,
    })
  }
  if (!verdict.allowed) {
    throw new GatewayError('RATE_LIMITED', 'Too many attempts, try again later', {
      errorCode: 'TOO_MANY_ATTEMPTS',
      retryAfter: verdict.retryAfter,
    })
  }
}

const accountKey = (email: string) => `login:account:${email}`

function sessionInfo(request: FastifyRequest, deviceInfo?: object | null): SessionInfo {
  return { ipAddress: request.ip, userAgent: request.headers['user-agent'], deviceInfo: deviceInfo ?? undefined }
}

function requiredText(value: string, field: string): string {
  const text = value.trim()
  if (text === '') throw badInput(`${field} must not be empty`, 'INVALID_REQUEST')
  if (text.length > MAX_NAME_LENGTH) throw badInput(`${field} must be at most ${MAX_NAME_LENGTH} characters`, 'INVALID_REQUEST')
  return text
}

/** A concurrent registration of the same email loses at the unique index, not with a 500. */
function isEmailTaken(err: unknown): boolean {
  const e = err as { code?: string; meta?: unknown }
  return e?.code === 'P2002' && JSON.stringify(e.meta ?? {}).includes('email')
}

interface AuthUserRow {
  id: string
  email: string
  name: string
  orgId: string | null
  orgRole: number | null
  imageUrl: string | null
}
const AUTH_USER_SELECT = { id: true, email: true, name: true, orgId: true, orgRole: true, imageUrl: true } as const

function authPayload(app: FastifyInstance, user: AuthUserRow, login: { sessionId: string; refreshToken: string }) {
  const { accessToken, expiresAt } = app.accessTokens.issue(user.id, login.sessionId)
  return {
    accessToken,
    refreshToken: login.refreshToken,
    tokenId: login.sessionId,
    expiresAt,
    user: { id: user.id, email: user.email, name: user.name, orgId: user.orgId, orgRole: user.orgRole, image_url: user.imageUrl },
  }
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

export const authResolvers: IResolvers<unknown, GatewayContext> = {
  JSONObject,
  Query: {
    async sessions(_root, _args, ctx) {
      const caller = await activeRequester(ctx)
      const current = ctx.request.auth.status === 'valid' ? ctx.request.auth.sessionId : null
      const rows = await ctx.app.db.prisma.session.findMany({
        where: { userId: caller.id, revokedAt: null, expiresAt: { gt: new Date() } },
        orderBy: { createdAt: 'desc' },
        select: { id: true, createdAt: true, lastUsedAt: true, expiresAt: true, ipAddress: true, userAgent: true },
      })
      return rows.map(({ id, ...row }) => ({ tokenId: id, ...row, current: id === current }))
    },
  },
  Mutation: {
    async register(_root, { input }: { input: RegisterInput }, ctx) {
      const { app, request } = ctx
      await countAttempt(app, `register:address:${request.ip}`, app.config.attemptLimits.registerPerAddress)
      const firstName = requiredText(input.firstName, 'firstName')
      const lastName = requiredText(input.lastName, 'lastName')
      const companyName = requiredText(input.companyName, 'companyName')
      const email = normalizeEmail(input.email)
      if (!isValidEmail(email)) throw badInput('Invalid email address', 'INVALID_EMAIL')
      const problem = passwordProblem(input.password)
      if (problem === 'TOO_LONG') throw badInput(`password must be at most ${MAX_PASSWORD_LENGTH} characters`, 'INVALID_REQUEST')
      if (problem === 'WEAK_PASSWORD') throw badInput(WEAK_PASSWORD_MESSAGE, 'WEAK_PASSWORD')
      const passwordHash = await hashPassword(input.password)
      try {
        // isBusiness and companyWebsite are accepted as documented; the data model has no place for them.
        const { user, login } = await app.db.prisma.$transaction(async (tx) => {
          const plan = await tx.subscriptionPlan.findUniqueOrThrow({ where: { code: FREE_TRIAL_PLAN }, select: { id: true } })
          const org = await tx.organization.create({ data: { name: companyName }, select: { id: true } })
          const user = await tx.user.create({
            data: { email, name: firstName, lastName, passwordHash, orgId: org.id, orgRole: OrgRole.OWNER },
            select: AUTH_USER_SELECT,
          })
          await tx.organizationSubscription.create({ data: { orgId: org.id, planId: plan.id, status: 'active' } })
          const login = await startLoginSession(tx, user.id, app.config.refreshTokenTtlSeconds, sessionInfo(request))
          return { user, login }
        })
        return authPayload(app, user, login)
      } catch (err) {
        if (isEmailTaken(err)) throw badInput('Email is already registered', 'EMAIL_ALREADY_REGISTERED')
        throw err
      }
    },

    async login(_root, args: { email: string; password: string; deviceInfo?: object | null }, ctx) {
      const { app, request } = ctx
      const limits = app.config.attemptLimits
      const email = normalizeEmail(args.email)
      await countAttempt(app, `login:address:${request.ip}`, limits.loginPerAddress)
      await countAttempt(app, accountKey(email), limits.loginPerAccount)
      const user = await app.db.prisma.user.findUnique({
        where: { email },
        select: { ...AUTH_USER_SELECT, passwordHash: true, deletedAt: true },
      })
      // Unknown user or no password: verify against the decoy anyway, so every failure takes as long.
      const matches = await app.credentials.verify(user?.passwordHash ?? app.credentials.dummyHash, args.password)
      if (!user || !user.passwordHash || !matches) throw invalidPassword()
      await app.attempts.reset(accountKey(email))
      if (user.deletedAt !== null) throw authError('USER_INACTIVE', 'User account is inactive')
      if (needsRehash(user.passwordHash)) {
        // Only if the hash is still the one verified: a concurrent password change wins.
        await app.db.prisma.user.updateMany({
          where: { id: user.id, passwordHash: user.passwordHash },
          data: { passwordHash: await hashPassword(args.password) },
        })
      }
      const login = await app.db.prisma.$transaction((tx) =>
        startLoginSession(tx, user.id, app.config.refreshTokenTtlSeconds, sessionInfo(request, args.deviceInfo)),
      )
      return authPayload(app, user, login)
    },

    async refresh(_root, args: { refreshToken: string }, ctx) {
      const { app, request } = ctx
      await countAttempt(app, `refresh:address:${request.ip}`, app.config.attemptLimits.refreshPerAddress)
      if (args.refreshToken.length === 0 || args.refreshToken.length > MAX_REFRESH_TOKEN_LENGTH) throw invalidRefreshToken()
      const rotation = await app.db.transaction((tx) => rotateRefreshToken(tx, args.refreshToken, app.config.refreshTokenTtlSeconds))
      if (rotation.status === 'invalid') throw invalidRefreshToken()
      if (rotation.status === 'reused') {
        request.log.warn({ sessionId: rotation.sessionId }, 'refresh token reused: session revoked')
        throw authError('REFRESH_TOKEN_REUSED', 'Refresh token reuse detected; the session has been revoked')
      }
      const { accessToken, expiresAt } = app.accessTokens.issue(rotation.userId, rotation.sessionId)
      return { accessToken, refreshToken: rotation.refreshToken, expiresAt }
    },

    async logout(_root, args: { refreshToken: string }, ctx) {
      const caller = await activeRequester(ctx)
      const { sql } = ctx.app.db
      const owned =
        args.refreshToken.length <= MAX_REFRESH_TOKEN_LENGTH
          ? await sql.query<{ session_id: string }>(
              'SELECT rt.session_id FROM refresh_tokens rt JOIN sessions s ON s.id = rt.session_id WHERE rt.token_hash = $1 AND s.user_id = $2',
              [hashRefreshToken(args.refreshToken), caller.id],
            )
          : []
      // Another user's token is as unknown as a made-up one.
      if (!owned[0]) throw badInput('Invalid refresh token', 'INVALID_REFRESH_TOKEN')
      await revokeSession(sql, owned[0].session_id, 'logout')
      return { success: true, message: 'Logged out successfully' }
    },

    async revokeSession(_root, args: { tokenId: string }, ctx) {
      const caller = await activeRequester(ctx)
      if (!isUuid(args.tokenId)) throw TOKEN_NOT_FOUND()
      const revoked = await ctx.app.db.sql.query(
        `UPDATE sessions SET revoked_at = now(), revoked_reason = 'revoked_by_user'
         WHERE id = $1 AND user_id = $2 AND revoked_at IS NULL AND expires_at > now() RETURNING id`,
        [args.tokenId, caller.id],
      )
      if (revoked.length === 0) throw TOKEN_NOT_FOUND()
      return { success: true, message: 'Token revoked successfully' }
    },
  },
}
