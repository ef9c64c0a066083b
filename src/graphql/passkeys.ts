// Passkeys as a second factor: registration (options, then the credential), the login's options and assertion, removal.
import type { Resolvers } from './schemaTypes.js'
import {
  acceptPasskeyCounter,
  addPasskey,
  countPasskeys,
  findMfaContact,
  findPasskey,
  listPasskeys,
  MAX_PASSKEYS_PER_USER,
  removePasskey,
} from '../db/repositories/passkeys.js'
import { spendChallenge, storeChallenge } from '../db/repositories/mfaChallenges.js'
import { inTransaction, isUniqueViolation } from '../db/repositories/transaction.js'
import { isUuid } from '../domain/fields.js'
import {
  assertionParts,
  authenticationOptions,
  checkAuthentication,
  checkRegistration,
  PASSKEY_CHALLENGE_TTL_SECONDS,
  PasskeyRefusal,
  registrationChallenge,
  registrationOptions,
} from '../mfa/webauthn.js'
import { countAttempt } from './attempts.js'
import type { GatewayContext } from './context.js'
import { badInput, GatewayError, unauthenticated } from './errors.js'
import { codeAttemptKey, mfaSubject, type MfaSubject } from './mfaSubject.js'
import { requireRecentAuthentication } from './recentAuth.js'

const invalidPasskey = () => badInput('The passkey could not be verified', 'INVALID_PASSKEY')
const MAX_NAME_LENGTH = 100

