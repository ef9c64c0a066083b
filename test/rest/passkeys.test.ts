// Passkeys as a second factor without a browser (a software authenticator): registration, login, and every refusal.
// The browser ceremony with Chromium's virtual authenticator is test/browser/passkeys.test.ts.
import t from 'tap'
import { buildTestApp, type Teardown } from '../helper.js'
import { SoftAuthenticator } from '../mfa/softAuthenticator.js'

const PASSWORD = 'Demo-Password-1'
const bearer = (token: string) => ({ authorization: `Bearer ${token}` })

async function given(where: Teardown) {
  const h = await buildTestApp(where)
  const rp = h.config.mfa.relyingParty
  const origin = rp.origins[0]!
  const call = (method: 'GET' | 'POST' | 'DELETE', url: string, token: string | undefined, payload?: object) =>
    h.call({ method, url, payload, headers: token ? bearer(token) : {} })
  const login = async (email: string) => (await h.call({ method: 'POST', url: '/user/login', payload: { email, password: PASSWORD } })).body
  /** Registers a new software passkey for `email` (with a fresh full session); answers it and that session's token. */
  async function register(email: string, name?: string) {
    const token = await h.tokenFor(email)
    const authenticator = new SoftAuthenticator()
    const options = await call('POST', '/mfa/passkey/registration-options', token)
    t.equal(options.status, 200, 'registration options')
    const credential = authenticator.register({ challenge: options.body.data.challenge, origin, rpId: rp.id })
    const done = await call('POST', '/mfa/passkey/complete-registration', token, {
      credential,
      challenge: options.body.data.challenge,
      name,
    })
    t.same(done.body, { success: true, message: 'Passkey registered successfully' })
    return { authenticator, token }
  }
  /** A password login's limited token and the auth options for it. */
  async function pendingLogin(email: string) {
    const pending = (await login(email)).accessToken as string
    const options = await call('POST', '/mfa/passkey/auth-options', pending)
    return { pending, options: options.body.data }
  }
  const verify = (pending: string, credential: object) => call('POST', '/mfa/verify-login', pending, { mfaType: 'PASSKEY', credential })
  return { h, rp, origin, call, login, register, pendingLogin, verify }
}

t.test('register a passkey: options, the credential, then status, methods, the list and the profile show it', async (t) => {
  const { h, rp, call, register } = await given(t)
  const token = await h.tokenFor('user@demo.test')
  const options = await call('POST', '/mfa/passkey/registration-options', token)
  t.equal(options.status, 200)
  t.match(options.body.data, {
    rp: { id: rp.id, name: 'Account Gateway' },
    user: { name: 'user@demo.test', displayName: 'Uma User' },
    attestation: 'none',
  })
  t.match(options.body.data.challenge, /^[A-Za-z0-9_-]{20,}$/)
  const { authenticator } = await register('user@demo.test', 'My laptop')
  const status = await call('GET', '/mfa/status', token)
  t.match(status.body.data, { isEnabled: true, isRequired: true, enabledMethods: ['PASSKEY'], primaryMethod: 'PASSKEY' })
  const methods = await call('GET', '/mfa/methods', token)
  t.ok(methods.body.data.includes('PASSKEY'))
  const list = await call('GET', '/mfa/passkeys', token)
  t.equal(list.body.data.length, 1)
  t.match(list.body.data[0], { name: 'My laptop', transports: ['internal'], lastUsedAt: null })
  t.equal((await call('GET', '/user/profile', token)).body.data.mfaRequired, true)
  const stored = await h.db.prisma.passkeyCredential.findFirstOrThrow({ where: { credentialId: authenticator.credentialId } })
  t.equal(stored.counter, 0n)
  // The next options exclude the registered passkey: one authenticator is registered once.
  const again = await call('POST', '/mfa/passkey/registration-options', token)
  t.same(
    again.body.data.excludeCredentials.map((c: { id: string }) => c.id),
    [authenticator.credentialId],
  )
  // GraphQL sees the same.
  const gql = await h.graphql('{ passkeys { name transports } mfaStatus { enabledMethods } }', {}, 'user@demo.test')
  t.same(gql.body.data, { passkeys: [{ name: 'My laptop', transports: ['internal'] }], mfaStatus: { enabledMethods: ['PASSKEY'] } })
})

