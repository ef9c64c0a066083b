// The passkey ceremony in real Chromium with its virtual authenticator (CDP WebAuthn domain): a page on the
// relying party's origin registers a passkey with the gateway's options, then signs a login in with it as the
// second factor. A replayed assertion, a cloned authenticator (its counter set back) and an assertion made on
// another origin are refused.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t from 'tap'
import { chromium, type BrowserContext, type CDPSession, type Page } from 'playwright-core'
import { buildTestApp } from '../helper.js'
import { CHROMIUM, CHROMIUM_ARGS, chromiumDidNotStart, chromiumMissing, servePage } from './chromium.js'

const PASSWORD = 'Demo-Password-1'

/** What a frontend does with the gateway's options: the browser's own JSON parsing and serialization (WebAuthn L3). */
function create(options: object): Promise<object> {
  const P = PublicKeyCredential as unknown as {
    parseCreationOptionsFromJSON(o: object): PublicKeyCredentialCreationOptions
  }
  return navigator.credentials
    .create({ publicKey: P.parseCreationOptionsFromJSON(options) })
    .then((c) => (c as unknown as { toJSON(): object }).toJSON())
}
function get(options: object): Promise<object> {
  const P = PublicKeyCredential as unknown as {
    parseRequestOptionsFromJSON(o: object): PublicKeyCredentialRequestOptions
  }
  return navigator.credentials
    .get({ publicKey: P.parseRequestOptionsFromJSON(options) })
    .then((c) => (c as unknown as { toJSON(): object }).toJSON())
}