/** A passkey's name as shown in lists: controls removed, spaces collapsed, at most MAX_NAME_LENGTH characters. */
function passkeyName(name: string | null | undefined): string {
  if (name == null) return 'Passkey'
  const flat = name
    .replace(/\p{Cc}+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim()
  if (flat.length === 0 || flat.length > MAX_NAME_LENGTH)
    throw badInput(`name must be 1 to ${MAX_NAME_LENGTH} characters`, 'INVALID_REQUEST')
  return flat
}

/** Logs why (never answered: the client learns only that it failed) and answers INVALID_PASSKEY. */
function refused(ctx: GatewayContext, err: unknown): never {
  if (err instanceof PasskeyRefusal) {
    ctx.request.log.info({ reason: err.message }, 'passkey refused')
    throw invalidPasskey()
  }
  throw err
}

/** enableMfa(PASSKEY): registering a passkey enabled it; this only confirms there is one. */
export async function enablePasskeys(ctx: GatewayContext, subject: MfaSubject, currentPassword: string | null | undefined) {
  await requireRecentAuthentication(ctx, subject, currentPassword)
  if ((await countPasskeys(ctx.app.db.prisma, subject.id)) === 0)
    throw badInput('Register a passkey first (POST /mfa/passkey/registration-options)', 'MFA_NOT_VERIFIED')
  return { success: true, message: 'MFA enabled successfully' }
}

/**
 * The login's passkey assertion: its challenge must be the live one issued for this login (spent now, whatever
 * follows), the passkey the user's, and origin, RP ID, signature and counter must check out. Counted as a code attempt.
 */
export async function verifyPasskeyAssertion(ctx: GatewayContext, userId: string, loginId: string, credential: unknown) {
  const { app } = ctx
  await countAttempt(app, codeAttemptKey(userId), app.config.attemptLimits.mfaCodePerUser)
  try {
    const { credentialId, challenge } = assertionParts(credential)
    if (!(await spendChallenge(app.db.prisma, userId, 'passkey_login', challenge, loginId))) throw new PasskeyRefusal('challenge')
    const passkey = await findPasskey(app.db.prisma, userId, credentialId)
    if (!passkey) throw new PasskeyRefusal('unknown passkey')
    const stored = { ...passkey, counter: Number(passkey.counter) }
    const newCounter = await checkAuthentication(app.config.mfa.relyingParty, credential, stored, challenge)
    if (!(await acceptPasskeyCounter(app.db.prisma, passkey.id, passkey.counter, newCounter))) throw new PasskeyRefusal('counter raced')
  } catch (err) {
    refused(ctx, err)
  }
  await app.attempts.reset(codeAttemptKey(userId))
}

export const passkeyResolvers: Resolvers = {
  Query: {
    async passkeys(_root, _args, ctx) {
      const subject = await mfaSubject(ctx, false)
      const rows = await listPasskeys(ctx.app.db.prisma, subject.id)
      return rows.map((row) => ({
        id: row.id,
        name: row.name,
        transports: row.transports,
        createdAt: row.createdAt,
        lastUsedAt: row.lastUsedAt,
      }))
    },
  },
  Mutation: {
    async passkeyRegistrationOptions(_root, args: { currentPassword?: string | null }, ctx) {
      const { app } = ctx
      const subject = await mfaSubject(ctx, false)
      await requireRecentAuthentication(ctx, subject, args.currentPassword)
      const existing = await listPasskeys(app.db.prisma, subject.id)
      if (existing.length >= MAX_PASSKEYS_PER_USER)
        throw badInput(`At most ${MAX_PASSKEYS_PER_USER} passkeys per account: remove one first`, 'PASSKEY_LIMIT')
      const recipient = await findMfaContact(app.db.prisma, subject.id)
      const displayName = [recipient?.name, recipient?.lastName].filter(Boolean).join(' ') || subject.email
      const options = await registrationOptions(
        app.config.mfa.relyingParty,
        { id: subject.id, email: subject.email, name: displayName },
        existing,
      )
      await inTransaction(app.db.prisma, (tx) =>
        storeChallenge(tx, subject.id, 'passkey_registration', options.challenge, PASSKEY_CHALLENGE_TTL_SECONDS, null),
      )
      return options as unknown as Record<string, unknown>
    },

    async completePasskeyRegistration(_root, args: { credential: unknown; challenge?: string | null; name?: string | null }, ctx) {
      const { app } = ctx
      const subject = await mfaSubject(ctx, false)
      const name = passkeyName(args.name)
      let passkey
      try {
        const challenge = registrationChallenge(args.credential)
        // The client also sends the challenge it was given: it must be the one the authenticator signed.
        if (args.challenge != null && args.challenge !== challenge) throw new PasskeyRefusal('challenge differs')
        if (!(await spendChallenge(app.db.prisma, subject.id, 'passkey_registration', challenge, null)))
          throw new PasskeyRefusal('challenge')
        passkey = await checkRegistration(app.config.mfa.relyingParty, args.credential, challenge)
      } catch (err) {
        refused(ctx, err)
      }
      try {
        await inTransaction(app.db.prisma, async (tx) => {
          if ((await countPasskeys(tx, subject.id)) >= MAX_PASSKEYS_PER_USER)
            throw badInput(`At most ${MAX_PASSKEYS_PER_USER} passkeys per account: remove one first`, 'PASSKEY_LIMIT')
          await addPasskey(tx, subject.id, { ...passkey, name })
        })
      } catch (err) {
        if (isUniqueViolation(err)) throw badInput('This passkey is already registered', 'PASSKEY_ALREADY_REGISTERED')
        throw err
      }
      return { success: true, message: 'Passkey registered successfully' }
    },

    async passkeyAuthOptions(_root, _args, ctx) {
      const { app, request } = ctx
      if (request.auth.status !== 'mfaPending') throw unauthenticated()
      const { loginId } = request.auth
      const subject = await mfaSubject(ctx, true)
      const passkeys = await listPasskeys(app.db.prisma, subject.id)
      if (passkeys.length === 0) throw badInput('No passkey is registered for this account', 'MFA_NOT_ENABLED')
      const options = await authenticationOptions(app.config.mfa.relyingParty, passkeys)
      await inTransaction(app.db.prisma, (tx) =>
        storeChallenge(tx, subject.id, 'passkey_login', options.challenge, PASSKEY_CHALLENGE_TTL_SECONDS, loginId),
      )
      return options as unknown as Record<string, unknown>
    },

    async removePasskey(_root, args: { id: string; currentPassword?: string | null }, ctx) {
      const subject = await mfaSubject(ctx, false)
      await requireRecentAuthentication(ctx, subject, args.currentPassword)
      const removed = isUuid(args.id) && (await inTransaction(ctx.app.db.prisma, (tx) => removePasskey(tx, subject.id, args.id)))
      if (!removed) throw new GatewayError('NOT_FOUND', 'Passkey not found')
      return { success: true, message: 'Passkey removed successfully' }
    },
  },
}