t.test('registration refusals: replayed or foreign challenge, another origin or RP ID, junk', async (t) => {
  const { h, rp, origin, call } = await given(t)
  const token = await h.tokenFor('user@demo.test')
  const other = await h.tokenFor('admin@demo.test')
  const options = async (as: string) => (await call('POST', '/mfa/passkey/registration-options', as)).body.data.challenge as string
  const complete = (as: string, credential: object) => call('POST', '/mfa/passkey/complete-registration', as, { credential })
  const refused = { success: false, error_code: 'INVALID_PASSKEY', message: 'The passkey could not be verified' }

  const wrongOrigin = await complete(
    token,
    new SoftAuthenticator().register({ challenge: await options(token), origin: 'https://evil.test', rpId: rp.id }),
  )
  t.equal(wrongOrigin.status, 400)
  t.same(wrongOrigin.body, refused)
  const wrongRp = await complete(token, new SoftAuthenticator().register({ challenge: await options(token), origin, rpId: 'evil.test' }))
  t.same(wrongRp.body, refused, 'another RP ID')
  const foreign = await complete(token, new SoftAuthenticator().register({ challenge: await options(other), origin, rpId: rp.id }))
  t.same(foreign.body, refused, "another user's challenge")
  const unknown = await complete(token, new SoftAuthenticator().register({ challenge: 'bm90LWlzc3VlZA', origin, rpId: rp.id }))
  t.same(unknown.body, refused, 'a challenge never issued')

  const challenge = await options(token)
  const good = new SoftAuthenticator().register({ challenge, origin, rpId: rp.id })
  t.equal((await complete(token, good)).status, 200)
  t.same((await complete(token, good)).body, refused, 'the same registration again: its challenge is spent')
  const older = await options(token)
  await options(token)
  t.same(
    (await complete(token, new SoftAuthenticator().register({ challenge: older, origin, rpId: rp.id }))).body,
    refused,
    'only the newest options count',
  )

  for (const junk of [
    {},
    { id: 'x', rawId: 'y', type: 'public-key', response: {} },
    { id: 'a', rawId: 'a', type: 'public-key', response: { clientDataJSON: '!!', attestationObject: 'AA' } },
  ]) {
    const res = await complete(token, junk)
    t.equal(res.status, 400, JSON.stringify(junk))
    t.equal(res.body.error_code, 'INVALID_PASSKEY')
  }
  const missing = await call('POST', '/mfa/passkey/complete-registration', token, {})
  t.equal(missing.status, 400)
  const longName = await call('POST', '/mfa/passkey/complete-registration', token, { credential: good, name: 'x'.repeat(101) })
  t.equal(longName.status, 400)
  t.equal(await h.db.prisma.passkeyCredential.count(), 1)
  t.equal((await call('POST', '/mfa/passkey/registration-options', undefined)).status, 401)
})

