// Asymmetric access tokens: EdDSA or ES256 with a kid, the public JWK set, verification by another process
// that has only the JWKS, and a key rotation that logs nobody out.
import { execFile } from 'node:child_process'
import { generateKeyPairSync, randomBytes } from 'node:crypto'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { promisify } from 'node:util'
import t from 'tap'
import { createSigner } from 'fast-jwt'
import type { FastifyInstance } from 'fastify'
import { buildApp } from '../../src/app.js'
import { ConfigError, loadConfig } from '../../src/config.js'
import { projectPath } from '../../src/paths.js'
import { freshDatabase, testConfig } from '../helper.js'
import { scratchDir } from '../scratch.js'

const run = promisify(execFile)

function keyPair(type: 'ed25519' | 'p256' | 'rsa') {
  const { privateKey, publicKey } =
    type === 'ed25519'
      ? generateKeyPairSync('ed25519')
      : type === 'p256'
        ? generateKeyPairSync('ec', { namedCurve: 'P-256' })
        : generateKeyPairSync('rsa', { modulusLength: 2048 })
  return {
    privatePem: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
    publicPem: publicKey.export({ format: 'pem', type: 'spki' }).toString(),
  }
}

const headerOf = (token: string) => JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString()) as Record<string, unknown>
const secret = randomBytes(32).toString('hex')
const PASSWORD = 'Demo-Password-1'

/** Another process, with jose and the JWKS URL only (no secret, no key), verifies the token. */
const VERIFIER = `
import { createRemoteJWKSet, jwtVerify } from 'jose'
const [url, token, issuer, audience] = process.argv.slice(1)
try {
  const { payload, protectedHeader } = await jwtVerify(token, createRemoteJWKSet(new URL(url)), { issuer, audience })
  console.log(JSON.stringify({ ok: true, sub: payload.sub, sid: payload.sid, alg: protectedHeader.alg, kid: protectedHeader.kid }))
} catch (error) {
  console.log(JSON.stringify({ ok: false, code: error.code }))
}`

async function verifyElsewhere(app: FastifyInstance, token: string) {
  const address = app.server.address() as { port: number }
  const { stdout } = await run(
    process.execPath,
    [
      '--input-type=module',
      '-e',
      VERIFIER,
      `http://127.0.0.1:${address.port}/.well-known/jwks.json`,
      token,
      'account-gateway',
      'account-api',
    ],
    { cwd: projectPath(), env: { PATH: process.env.PATH ?? '' } },
  )
  return JSON.parse(stdout) as { ok: boolean; sub?: string; sid?: string; alg?: string; kid?: string; code?: string }
}

async function login(app: FastifyInstance, email = 'owner@demo.test') {
  const res = await app.inject({ method: 'POST', url: '/user/login', payload: { email, password: PASSWORD } })
  if (res.statusCode !== 200) throw new Error(`login: ${res.statusCode} ${res.body}`)
  return res.json() as { accessToken: string; refreshToken: string; tokenId: string }
}

const profileStatus = async (app: FastifyInstance, token: string) =>
  (await app.inject({ method: 'GET', url: '/user/profile', headers: { authorization: `Bearer ${token}` } })).statusCode