t.test('register a passkey and sign in with it in Chromium; replays, clones and other origins are refused', async (t) => {
  if (chromiumMissing(t)) return
  const rpPage = await servePage(t, 'localhost')
  const otherPage = await servePage(t, 'localhost')
  const h = await buildTestApp(t, { RP_ID: 'localhost', RP_ORIGIN: rpPage, RP_NAME: 'Gateway test' })
  const api = async (method: 'POST' | 'GET', url: string, token: string, payload?: object) =>
    h.call({ method, url, payload, headers: { authorization: `Bearer ${token}` } })

  const profileDir = mkdtempSync(join(tmpdir(), 'gw-chromium-'))
  t.teardown(() => rmSync(profileDir, { recursive: true, force: true }))
  let context: BrowserContext
  try {
    context = await chromium.launchPersistentContext(profileDir, { executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS })
  } catch (err) {
    chromiumDidNotStart(t, err)
    return
  }
  t.teardown(() => context.close())

  /** A page on `origin` with a virtual platform authenticator (user-verifying, resident keys) of its own. */
  async function pageWithAuthenticator(origin: string): Promise<{ page: Page; cdp: CDPSession; authenticatorId: string }> {
    const page = await context.newPage()
    const cdp = await context.newCDPSession(page)
    await cdp.send('WebAuthn.enable')
    const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
      options: { protocol: 'ctap2', transport: 'internal', hasResidentKey: true, hasUserVerification: true, isUserVerified: true },
    })
    await page.goto(origin)
    return { page, cdp, authenticatorId }
  }

  const { page, cdp, authenticatorId } = await pageWithAuthenticator(rpPage)

  // Registration: options from the gateway, the authenticator makes the key, the gateway stores the passkey.
  const token = await h.tokenFor('user@demo.test')
  const options = (await api('POST', '/mfa/passkey/registration-options', token)).body.data
  t.equal(options.rp.id, 'localhost')
  const registration = await page.evaluate(create, options)
  const done = await api('POST', '/mfa/passkey/complete-registration', token, {
    credential: registration,
    challenge: options.challenge,
    name: 'Chromium',
  })
  t.same(done.body, { success: true, message: 'Passkey registered successfully' })
  const { credentials } = await cdp.send('WebAuthn.getCredentials', { authenticatorId })
  t.equal(credentials.length, 1, 'the authenticator holds the key')
  t.equal(credentials[0]!.rpId, 'localhost')
  const status = await api('GET', '/mfa/status', token)
  t.same(status.body.data.enabledMethods, ['PASSKEY'])

  // Login: the password gives a limited token; the passkey finishes the login.
  const pendingLogin = async () => {
    const login = await h.call({ method: 'POST', url: '/user/login', payload: { email: 'user@demo.test', password: PASSWORD } })
    t.equal(login.body.mfaRequired, true)
    const pending = login.body.accessToken as string
    const authOptions = (await api('POST', '/mfa/passkey/auth-options', pending)).body.data
    return { pending, authOptions }
  }
  const first = await pendingLogin()
  const assertion = await page.evaluate(get, first.authOptions)
  const verified = await api('POST', '/mfa/verify-login', first.pending, { mfaType: 'PASSKEY', credential: assertion })
  t.equal(verified.status, 200)
  t.match(verified.body, { success: true, fullAccessToken: String, refreshToken: String })
  const profile = await api('GET', '/user/profile', verified.body.fullAccessToken)
  t.equal(profile.body.data.email, 'user@demo.test', 'the full token works')
  const stored = await h.db.prisma.passkeyCredential.findFirstOrThrow({ where: { userId: await h.userId('user@demo.test') } })
  t.ok(stored.counter > 0n, 'the authenticator counts its signatures and the gateway keeps the count')

  // The same assertion again: refused.
  const replay = await api('POST', '/mfa/verify-login', first.pending, { mfaType: 'PASSKEY', credential: assertion })
  t.equal(replay.status, 400)
  t.equal(replay.body.error_code, 'INVALID_PASSKEY', 'a replayed assertion is refused')

  // A clone of the authenticator (the same key, its counter back at 0) is refused: its count is not above the stored one.
  const original = (await cdp.send('WebAuthn.getCredentials', { authenticatorId })).credentials[0]!
  await cdp.send('WebAuthn.removeCredential', { authenticatorId, credentialId: original.credentialId })
  await cdp.send('WebAuthn.addCredential', { authenticatorId, credential: { ...original, signCount: 0 } })
  const second = await pendingLogin()
  const cloned = await api('POST', '/mfa/verify-login', second.pending, {
    mfaType: 'PASSKEY',
    credential: await page.evaluate(get, second.authOptions),
  })
  t.equal(cloned.body.error_code, 'INVALID_PASSKEY', 'a cloned authenticator is refused')
  await cdp.send('WebAuthn.removeCredential', { authenticatorId, credentialId: original.credentialId })
  await cdp.send('WebAuthn.addCredential', { authenticatorId, credential: { ...original, signCount: original.signCount + 10 } })

  // The same key used on a page of another origin (same RP ID, another port): the gateway refuses the assertion.
  const other = await pageWithAuthenticator(otherPage)
  await other.cdp.send('WebAuthn.addCredential', {
    authenticatorId: other.authenticatorId,
    credential: { ...original, signCount: original.signCount + 20 },
  })
  const third = await pendingLogin()
  const foreign = await other.page.evaluate(get, third.authOptions)
  t.match(JSON.parse(Buffer.from((foreign as { response: { clientDataJSON: string } }).response.clientDataJSON, 'base64url').toString()), {
    origin: otherPage,
  })
  const wrongOrigin = await api('POST', '/mfa/verify-login', third.pending, { mfaType: 'PASSKEY', credential: foreign })
  t.equal(wrongOrigin.body.error_code, 'INVALID_PASSKEY', 'an assertion made on another origin is refused')

  // The genuine authenticator still signs in.
  const fourth = await pendingLogin()
  const again = await api('POST', '/mfa/verify-login', fourth.pending, {
    mfaType: 'PASSKEY',
    credential: await page.evaluate(get, fourth.authOptions),
  })
  t.equal(again.status, 200, 'the genuine authenticator still works')
})
