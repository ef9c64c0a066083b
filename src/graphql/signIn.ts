// Sign-in with an OpenID Connect / OAuth 2.0 provider or a Stellar wallet (docs/sign-in.md): pending sign-ins,
// identities, and the account an identity signs in as (created, linked, or known).
import type { IResolvers } from '@graphql-tools/utils'
import type { FastifyInstance } from 'fastify'
import type { OAuthProviderName } from '../config.js'
import {
  authorizationRequest,
  completeAuthorization,
  ProviderRefusal,
  verifyIdToken,
  type ProviderProfile,
  type VerifiedIdToken,
} from '../auth/providerSignIn.js'
import { challengeMessage, decodeSignature, isStellarAddress, verifyWalletSignature } from '../auth/walletSignatures.js'
import { newOpaqueToken } from '../crypto/opaqueTokens.js'
import { sha256 } from '../crypto/digest.js'
import { spendIdToken, storeChallenge, takeChallenge } from '../db/repositories/signInChallenges.js'
import {
  findAuthUser,
  findIdentityUser,
  findUserByEmail,
  linkIdentity,
  markEmailValidated,
  touchIdentity,
  type IdentityKey,
} from '../db/repositories/identities.js'
import { createOrganizationOnFreeTrial } from '../db/repositories/organizations.js'
import { createAuthUser, type AuthUserRow } from '../db/repositories/users.js'
import { startLoginSession } from '../db/repositories/tokens.js'
import { recordAudit } from '../db/repositories/auditEvents.js'
import { isMfaEnabled } from '../db/repositories/mfa.js'
import { inTransaction, isUniqueViolation } from '../db/repositories/transaction.js'
import { fields, hasControlCharacters, isValidEmail, MAX_NAME_LENGTH, normalizeEmail } from '../domain/fields.js'
import { OrgRole } from '../domain/roles.js'
import type { GatewayContext } from './context.js'
import { badInput, GatewayError } from './errors.js'
import { countAttempt } from './attempts.js'
import { mfaPendingPayload, sessionPayload } from './sessionPayload.js'
import { authResolvers, sessionInfo } from './auth.js'

export const WALLET_PROVIDER = 'WEB3_STELLAR'

/** Bounds on what a client sends (a longer value is not one of ours or a provider's). */
const MAX_CODE_LENGTH = 4096
const MAX_STATE_LENGTH = 512
const MAX_ISS_LENGTH = 2048
const MAX_SIGNATURE_LENGTH = 256
const MAX_NETWORK_LENGTH = 32
/** Google's and Microsoft's ID tokens are 1–3 KB. */
const MAX_ID_TOKEN_LENGTH = 8192

type Outcome = 'SIGNED_IN' | 'CREATED' | 'LINKED'

interface PendingAuthorization {
  provider: OAuthProviderName
  state: string
  codeVerifier: string
  nonce: string | null
  /** The caller who started it: completing it links the identity to this user only. */
  linkUserId: string | null
}

interface PendingWalletChallenge {
  address: string
  network: string
  message: string
  linkUserId: string | null
}

/** An identity as a provider (or a wallet) vouches for it. */
interface Identity extends ProviderProfile {
  provider: string
}

const authError = (errorCode: string, message: string) => new GatewayError('UNAUTHENTICATED', message, { errorCode })
const forbidden = (errorCode: string, message: string) => new GatewayError('FORBIDDEN', message, { errorCode })
const notConfigured = (provider: string) =>
  new GatewayError('NOT_FOUND', `Sign-in with ${provider.toLowerCase()} is not configured on this server`, {
    errorCode: 'PROVIDER_NOT_CONFIGURED',
  })
const invalidState = () => badInput('Unknown, spent or expired state: start the sign-in again', 'INVALID_STATE')
const invalidChallenge = () => badInput('Unknown, spent or expired challenge: ask for a new one', 'INVALID_CHALLENGE')

function providerConfig(app: FastifyInstance, provider: OAuthProviderName) {
  const config = app.config.signIn.providers[provider]
  if (!config) throw notConfigured(provider)
  return config
}

/** The signed-in caller, when the request carries a valid access token; anyone else is anonymous here. */
async function signedInUserId(ctx: GatewayContext): Promise<string | null> {
  const found = await ctx.request.lookUpRequester()
  return found.status === 'active' ? found.user.id : null
}

/** A pending sign-in begun to link: only the same signed-in user may complete it. */
async function checkLinkingCaller(ctx: GatewayContext, linkUserId: string | null): Promise<void> {
  if (linkUserId === null) return
  if ((await signedInUserId(ctx)) !== linkUserId)
    throw forbidden('LINK_USER_MISMATCH', "This sign-in was started to link an account: complete it with that account's access token")
}