t.test('configuration: keys are checked at start, and never echoed', async (t) => {
  const dir = scratchDir('gw-jwks-')
  const base = { NODE_ENV: 'test', JWT_SECRET: secret, DATA_DIR: dir }
  const ed = keyPair('ed25519')
  const withKey = loadConfig({ ...base, JWT_PRIVATE_KEY: ed.privatePem })
  t.equal(withKey.jwt.signingKey?.algorithm, 'EdDSA')
  t.equal(withKey.jwt.verificationKeys.length, 1)
  t.match(withKey.jwt.signingKey?.kid, /^[A-Za-z0-9_-]{43}$/, 'the kid is an RFC 7638 SHA-256 thumbprint')

  const escaped = loadConfig({ ...base, JWT_PRIVATE_KEY: ed.privatePem.replace(/\n/g, '\\n') })
  t.equal(escaped.jwt.signingKey?.kid, withKey.jwt.signingKey?.kid, 'a PEM with \\n escapes, as env files carry it')

  const file = join(dir, 'jwt.pem')
  writeFileSync(file, ed.privatePem)
  t.equal(loadConfig({ ...base, JWT_PRIVATE_KEY_FILE: file }).jwt.signingKey?.kid, withKey.jwt.signingKey?.kid, 'JWT_PRIVATE_KEY_FILE')

  const es = keyPair('p256')
  t.equal(loadConfig({ ...base, JWT_PRIVATE_KEY: es.privatePem }).jwt.signingKey?.algorithm, 'ES256')
  t.equal(loadConfig({ ...base }).jwt.signingKey, undefined, 'HS256 by default')

  const rsa = keyPair('rsa')
  const refusals: Array<[Record<string, string>, RegExp]> = [
    [{ JWT_PRIVATE_KEY: 'not a key' }, /JWT_PRIVATE_KEY must be a PEM private key/],
    [{ JWT_PRIVATE_KEY: rsa.privatePem }, /JWT_PRIVATE_KEY must be an Ed25519 \(EdDSA\) or P-256 \(ES256\) key/],
    [{ JWT_PRIVATE_KEY: ed.privatePem, JWT_PRIVATE_KEY_FILE: file }, /Set JWT_PRIVATE_KEY or JWT_PRIVATE_KEY_FILE, not both/],
    [{ JWT_PRIVATE_KEY_FILE: join(dir, 'missing.pem') }, /JWT_PRIVATE_KEY_FILE names a file that cannot be read/],
    [{ JWT_PUBLIC_KEYS: 'nothing' }, /JWT_PUBLIC_KEYS must hold one or more PEM public keys/],
    [{ JWT_PUBLIC_KEYS: ed.publicPem + es.privatePem }, /JWT_PUBLIC_KEYS: key 2 is not a PEM public key/],
    [{ JWT_PUBLIC_KEYS: rsa.publicPem }, /JWT_PUBLIC_KEYS: key 1 must be an Ed25519/],
  ]
  for (const [env, message] of refusals) {
    const error = t.throws(() => loadConfig({ ...base, ...env })) as unknown as ConfigError
    t.type(error, ConfigError)
    t.match(error.message, message)
    t.notMatch(error.message, /[A-Za-z0-9+/]{32}/, 'no key material in the message')
  }
})

t.test('HS256 (the default): an empty key set, tokens without a kid', async (t) => {
  const db = await freshDatabase(t)
  const app = await buildApp(testConfig({ JWT_SECRET: secret }), { database: db })
  t.teardown(() => app.close())
  const jwks = await app.inject({ method: 'GET', url: '/.well-known/jwks.json' })
  t.equal(jwks.statusCode, 200)
  t.same(jwks.json(), { keys: [] }, 'a shared secret is never published')
  const { accessToken } = await login(app)
  t.same(headerOf(accessToken), { alg: 'HS256', typ: 'JWT' })
})

