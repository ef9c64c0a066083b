// Wallet sign-in (issue 18): POST /auth/web3/challenge, then POST /auth/web3 with the SEP-53 signature of the
// challenge's message by a Stellar key made here. Single-use and expiring challenges, one wallet for one account.
import { createHash } from 'node:crypto'
import t from 'tap'
import { Keypair } from '@stellar/stellar-base'
import { buildTestApp, type Teardown } from '../helper.js'

/** SEP-53, written out here rather than taken from the gateway: SHA-256 of the prefix and the message, signed. */
const sep53 = (keypair: Keypair, message: string) =>
  keypair.sign(createHash('sha256').update(`Stellar Signed Message:\n${message}`, 'utf8').digest()).toString('base64')

async function given(t: Teardown, env: Record<string, string> = {}) {
  const h = await buildTestApp(t, env)
  const post = (url: string, payload: object, token?: string) =>
    h.call({ method: 'POST', url, payload, headers: token ? { authorization: `Bearer ${token}` } : {} })
  const challenge = async (address: string, token?: string, network = 'TESTNET') => {
    const res = await post('/auth/web3/challenge', { address, network }, token)
    if (res.status !== 200) throw new Error(`challenge answered ${res.status}: ${JSON.stringify(res.body)}`)
    return res.body as { nonce: string; message: string; expiresAt: number }
  }
  /** Asks for a challenge, signs it, signs in: what web3Authenticate sends (Web3RegisterBody). */
  const signIn = async (keypair: Keypair, token?: string) => {
    const c = await challenge(keypair.publicKey(), token)
    const body = { address: keypair.publicKey(), network: 'TESTNET', signature: sep53(keypair, c.message), nonce: c.nonce }
    return { body, res: await post('/auth/web3', body, token) }
  }
  return { h, post, challenge, signIn }
}

t.test('a new wallet creates an account; the same wallet signs in again as it', async (t) => {
  const { h, challenge, signIn } = await given(t)
  const wallet = Keypair.random()
  const c = await challenge(wallet.publicKey())
  t.match(c.message, wallet.publicKey())
  t.match(c.message, `Nonce: ${c.nonce}`)
  t.match(c.message, 'Network: TESTNET')
  t.ok(c.expiresAt > Date.now() / 1000, 'expires in the future')

  const { res } = await signIn(wallet)
  t.equal(res.status, 200, JSON.stringify(res.body))
  const email = `${wallet.publicKey().toLowerCase()}@stellar.invalid`
  t.match(res.body, {
    success: true,
    outcome: 'CREATED',
    mfaRequired: false,
    user: { email, name: 'Stellar' },
    authState: { provider: 'WEB3_STELLAR' },
  })
  const profile = await h.call({ method: 'GET', url: '/user/profile', headers: { authorization: `Bearer ${res.body.accessToken}` } })
  t.equal(profile.status, 200)
  t.match(profile.body.data, { email, validated: false, orgRoleDescription: 'OWNER' }, 'an undeliverable stand-in address, not validated')
  const userId = res.body.user.id
  t.match(await h.db.prisma.userIdentity.findFirstOrThrow({ where: { userId } }), { provider: 'WEB3_STELLAR', subject: wallet.publicKey() })
  t.equal((await h.db.prisma.session.findUniqueOrThrow({ where: { id: res.body.tokenId } })).loginMethod, 'WEB3_STELLAR')
  const actions = (await h.db.prisma.auditEvent.findMany({ where: { targetId: userId } })).map((e) => e.action).sort()
  t.same(actions, ['user.created', 'user.signed_in'])

  const again = await signIn(wallet)
  t.match(again.res.body, { outcome: 'SIGNED_IN', user: { id: userId } })
})

t.test('a challenge works once, and not after it expired', async (t) => {
  const { h, post, challenge, signIn } = await given(t)
  const wallet = Keypair.random()
  const { body, res } = await signIn(wallet)
  t.equal(res.status, 200)
  const replay = await post('/auth/web3', body)
  t.equal(replay.status, 400)
  t.same(replay.body, {
    success: false,
    error_code: 'INVALID_CHALLENGE',
    message: 'Unknown, spent or expired challenge: ask for a new one',
  })

  const c = await challenge(wallet.publicKey())
  // Its expiry passes (moved back in the store: no waiting on the wall clock).
  const moved = await h.db.prisma.signInChallenge.updateMany({ data: { expiresAt: new Date(Date.now() - 1000) } })
  t.ok(moved.count >= 1)
  const expired = await post('/auth/web3', {
    address: wallet.publicKey(),
    network: 'TESTNET',
    signature: sep53(wallet, c.message),
    nonce: c.nonce,
  })
  t.equal(expired.status, 400)
  t.equal(expired.body.error_code, 'INVALID_CHALLENGE')
})