function refusal(ctx: GatewayContext, err: unknown, provider: string): GatewayError {
  if (!(err instanceof ProviderRefusal)) throw err
  ctx.request.log.warn({ provider, reason: err.reason, detail: err.detail }, 'provider sign-in refused')
  if (err.reason === 'INVALID_GRANT') return badInput('The provider refused the authorization code', 'INVALID_GRANT')
  if (err.reason === 'INVALID_ID_TOKEN') return authError('INVALID_ID_TOKEN', "The provider's ID token failed verification")
  return new GatewayError('INTERNAL_SERVER_ERROR', 'The sign-in provider could not be reached, try again later', {
    errorCode: 'PROVIDER_UNAVAILABLE',
    category: 'Sign-in provider unavailable',
  })
}

/** A name from a provider, if it is one we would accept at register; else the fallback. */
function providerName(value: string | null, fallback: string): string {
  if (value === null) return fallback
  const trimmed = value.trim().slice(0, MAX_NAME_LENGTH)
  return trimmed === '' || hasControlCharacters(trimmed) ? fallback : trimmed
}

/** The account email of a new identity: the provider's, or an undeliverable stand-in (RFC 2606 .invalid) when it has none. */
function accountEmailOf(identity: Identity): { email: string; fromProvider: boolean } {
  const given = identity.email === null ? null : normalizeEmail(identity.email)
  if (given !== null && isValidEmail(given)) return { email: given, fromProvider: true }
  if (identity.provider === WALLET_PROVIDER) return { email: `${identity.subject.toLowerCase()}@stellar.invalid`, fromProvider: false }
  return { email: `${identity.provider.toLowerCase()}-${sha256(identity.subject).slice(0, 32)}@sign-in.invalid`, fromProvider: false }
}

/** Finds, links or creates the account an identity signs in as, then answers login's payload. */
async function signInWithIdentity(ctx: GatewayContext, identity: Identity, linkUserId: string | null, deviceInfo: unknown) {
  const { app, request } = ctx
  const info = { ...sessionInfo(request, deviceInfo), loginMethod: identity.provider }
  const key: IdentityKey = { provider: identity.provider, subject: identity.subject }
  const account = accountEmailOf(identity)
  const identityEmail = account.fromProvider ? account.email : null
  const audit = (tx: Parameters<typeof recordAudit>[0], user: AuthUserRow, action: string) =>
    recordAudit(tx, {
      actorId: user.id,
      targetId: user.id,
      orgId: user.orgId,
      action,
      changes: { provider: { old: null, new: identity.provider }, subject: { old: null, new: identity.subject } },
    })
  let found: { user: AuthUserRow; outcome: Outcome }
  try {
    found = await inTransaction(app.db.prisma, async (tx) => {
      const known = await findIdentityUser(tx, key)
      if (linkUserId !== null) {
        if (known && known.id !== linkUserId) throw forbidden('IDENTITY_IN_USE', 'This identity is linked to another account')
        const user = await findAuthUser(tx, linkUserId)
        if (!user || user.deletedAt !== null) throw authError('USER_INACTIVE', 'User account is inactive')
        if (known) {
          await touchIdentity(tx, key, identityEmail)
          return { user, outcome: 'SIGNED_IN' as const }
        }
        await linkIdentity(tx, key, user.id, identityEmail)
        await audit(tx, user, 'user.identity_linked')
        return { user, outcome: 'LINKED' as const }
      }
      if (known) {
        if (known.deletedAt !== null) throw authError('USER_INACTIVE', 'User account is inactive')
        await touchIdentity(tx, key, identityEmail)
        return { user: known, outcome: 'SIGNED_IN' as const }
      }
      if (account.fromProvider) {
        const existing = await findUserByEmail(tx, account.email)
        if (existing) {
          // Never to another account by email alone: only when the provider vouches that the email is the user's.
          if (!identity.emailVerified)
            throw forbidden(
              'EMAIL_NOT_VERIFIED',
              'An account with this email exists and the provider has not verified the email: sign in to it and link the provider',
            )
          if (existing.deletedAt !== null) throw authError('USER_INACTIVE', 'User account is inactive')
          await linkIdentity(tx, key, existing.id, identityEmail)
          if (!existing.validated) await markEmailValidated(tx, existing.id)
          await audit(tx, existing, 'user.identity_linked')
          return { user: existing, outcome: 'LINKED' as const }
        }
      }
      const name = providerName(identity.givenName, identity.provider === WALLET_PROVIDER ? 'Stellar' : 'New')
      const lastName = providerName(identity.familyName, 'User')
      const orgId = await createOrganizationOnFreeTrial(tx, fields.companyName(`${name} ${lastName}`.slice(0, 180) + "'s organization"))
      const user = await createAuthUser(tx, { email: account.email, name, lastName, passwordHash: null, orgId, orgRole: OrgRole.OWNER })
      if (identity.emailVerified && account.fromProvider) await markEmailValidated(tx, user.id)
      await linkIdentity(tx, key, user.id, identityEmail)
      await audit(tx, user, 'user.created')
      return { user, outcome: 'CREATED' as const }
    })
  } catch (err) {
    // A concurrent sign-in of the same identity or email won the race: the client may simply try again.
    if (isUniqueViolation(err)) throw forbidden('IDENTITY_IN_USE', 'This identity was just linked by another sign-in; try again')
    throw err
  }
  const { user, outcome } = found
  let payload
  if (await isMfaEnabled(app.db.prisma, user.id)) {
    payload = mfaPendingPayload(app, user)
  } else {
    const login = await inTransaction(app.db.prisma, async (tx) => {
      const started = await startLoginSession(tx, user.id, app.config.refreshTokenTtlSeconds, info)
      await recordAudit(tx, {
        actorId: user.id,
        targetId: user.id,
        orgId: user.orgId,
        action: 'user.signed_in',
        changes: { loginMethod: { old: null, new: identity.provider }, tokenId: { old: null, new: started.sessionId } },
      })
      return started
    })
    payload = sessionPayload(app, user, login)
  }
  return {
    ...payload,
    outcome,
    authState: {
      user: { email: user.email, name: user.name, imageUrl: user.imageUrl ?? identity.picture },
      token: payload.accessToken,
      accessToken: payload.accessToken,
      refreshToken: payload.refreshToken,
      expiresAt: payload.expiresAt,
      provider: identity.provider,
    },
  }
}