for (const [type, alg] of [
  ['ed25519', 'EdDSA'],
  ['p256', 'ES256'],
] as const) {
  t.test(`${alg}: a token verified by a separate process with only the JWKS`, async (t) => {
    const db = await freshDatabase(t)
    const keys = keyPair(type)
    const app = await buildApp(testConfig({ JWT_SECRET: secret, JWT_PRIVATE_KEY: keys.privatePem }), { database: db })
    t.teardown(() => app.close())
    await app.listen({ host: '127.0.0.1', port: 0 })

    const jwks = await app.inject({ method: 'GET', url: '/.well-known/jwks.json' })
    t.equal(jwks.statusCode, 200)
    t.match(jwks.headers['content-type'], /^application\/json/)
    t.match(jwks.headers['cache-control'], /^public, max-age=\d+$/)
    const [jwk, ...more] = jwks.json().keys
    t.same(more, [], 'one key')
    t.equal(jwk.alg, alg)
    t.equal(jwk.use, 'sig')
    t.notOk('d' in jwk, 'no private part')
    t.notMatch(jwks.body, /PRIVATE/)

    const session = await login(app)
    t.same(headerOf(session.accessToken), { alg, typ: 'JWT', kid: jwk.kid })
    t.equal(await profileStatus(app, session.accessToken), 200, 'the gateway accepts its own token')
    const elsewhere = await verifyElsewhere(app, session.accessToken)
    t.same(elsewhere, { ok: true, sub: elsewhere.sub, sid: session.tokenId, alg, kid: jwk.kid })
    t.match(elsewhere.sub, /^[0-9a-f-]{36}$/)

    // The other process refuses what the key set does not vouch for.
    const hs = createSigner({ key: secret, algorithm: 'HS256', iss: 'account-gateway', aud: 'account-api' })({ sub: elsewhere.sub })
    t.same(await verifyElsewhere(app, hs), { ok: false, code: 'ERR_JOSE_NOT_SUPPORTED' }, 'an HS256 token')
    const stranger = keyPair(type)
    const forged = createSigner({ key: stranger.privatePem, algorithm: alg, kid: jwk.kid, iss: 'account-gateway', aud: 'account-api' })({
      sub: elsewhere.sub,
      sid: session.tokenId,
    })
    t.same(await verifyElsewhere(app, forged), { ok: false, code: 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED' }, 'another key, our kid')
    t.equal(await profileStatus(app, forged), 401, 'and so does the gateway')
  })
}

t.test('rotation: the previous key verifies until its tokens expire, nobody is logged out', async (t) => {
  const db = await freshDatabase(t)
  const first = keyPair('ed25519')
  const second = keyPair('ed25519')
  const start = async (env: Record<string, string>) => {
    const app = await buildApp(testConfig({ JWT_SECRET: secret, ...env }), { database: db })
    t.teardown(() => app.close())
    return app
  }

  // Before: HS256. Then the first key; then the second, with the first still accepted; then the second only.
  const symmetric = await start({})
  const old = await login(symmetric, 'owner@demo.test')
  const firstApp = await start({ JWT_PRIVATE_KEY: first.privatePem })
  t.equal(await profileStatus(firstApp, old.accessToken), 200, 'an HS256 token survives the switch to a private key')
  const underFirst = await login(firstApp, 'admin@demo.test')
  const firstKid = headerOf(underFirst.accessToken).kid

  const rotated = await start({ JWT_PRIVATE_KEY: second.privatePem, JWT_PUBLIC_KEYS: first.publicPem })
  const underSecond = await login(rotated, 'user@demo.test')
  const secondKid = headerOf(underSecond.accessToken).kid
  t.not(secondKid, firstKid)
  t.same(
    (await rotated.inject({ method: 'GET', url: '/.well-known/jwks.json' })).json().keys.map((k: { kid: string }) => k.kid),
    [secondKid, firstKid],
    'both keys published, the signing one first',
  )
  t.equal(await profileStatus(rotated, underFirst.accessToken), 200, 'a token of the previous key still works')
  t.equal(await profileStatus(rotated, underSecond.accessToken), 200)
  // A refresh under the new key hands out a token of the new key.
  const refreshed = await rotated.inject({ method: 'POST', url: '/user/refresh', payload: { refreshToken: underFirst.refreshToken } })
  t.equal(refreshed.statusCode, 200)
  t.equal(headerOf(refreshed.json().accessToken).kid, secondKid)

  const retired = await start({ JWT_PRIVATE_KEY: second.privatePem })
  t.equal(await profileStatus(retired, underFirst.accessToken), 401, 'once the previous key is removed, its tokens are refused')
  t.equal(await profileStatus(retired, underSecond.accessToken), 200)

  const unknownKid = createSigner({
    key: second.privatePem,
    algorithm: 'EdDSA',
    kid: 'not-a-known-kid',
    iss: 'account-gateway',
    aud: 'account-api',
  })
  const claims = JSON.parse(Buffer.from(underSecond.accessToken.split('.')[1]!, 'base64url').toString()) as Record<string, unknown>
  t.equal(await profileStatus(retired, unknownKid({ sub: claims.sub, sid: claims.sid })), 401, 'a kid we do not know')
})
