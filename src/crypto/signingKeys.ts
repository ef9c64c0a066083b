// Asymmetric access-token keys (EdDSA with Ed25519, ES256 with P-256): read from PEM, named by their
// RFC 7638 thumbprint (the `kid`), published as a JWK set so other services verify without a secret.
import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto'
import { sha256 } from './digest.js'

export type AsymmetricAlgorithm = 'EdDSA' | 'ES256'

export interface PublicJwk {
  kty: 'OKP' | 'EC'
  crv: 'Ed25519' | 'P-256'
  x: string
  y?: string
  kid: string
  alg: AsymmetricAlgorithm
  use: 'sig'
}

export interface VerificationKey {
  kid: string
  algorithm: AsymmetricAlgorithm
  publicKeyPem: string
  jwk: PublicJwk
}

export interface SigningKey extends VerificationKey {
  /** Never logged, never published. */
  privateKeyPem: string
}

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----[\s\S]*?-----END \1-----/g

/** PEM as an environment value often carries its line breaks as the two characters `\n`. */
export function unescapePem(value: string): string {
  return value.includes('-----BEGIN') ? value.replace(/\\n/g, '\n') : value
}

function algorithmOf(key: KeyObject): AsymmetricAlgorithm | undefined {
  if (key.asymmetricKeyType === 'ed25519') return 'EdDSA'
  if (key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1') return 'ES256'
  return undefined
}

function verificationKey(publicKey: KeyObject, algorithm: AsymmetricAlgorithm): VerificationKey {
  const raw = publicKey.export({ format: 'jwk' }) as { kty: 'OKP' | 'EC'; crv: 'Ed25519' | 'P-256'; x: string; y?: string }
  // RFC 7638: the required members, in lexicographic order, without white space.
  const members = raw.kty === 'EC' ? { crv: raw.crv, kty: raw.kty, x: raw.x, y: raw.y } : { crv: raw.crv, kty: raw.kty, x: raw.x }
  const kid = sha256(JSON.stringify(members), 'base64url')
  return {
    kid,
    algorithm,
    publicKeyPem: publicKey.export({ format: 'pem', type: 'spki' }).toString(),
    jwk: { ...members, kid, alg: algorithm, use: 'sig' },
  }
}

const UNSUPPORTED = 'an Ed25519 (EdDSA) or P-256 (ES256) key'

/** The signing key of a PEM private key; throws a message fit for a ConfigError (never the key). */
export function readSigningKey(pem: string): SigningKey {
  let privateKey: KeyObject
  try {
    privateKey = createPrivateKey(unescapePem(pem))
  } catch {
    throw new Error(`JWT_PRIVATE_KEY must be a PEM private key: ${UNSUPPORTED} (e.g. openssl genpkey -algorithm ed25519)`)
  }
  const algorithm = algorithmOf(privateKey)
  if (!algorithm) throw new Error(`JWT_PRIVATE_KEY must be ${UNSUPPORTED}`)
  return {
    ...verificationKey(createPublicKey(privateKey), algorithm),
    privateKeyPem: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
  }
}

/** The verification keys of one or more concatenated PEM public keys; throws a ConfigError message. */
export function readVerificationKeys(pems: string): VerificationKey[] {
  const blocks = unescapePem(pems).match(PEM_BLOCK) ?? []
  if (blocks.length === 0) throw new Error('JWT_PUBLIC_KEYS must hold one or more PEM public keys (-----BEGIN PUBLIC KEY-----)')
  return blocks.map((block, index) => {
    if (!block.startsWith('-----BEGIN PUBLIC KEY-----')) throw new Error(`JWT_PUBLIC_KEYS: key ${index + 1} is not a PEM public key`)
    let publicKey: KeyObject
    try {
      publicKey = createPublicKey(block)
    } catch {
      throw new Error(`JWT_PUBLIC_KEYS: key ${index + 1} is not a PEM public key`)
    }
    const algorithm = algorithmOf(publicKey)
    if (!algorithm) throw new Error(`JWT_PUBLIC_KEYS: key ${index + 1} must be ${UNSUPPORTED}`)
    return verificationKey(publicKey, algorithm)
  })
}