const signInAttempt = (ctx: GatewayContext) =>
  countAttempt(ctx.app, `signin:address:${ctx.request.ip}`, ctx.app.config.attemptLimits.signInPerAddress)

function walletNetwork(app: FastifyInstance, value: string | null | undefined): string {
  const allowed = app.config.signIn.web3.networks
  const network = (value ?? allowed[0] ?? '').trim().toUpperCase()
  if (network.length > MAX_NETWORK_LENGTH || !allowed.includes(network))
    throw badInput(`network must be one of ${allowed.join(', ')}`, 'INVALID_NETWORK')
  return network
}

function walletAddress(value: string): string {
  const address = value.trim()
  if (!isStellarAddress(address)) throw badInput('address must be a Stellar account address (G…, 56 characters)', 'INVALID_ADDRESS')
  return address
}

export const signInResolvers: IResolvers<unknown, GatewayContext> = {
  Mutation: {
    async beginProviderSignIn(_root, args: { provider: OAuthProviderName }, ctx) {
      const { app } = ctx
      const config = providerConfig(app, args.provider)
      await signInAttempt(ctx)
      const linkUserId = await signedInUserId(ctx)
      let request
      try {
        request = await authorizationRequest(args.provider, config)
      } catch (err) {
        throw refusal(ctx, err, args.provider)
      }
      const pending: PendingAuthorization = {
        provider: args.provider,
        state: request.state,
        codeVerifier: request.codeVerifier,
        nonce: request.nonce,
        linkUserId,
      }
      const expiresAt = await storeChallenge(app.db.prisma, 'oauth', request.state, pending, app.config.signIn.challengeTtlSeconds)
      return {
        authorizationUrl: request.url,
        state: request.state,
        expiresAt: Math.floor(expiresAt.getTime() / 1000),
        linking: linkUserId !== null,
      }
    },

    async completeProviderSignIn(
      _root,
      args: { provider: OAuthProviderName; code: string; state: string; iss?: string | null; deviceInfo?: object | null },
      ctx,
    ) {
      const { app } = ctx
      const config = providerConfig(app, args.provider)
      await signInAttempt(ctx)
      if (args.code.length === 0 || args.code.length > MAX_CODE_LENGTH) throw badInput('code must be 1–4096 characters', 'INVALID_REQUEST')
      if (args.iss != null && args.iss.length > MAX_ISS_LENGTH) throw badInput('iss is too long', 'INVALID_REQUEST')
      sessionInfo(ctx.request, args.deviceInfo) // refuses a bad deviceInfo before the state is spent
      if (args.state.length === 0 || args.state.length > MAX_STATE_LENGTH) throw invalidState()
      const pending = await takeChallenge<PendingAuthorization>(app.db.prisma, 'oauth', args.state)
      // Single use: the state is spent whatever happens next, so a code can be tried once per started sign-in.
      if (!pending || pending.provider !== args.provider || pending.state !== args.state) throw invalidState()
      await checkLinkingCaller(ctx, pending.linkUserId)
      let profile: ProviderProfile
      try {
        profile = await completeAuthorization(args.provider, config, pending, { code: args.code, iss: args.iss })
      } catch (err) {
        throw refusal(ctx, err, args.provider)
      }
      return signInWithIdentity(ctx, { ...profile, provider: args.provider }, pending.linkUserId, args.deviceInfo)
    },

    async signInWithIdToken(_root, args: { provider: OAuthProviderName; idToken: string; deviceInfo?: object | null }, ctx) {
      const { app } = ctx
      const config = providerConfig(app, args.provider)
      await signInAttempt(ctx)
      if (args.provider === 'GITHUB')
        throw badInput('GitHub issues no ID tokens: sign in with the code flow (POST /auth/github)', 'INVALID_REQUEST')
      if (args.idToken.length === 0 || args.idToken.length > MAX_ID_TOKEN_LENGTH)
        throw badInput(`token must be 1–${MAX_ID_TOKEN_LENGTH} characters`, 'INVALID_REQUEST')
      sessionInfo(ctx.request, args.deviceInfo)
      let verified: VerifiedIdToken
      try {
        verified = await verifyIdToken(args.provider, config, args.idToken, app.config.signIn.idTokenMaxAgeSeconds)
      } catch (err) {
        throw refusal(ctx, err, args.provider)
      }
      // No nonce of ours is in the token, so it is made single use here: a token read by someone else on its way
      // (a log, a proxy, a copied request) cannot sign in a second time.
      if (!(await spendIdToken(app.db.prisma, verified.replayKey, verified.refusedAfter)))
        throw authError('ID_TOKEN_REUSED', 'This ID token was already used: get a new one from the provider')
      const linkUserId = await signedInUserId(ctx)
      return signInWithIdentity(ctx, { ...verified.profile, provider: args.provider }, linkUserId, args.deviceInfo)
    },

    async refreshProviderSession(_root, args: { provider: OAuthProviderName; refreshToken: string }, ctx, info) {
      providerConfig(ctx.app, args.provider)
      const refresh = (authResolvers.Mutation as Record<string, (...a: unknown[]) => unknown>).refresh!
      return refresh(_root, { refreshToken: args.refreshToken }, ctx, info)
    },

    async web3Challenge(_root, args: { address: string; network?: string | null }, ctx) {
      const { app } = ctx
      if (!app.config.signIn.web3.enabled) throw notConfigured('web3')
      await signInAttempt(ctx)
      const address = walletAddress(args.address)
      const network = walletNetwork(app, args.network)
      const nonce = newOpaqueToken()
      const ttl = app.config.signIn.challengeTtlSeconds
      const issuedAt = new Date()
      const expiresAt = new Date(issuedAt.getTime() + ttl * 1000)
      const domain = new URL(app.config.mail.publicUrl).host
      const message = challengeMessage({ domain, address, network, nonce, issuedAt, expiresAt })
      const pending: PendingWalletChallenge = { address, network, message, linkUserId: await signedInUserId(ctx) }
      const stored = await storeChallenge(app.db.prisma, 'wallet', nonce, pending, ttl)
      return { nonce, message, expiresAt: Math.floor(stored.getTime() / 1000) }
    },

    async web3SignIn(_root, args: { address: string; network: string; signature: string; nonce: string; deviceInfo?: object | null }, ctx) {
      const { app } = ctx
      if (!app.config.signIn.web3.enabled) throw notConfigured('web3')
      await signInAttempt(ctx)
      const address = walletAddress(args.address)
      const network = walletNetwork(app, args.network)
      const signature = args.signature.length <= MAX_SIGNATURE_LENGTH ? decodeSignature(args.signature.trim()) : null
      if (!signature) throw badInput('signature must be a 64-byte ed25519 signature in base64 (or hex)', 'INVALID_SIGNATURE_FORMAT')
      sessionInfo(ctx.request, args.deviceInfo)
      if (args.nonce.length === 0 || args.nonce.length > MAX_STATE_LENGTH) throw invalidChallenge()
      const pending = await takeChallenge<PendingWalletChallenge>(app.db.prisma, 'wallet', args.nonce)
      if (!pending || pending.address !== address || pending.network !== network) throw invalidChallenge()
      await checkLinkingCaller(ctx, pending.linkUserId)
      if (!verifyWalletSignature(address, pending.message, signature))
        throw authError('INVALID_SIGNATURE', "The signature is not the address's signature of the challenge")
      const identity: Identity = {
        provider: WALLET_PROVIDER,
        subject: address,
        email: null,
        emailVerified: false,
        givenName: null,
        familyName: null,
        picture: null,
      }
      return signInWithIdentity(ctx, identity, pending.linkUserId, args.deviceInfo)
    },
  },
}