t.test('login with a passkey as the second factor; the assertion works once, for this login, origin and RP ID', async (t) => {
  const { h, rp, origin, call, login, register, pendingLogin, verify } = await given(t)
  const { authenticator } = await register('user@demo.test')
  const first = await login('user@demo.test')
  t.match(first, { success: true, mfaRequired: true })
  t.notOk(first.refreshToken, 'no session before the second factor')
  const denied = await call('GET', '/user/profile', first.accessToken)
  t.equal(denied.status, 401, 'the limited token opens nothing else')

  const { pending, options } = await pendingLogin('user@demo.test')
  t.match(options, { rpId: rp.id, userVerification: 'preferred' })
  t.same(
    options.allowCredentials.map((c: { id: string }) => c.id),
    [authenticator.credentialId],
  )
  const assertion = authenticator.assert({ challenge: options.challenge, origin, rpId: rp.id })
  const ok = await verify(pending, assertion)
  t.equal(ok.status, 200)
  t.match(ok.body, {
    success: true,
    message: 'MFA verification successful',
    fullAccessToken: String,
    refreshToken: String,
    tokenId: String,
  })
  t.equal((await call('GET', '/user/profile', ok.body.fullAccessToken)).status, 200)
  const stored = await h.db.prisma.passkeyCredential.findFirstOrThrow({ where: { credentialId: authenticator.credentialId } })
  t.equal(stored.counter, 1n)
  t.ok(stored.lastUsedAt)

  const replay = await verify(pending, assertion)
  t.equal(replay.status, 400)
  t.equal(replay.body.error_code, 'INVALID_PASSKEY', 'a replayed assertion: its challenge is spent')

  const next = await pendingLogin('user@demo.test')
  const wrongOrigin = await verify(
    next.pending,
    authenticator.assert({ challenge: next.options.challenge, origin: 'https://evil.test', rpId: rp.id }),
  )
  t.equal(wrongOrigin.body.error_code, 'INVALID_PASSKEY', 'another origin')
  const next2 = await pendingLogin('user@demo.test')
  const wrongRp = await verify(next2.pending, authenticator.assert({ challenge: next2.options.challenge, origin, rpId: 'evil.test' }))
  t.equal(wrongRp.body.error_code, 'INVALID_PASSKEY', 'another RP ID')
  const next3 = await pendingLogin('user@demo.test')
  const cloned = await verify(next3.pending, authenticator.assert({ challenge: next3.options.challenge, origin, rpId: rp.id }, 1))
  t.equal(cloned.body.error_code, 'INVALID_PASSKEY', 'a counter not above the stored one (a cloned key)')

  const noCredential = await call('POST', '/mfa/verify-login', next3.pending, { mfaType: 'PASSKEY' })
  t.equal(noCredential.status, 400)
  t.equal(noCredential.body.error_code, 'INVALID_REQUEST')
  const full = await h.tokenFor('user@demo.test')
  t.equal((await call('POST', '/mfa/passkey/auth-options', full)).status, 401, 'auth options only for a login awaiting its second factor')
})

t.test("another login's challenge or another user's passkey does not sign in", async (t) => {
  const { rp, origin, login, register, pendingLogin, verify } = await given(t)
  const { authenticator } = await register('user@demo.test')
  // The options of one login do not serve another login of the same user.
  const a = await pendingLogin('user@demo.test')
  const b = (await login('user@demo.test')).accessToken
  const crossed = await verify(b, authenticator.assert({ challenge: a.options.challenge, origin, rpId: rp.id }))
  t.equal(crossed.body.error_code, 'INVALID_PASSKEY', "another login's challenge")
  // Another user's passkey, on its own challenge, does not sign this user in.
  const { authenticator: admins } = await register('admin@demo.test')
  const c = await pendingLogin('user@demo.test')
  const foreign = await verify(c.pending, admins.assert({ challenge: c.options.challenge, origin, rpId: rp.id }))
  t.equal(foreign.body.error_code, 'INVALID_PASSKEY', "another user's passkey")

  // Still works with the right one.
  const d = await pendingLogin('user@demo.test')
  t.equal((await verify(d.pending, authenticator.assert({ challenge: d.options.challenge, origin, rpId: rp.id }))).status, 200)
})

t.test('wrong assertions count as code attempts: 429 after the limit', async (t) => {
  const { origin, rp, register, pendingLogin, verify } = await given(t)
  const { authenticator } = await register('user@demo.test')
  const statuses: number[] = []
  for (let i = 0; i < 6; i++) {
    const { pending, options } = await pendingLogin('user@demo.test')
    statuses.push(
      (await verify(pending, authenticator.assert({ challenge: options.challenge, origin: 'https://evil.test', rpId: rp.id }))).status,
    )
  }
  t.same(statuses, [400, 400, 400, 400, 400, 429])
  void origin
})

