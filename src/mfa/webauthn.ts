// Passkeys (WebAuthn) with @simplewebauthn/server: the options a browser needs, and the checks of what it answers.
import type * as SimpleWebAuthn from '@simplewebauthn/server'
import type { AuthenticationResponseJSON, RegistrationResponseJSON } from '@simplewebauthn/server'
import { lazyPackage } from '../lazyPackage.js'
import type { RelyingParty } from '../config.js'
import { MAX_PASSKEY_TRANSPORTS } from '../domain/listBounds.js'

const webauthn = lazyPackage<typeof SimpleWebAuthn>('@simplewebauthn/server')

/** A ceremony's challenge works once, for this long (the options' timeout too). */
export const PASSKEY_CHALLENGE_TTL_SECONDS = 300

export interface StoredPasskey {
  credentialId: string
  publicKey: Uint8Array
  counter: number
  transports: string[]
}

/** Why a credential was refused: logged, never answered (the answer is one message). */
export class PasskeyRefusal extends Error {}

const base64url = /^[A-Za-z0-9_-]{1,4096}$/
const isText = (value: unknown, max = 65536): value is string => typeof value === 'string' && value.length > 0 && value.length <= max

/** The shape every credential JSON has (id, rawId, type, response with its base64url parts); a refusal otherwise. */
function checkShape(credential: unknown, parts: string[]): asserts credential is { id: string; response: Record<string, string> } {
  const c = credential as { id?: unknown; rawId?: unknown; type?: unknown; response?: Record<string, unknown> } | null
  if (!c || typeof c !== 'object') throw new PasskeyRefusal('not an object')
  if (!isText(c.id, 4096) || !base64url.test(c.id) || c.rawId !== c.id) throw new PasskeyRefusal('id and rawId')
  if (c.type !== 'public-key') throw new PasskeyRefusal('type')
  if (!c.response || typeof c.response !== 'object') throw new PasskeyRefusal('response')
  for (const part of parts) if (!isText(c.response[part])) throw new PasskeyRefusal(`response.${part}`)
}

/** The challenge a credential's clientDataJSON carries, or null. */
export function challengeOf(credential: { response: Record<string, string> }): string | null {
  try {
    const clientData = JSON.parse(Buffer.from(credential.response.clientDataJSON!, 'base64url').toString('utf8')) as { challenge?: unknown }
    return isText(clientData.challenge, 512) ? clientData.challenge : null
  } catch {
    return null
  }
}

export function registrationOptions(
  rp: RelyingParty,
  user: { id: string; email: string; name: string },
  existing: Pick<StoredPasskey, 'credentialId' | 'transports'>[],
) {
  return webauthn().generateRegistrationOptions({
    rpName: rp.name,
    rpID: rp.id,
    userID: Buffer.from(user.id.replace(/-/g, ''), 'hex'),
    userName: user.email,
    userDisplayName: user.name,
    timeout: PASSKEY_CHALLENGE_TTL_SECONDS * 1000,
    attestationType: 'none',
    // One authenticator is registered once.
    excludeCredentials: existing.map((p) => ({ id: p.credentialId, transports: p.transports })),
    authenticatorSelection: { residentKey: 'preferred', userVerification: 'preferred' },
  })
}

/** The challenge of a registration credential (its shape checked), to be spent before the check; PasskeyRefusal otherwise. */
export function registrationChallenge(credential: unknown): string {
  checkShape(credential, ['clientDataJSON', 'attestationObject'])
  const challenge = challengeOf(credential)
  if (!challenge) throw new PasskeyRefusal('clientDataJSON')
  return challenge
}

/**
 * The new passkey in a registration credential whose challenge (already spent) is `challenge`, once the origin,
 * RP ID and attestation checked out; PasskeyRefusal otherwise.
 */
export async function checkRegistration(rp: RelyingParty, credential: unknown, challenge: string): Promise<StoredPasskey> {
  checkShape(credential, ['clientDataJSON', 'attestationObject'])
  let result
  try {
    result = await webauthn().verifyRegistrationResponse({
      response: credential as unknown as RegistrationResponseJSON,
      expectedChallenge: challenge,
      expectedOrigin: rp.origins,
      expectedRPID: rp.id,
      requireUserVerification: false,
    })
  } catch (err) {
    throw new PasskeyRefusal((err as Error).message)
  }
  if (!result.verified) throw new PasskeyRefusal('not verified')
  const { id, publicKey, counter, transports } = result.registrationInfo.credential
  return {
    credentialId: id,
    publicKey,
    counter,
    transports: (transports ?? []).filter((t) => /^[a-z-]{1,16}$/.test(t)).slice(0, MAX_PASSKEY_TRANSPORTS),
  }
}

export function authenticationOptions(rp: RelyingParty, passkeys: Pick<StoredPasskey, 'credentialId' | 'transports'>[]) {
  return webauthn().generateAuthenticationOptions({
    rpID: rp.id,
    allowCredentials: passkeys.map((p) => ({ id: p.credentialId, transports: p.transports })),
    userVerification: 'preferred',
    timeout: PASSKEY_CHALLENGE_TTL_SECONDS * 1000,
  })
}

/** The passkey an assertion names and its challenge (its shape checked), to be spent before the check; PasskeyRefusal otherwise. */
export function assertionParts(credential: unknown): { credentialId: string; challenge: string } {
  checkShape(credential, ['clientDataJSON', 'authenticatorData', 'signature'])
  const challenge = challengeOf(credential)
  if (!challenge) throw new PasskeyRefusal('clientDataJSON')
  return { credentialId: credential.id, challenge }
}

/**
 * The assertion's new signature count, once its challenge (already spent) is `challenge` and the origin, RP ID,
 * signature and counter (higher than the stored one, unless both are 0) checked out; PasskeyRefusal otherwise.
 */
export async function checkAuthentication(
  rp: RelyingParty,
  credential: unknown,
  passkey: StoredPasskey,
  challenge: string,
): Promise<number> {
  checkShape(credential, ['clientDataJSON', 'authenticatorData', 'signature'])
  let result
  try {
    result = await webauthn().verifyAuthenticationResponse({
      response: credential as unknown as AuthenticationResponseJSON,
      expectedChallenge: challenge,
      expectedOrigin: rp.origins,
      expectedRPID: rp.id,
      credential: {
        id: passkey.credentialId,
        publicKey: new Uint8Array(passkey.publicKey),
        counter: passkey.counter,
        transports: passkey.transports,
      },
      requireUserVerification: false,
    })
  } catch (err) {
    throw new PasskeyRefusal((err as Error).message)
  }
  if (!result.verified) throw new PasskeyRefusal('not verified')
  return result.authenticationInfo.newCounter
}