t.test('a signature by another key, of another text, or for another address is refused; the challenge is spent', async (t) => {
  const { h, post, challenge } = await given(t)
  const wallet = Keypair.random()
  const thief = Keypair.random()
  const c1 = await challenge(wallet.publicKey())
  const forged = await post('/auth/web3', {
    address: wallet.publicKey(),
    network: 'TESTNET',
    signature: sep53(thief, c1.message),
    nonce: c1.nonce,
  })
  t.equal(forged.status, 401)
  t.same(forged.body, {
    success: false,
    error_code: 'INVALID_SIGNATURE',
    message: "The signature is not the address's signature of the challenge",
  })
  const retry = await post('/auth/web3', {
    address: wallet.publicKey(),
    network: 'TESTNET',
    signature: sep53(wallet, c1.message),
    nonce: c1.nonce,
  })
  t.equal(retry.body.error_code, 'INVALID_CHALLENGE', 'spent by the failed attempt')

  const c2 = await challenge(wallet.publicKey())
  const raw = wallet.sign(Buffer.from(c2.message, 'utf8')).toString('base64') // the message itself, without SEP-53
  const notSep53 = await post('/auth/web3', { address: wallet.publicKey(), network: 'TESTNET', signature: raw, nonce: c2.nonce })
  t.equal(notSep53.status, 401)

  const c3 = await challenge(wallet.publicKey())
  const otherAddress = await post('/auth/web3', {
    address: thief.publicKey(),
    network: 'TESTNET',
    signature: sep53(thief, c3.message),
    nonce: c3.nonce,
  })
  t.equal(otherAddress.status, 400, "another address's use of the challenge")
  t.equal(otherAddress.body.error_code, 'INVALID_CHALLENGE')

  const c4 = await challenge(wallet.publicKey())
  const hex = wallet.sign(createHash('sha256').update(`Stellar Signed Message:\n${c4.message}`).digest()).toString('hex')
  const hexSigned = await post('/auth/web3', { address: wallet.publicKey(), network: 'TESTNET', signature: hex, nonce: c4.nonce })
  t.equal(hexSigned.status, 200, 'a hex signature is accepted too')
  t.equal(await h.db.prisma.user.count({ where: { email: { endsWith: '@stellar.invalid' } } }), 1)
})

t.test('linking: a challenge asked for with a token links the wallet to that caller only; one wallet, one account', async (t) => {
  const { h, post, challenge, signIn } = await given(t)
  const wallet = Keypair.random()
  const lonerToken = await h.tokenFor('loner@demo.test')
  const c = await challenge(wallet.publicKey(), lonerToken)
  const anonymous = await post('/auth/web3', {
    address: wallet.publicKey(),
    network: 'TESTNET',
    signature: sep53(wallet, c.message),
    nonce: c.nonce,
  })
  t.equal(anonymous.status, 403)
  t.equal(anonymous.body.error_code, 'LINK_USER_MISMATCH')

  const linked = await signIn(wallet, lonerToken)
  t.equal(linked.res.status, 200)
  t.match(linked.res.body, { outcome: 'LINKED', user: { email: 'loner@demo.test' } })
  const lonerId = await h.userId('loner@demo.test')
  t.equal((await h.db.prisma.auditEvent.findMany({ where: { targetId: lonerId, action: 'user.identity_linked' } })).length, 1)
  t.match((await signIn(wallet)).res.body, { outcome: 'SIGNED_IN', user: { id: lonerId } })

  const ownerToken = await h.tokenFor('owner@demo.test')
  const taken = await signIn(wallet, ownerToken)
  t.equal(taken.res.status, 403)
  t.equal(taken.res.body.error_code, 'IDENTITY_IN_USE')
})

t.test('bad input is a 400 with a clear message; off with AUTH_WEB3=false; rate-limited per address', async (t) => {
  const { post } = await given(t, { AUTH_WEB3_NETWORKS: 'TESTNET', RATE_LIMIT_SIGN_IN_PER_ADDRESS: '4' })
  const wallet = Keypair.random().publicKey()
  const cases: [object, string, string][] = [
    [{ address: 'GNOTANADDRESS' }, 'INVALID_ADDRESS', 'address must be a Stellar account address (G…, 56 characters)'],
    [{ address: Keypair.random().secret() }, 'INVALID_ADDRESS', 'address must be a Stellar account address (G…, 56 characters)'],
    [{ address: wallet, network: 'PUBLIC' }, 'INVALID_NETWORK', 'network must be one of TESTNET'],
    [{ address: wallet, extra: 1 }, 'INVALID_REQUEST', 'Unknown field: extra'],
    [{}, 'INVALID_REQUEST', 'Missing required field: address'],
  ]
  for (const [payload, code, message] of cases) {
    const res = await post('/auth/web3/challenge', payload)
    t.equal(res.status, 400, message)
    t.same(res.body, { success: false, error_code: code, message }, message)
  }
  const badSignature = await post('/auth/web3', { address: wallet, network: 'TESTNET', signature: 'not-a-signature', nonce: 'n' })
  t.same(badSignature.body, {
    success: false,
    error_code: 'INVALID_SIGNATURE_FORMAT',
    message: 'signature must be a 64-byte ed25519 signature in base64 (or hex)',
  })
  const limited = await post('/auth/web3/challenge', { address: wallet })
  t.equal(limited.status, 429, 'the fifth counted request from one address (schema refusals are not counted)')
  t.equal(limited.body.error_code, 'TOO_MANY_ATTEMPTS')

  const off = await given(t, { AUTH_WEB3: 'false' })
  const res = await off.post('/auth/web3/challenge', { address: wallet })
  t.equal(res.status, 404)
  t.same(res.body, { success: false, error_code: 'PROVIDER_NOT_CONFIGURED', message: 'Sign-in with web3 is not configured on this server' })
})