t.test('several passkeys; removing one needs a recent sign-in; the last one gone, login needs no second factor', async (t) => {
  const { h, call, login, register } = await given(t)
  const { token } = await register('user@demo.test', 'one')
  await register('user@demo.test', 'two')
  const list = (await call('GET', '/mfa/passkeys', token)).body.data as { id: string; name: string }[]
  t.same(
    list.map((p) => p.name),
    ['one', 'two'],
  )
  const { token: adminToken } = await register('admin@demo.test')
  const foreign = await call('DELETE', `/mfa/passkeys/${list[0]!.id}`, adminToken)
  t.equal(foreign.status, 404, "another user's passkey is not found")
  t.equal((await call('DELETE', '/mfa/passkeys/not-a-uuid', token)).status, 404)
  // A session signed in long ago must prove the password again.
  const userId = await h.userId('user@demo.test')
  await h.db.prisma.session.updateMany({ where: { userId }, data: { credentialsProvenAt: new Date(Date.now() - 3600_000) } })
  const stale = await call('DELETE', `/mfa/passkeys/${list[0]!.id}`, token)
  t.equal(stale.status, 403)
  t.equal(stale.body.error_code, 'REAUTHENTICATION_REQUIRED')
  const withPassword = await call('DELETE', `/mfa/passkeys/${list[0]!.id}`, token, { currentPassword: PASSWORD })
  t.same(withPassword.body, { success: true, message: 'Passkey removed successfully' })
  t.equal((await login('user@demo.test')).mfaRequired, true, 'one passkey left')
  t.equal((await call('DELETE', `/mfa/passkeys/${list[1]!.id}`, token)).status, 200)
  const after = await login('user@demo.test')
  t.equal(after.mfaRequired, false, 'no second factor left: a full session at once')
  t.ok(after.refreshToken)
  t.equal((await call('GET', '/user/profile', token)).body.data.mfaRequired, false)
})

t.test('disable PASSKEY removes every passkey; enable PASSKEY needs one', async (t) => {
  const { h, call, register } = await given(t)
  const token = await h.tokenFor('user@demo.test')
  const none = await call('POST', '/mfa/enable', token, { mfaType: 'PASSKEY' })
  t.equal(none.body.error_code, 'MFA_NOT_VERIFIED')
  await register('user@demo.test')
  t.equal((await call('POST', '/mfa/enable', token, { mfaType: 'PASSKEY' })).status, 200)
  t.equal((await call('POST', '/mfa/disable', token, { mfaType: 'PASSKEY' })).status, 200)
  t.equal(await h.db.prisma.passkeyCredential.count({ where: { userId: await h.userId('user@demo.test') } }), 0)
  const setup = await call('POST', '/mfa/setup', token, { mfaType: 'PASSKEY' })
  t.equal(setup.body.error_code, 'UNSUPPORTED_MFA_METHOD')
  t.match(setup.body.message, /registration-options/)
})

t.test('GraphQL with the limited token: passkeyAuthOptions and verifyMfaLogin(PASSKEY) answer, passkeys does not', async (t) => {
  const { h, rp, origin, login, register } = await given(t)
  const { authenticator } = await register('user@demo.test')
  const limited = (await login('user@demo.test')).accessToken as string
  const gql = (query: string, variables = {}) =>
    h.call({ method: 'POST', url: '/graphql', headers: bearer(limited), payload: { query, variables } })
  const listed = await gql('{ passkeys { id } }')
  t.equal(listed.status, 401, 'the passkey list needs a full session')
  const options = await gql('mutation { passkeyAuthOptions }')
  const { challenge } = options.body.data.passkeyAuthOptions
  const credential = authenticator.assert({ challenge, origin, rpId: rp.id })
  const done = await gql('mutation($c: JSONObject!) { verifyMfaLogin(mfaType: PASSKEY, credential: $c) { fullAccessToken } }', {
    c: credential,
  })
  t.type(done.body.data.verifyMfaLogin.fullAccessToken, 'string')
})
