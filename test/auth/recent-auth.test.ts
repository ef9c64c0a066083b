// Recent authentication: a password change and every change of the second factor need a session whose
// password (or code) was proven within RECENT_AUTH_SECONDS, or the proof in the request. "An hour later"
// is made by moving the session's credentials_proven_at back in the database, never by waiting.
import t from 'tap'
import { generate } from 'otplib'
import { buildTestApp, type TestApp } from '../helper.js'
import { verifyPassword } from '../../src/crypto/passwords.js'
import { startSession } from '../../src/db/repositories/sessions.js'
import { lastMailTo, linkParam } from '../mail/outbox.js'

const PASSWORD = 'Demo-Password-1'
const REAUTH_PASSWORD = {
  success: false,
  error_code: 'REAUTHENTICATION_REQUIRED',
  message: 'Recent authentication required: sign in again or send currentPassword',
}
const REAUTH_CODE = {
  success: false,
  error_code: 'REAUTHENTICATION_REQUIRED',
  message: 'Recent authentication required: sign in again or send a current MFA code',
}
const WRONG_CURRENT = { success: false, error_code: 'INVALID_PASSWORD', message: 'Current password is incorrect' }

const h = await buildTestApp(t)
t.equal(h.config.recentAuthSeconds, 300, 'the default window is five minutes')

const bearer = (token: string) => ({ authorization: `Bearer ${token}` })
const post = (app: TestApp, url: string, token: string | undefined, payload?: object) =>
  app.call({ method: 'POST', url, payload, headers: token ? bearer(token) : {} })
const login = (email: string, password = PASSWORD, app = h) => post(app, '/user/login', undefined, { email, password })
/** PUT /user/{own id} as the public client's updateUser sends it. */
const updateUser = async (token: string, email: string, body: object, app = h) =>
  app.call({ method: 'PUT', url: `/user/${await app.userId(email)}`, payload: body, headers: bearer(token) })
/** The session's password was last proven `seconds` ago: an hour by default. */
const ageProof = (sessionId: string, seconds = 3600, app = h) =>
  app.db.prisma.session.update({ where: { id: sessionId }, data: { credentialsProvenAt: new Date(Date.now() - seconds * 1000) } })
const provenAt = async (sessionId: string) =>
  (await h.db.prisma.session.findUniqueOrThrow({ where: { id: sessionId } })).credentialsProvenAt
const storedPasswordIs = async (email: string, password: string, app = h) =>
  verifyPassword((await app.db.prisma.user.findUniqueOrThrow({ where: { email } })).passwordHash!, password)
const codeAt = (secret: string, offset = 0) => generate({ secret, epoch: Math.floor(Date.now() / 1000) + offset * 30 })

t.test('updateUser({password}) as the client sends it: works right after sign-in, refused an hour later', async (t) => {
  const email = 'user@demo.test'
  const signedIn = await login(email)
  const { accessToken: token, tokenId } = signedIn.body
  t.ok(await provenAt(tokenId), 'a password login is a proof')

  const now = await updateUser(token, email, { password: 'Second-Password-2' })
  t.same([now.status, now.body], [200, { success: true, message: 'User updated successfully' }], 'right after sign-in')

  await ageProof(tokenId)
  const later = await updateUser(token, email, { password: 'Third-Password-3' })
  t.same([later.status, later.body], [403, REAUTH_PASSWORD], 'an hour later: sign in again or send currentPassword')
  t.ok(await storedPasswordIs(email, 'Second-Password-2'), 'the password is unchanged')
  const name = await updateUser(token, email, { name: 'Ursula' })
  t.equal(name.status, 200, 'a name change needs no recent sign-in')

  const graphql = await h.call({
    method: 'POST',
    url: '/graphql',
    headers: bearer(token),
    payload: {
      query: 'mutation ($id: ID!, $input: UserUpdateInput!) { updateUser(id: $id, input: $input) { success } }',
      variables: { id: await h.userId(email), input: { password: 'Third-Password-3' } },
    },
  })
  t.match(graphql.body.errors[0], {
    message: REAUTH_PASSWORD.message,
    extensions: { code: 'FORBIDDEN', errorCode: 'REAUTHENTICATION_REQUIRED' },
  })

  const proven = await updateUser(token, email, { password: 'Third-Password-3', currentPassword: 'Second-Password-2' })
  t.same([proven.status, proven.body], [200, { success: true, message: 'User updated successfully' }], 'with currentPassword')
  t.ok(await storedPasswordIs(email, 'Third-Password-3'))
  const again = await updateUser(token, email, { password: 'Fourth-Password-4' })
  t.equal(again.status, 200, 'a correct currentPassword renews the session: the next change needs none')

  await ageProof(tokenId)
  const viaGraphql = await h.call({
    method: 'POST',
    url: '/graphql',
    headers: bearer(token),
    payload: {
      query: 'mutation ($id: ID!, $input: UserUpdateInput!) { updateUser(id: $id, input: $input) { success } }',
      variables: { id: await h.userId(email), input: { password: 'Fifth-Password-5', currentPassword: 'Fourth-Password-4' } },
    },
  })
  t.same(viaGraphql.body, { data: { updateUser: { success: true } } }, 'GraphQL input.currentPassword')

  await ageProof(tokenId)
  const fresh = (await login(email, 'Fifth-Password-5')).body.accessToken
  t.equal((await updateUser(fresh, email, { password: 'Sixth-Password-6' })).status, 200, 'signing in again is a new proof')
})

t.test('a refresh is not a new proof: the rotated token keeps the sign-in time', async (t) => {
  const email = 'admin@demo.test'
  const signedIn = (await login(email)).body
  const refreshed = (await post(h, '/user/refresh', undefined, { refreshToken: signedIn.refreshToken })).body
  t.equal((await updateUser(refreshed.accessToken, email, { password: 'Second-Password-2' })).status, 200, 'within the window')

  await ageProof(signedIn.tokenId)
  const rotated = (await post(h, '/user/refresh', undefined, { refreshToken: refreshed.refreshToken })).body
  t.type(rotated.accessToken, 'string')
  const res = await updateUser(rotated.accessToken, email, { password: 'Third-Password-3' })
  t.same([res.status, res.body], [403, REAUTH_PASSWORD], 'an hour after the sign-in, however fresh the access token')
})

t.test('a wrong currentPassword is refused and counted as a failed login (shared limit)', async (t) => {
  const limited = await buildTestApp(t, { RATE_LIMIT_LOGIN_PER_ACCOUNT: '3' })
  const email = 'workspaces@demo.test'
  const signedIn = (await login(email, PASSWORD, limited)).body
  await ageProof(signedIn.tokenId, 3600, limited)
  const change = (currentPassword: string) =>
    updateUser(signedIn.accessToken, email, { password: 'Another-Password-2', currentPassword }, limited)

  for (let i = 0; i < 2; i++) {
    const wrong = await change('Not-The-Password-1')
    t.same([wrong.status, wrong.body], [403, WRONG_CURRENT])
  }
  t.equal((await login(email, 'Not-The-Password-1', limited)).status, 401, 'a wrong login: the third attempt')
  const blocked = await change(PASSWORD)
  t.equal(blocked.status, 429, 'even the right password: the account has used its attempts')
  t.equal(blocked.body.error_code, 'TOO_MANY_ATTEMPTS')
  t.ok(Number(blocked.headers['retry-after']) > 0)
  t.equal((await login(email, PASSWORD, limited)).status, 429, 'and login shares the count')
  t.ok(await storedPasswordIs(email, PASSWORD, limited), 'the password is unchanged')
  t.notMatch(JSON.stringify(blocked.body), /Not-The-Password|Demo-Password/)
})

t.test('a session nobody proved (npm run token) needs currentPassword', async (t) => {
  const email = 'loner@demo.test'
  const session = await startSession(h.db.prisma, await h.userId(email), 3600, { loginMethod: 'CLI' })
  const token = h.app.accessTokens.issue(await h.userId(email), session.id).accessToken
  t.same((await updateUser(token, email, { password: 'Second-Password-2' })).body, REAUTH_PASSWORD)
  t.equal((await updateUser(token, email, { password: 'Second-Password-2', currentPassword: PASSWORD })).status, 200)
})

t.test('MFA setup, verify-setup and enable need a recent sign-in or currentPassword', async (t) => {
  const email = 'owner@other.test'
  const { accessToken: token, tokenId } = (await login(email)).body
  await ageProof(tokenId)
  const setupRefused = await post(h, '/mfa/setup', token, { mfaType: 'GOOGLE_AUTH' })
  t.same([setupRefused.status, setupRefused.body], [403, REAUTH_PASSWORD], 'setup an hour later')
  const wrong = await post(h, '/mfa/setup', token, { mfaType: 'GOOGLE_AUTH', currentPassword: 'Not-The-Password-1' })
  t.same([wrong.status, wrong.body], [403, WRONG_CURRENT])
  t.equal(await h.db.prisma.mfaCredential.count({ where: { userId: await h.userId(email) } }), 0, 'nothing was set up')

  const setup = await post(h, '/mfa/setup', token, { mfaType: 'GOOGLE_AUTH', currentPassword: PASSWORD })
  t.equal(setup.status, 200, 'with currentPassword')
  const { secret } = setup.body.data
  const verified = await post(h, '/mfa/verify-setup', token, { mfaType: 'GOOGLE_AUTH', code: await codeAt(secret, -1) })
  t.equal(verified.status, 200, 'the proof in setup renewed the session')

  await ageProof(tokenId)
  t.same((await post(h, '/mfa/enable', token, { mfaType: 'GOOGLE_AUTH' })).body, REAUTH_PASSWORD, 'enable an hour later')
  const gql = await h.call({
    method: 'POST',
    url: '/graphql',
    headers: bearer(token),
    payload: { query: 'mutation { enableMfa(mfaType: GOOGLE_AUTH) { success } }' },
  })
  t.match(gql.body.errors[0].extensions, { code: 'FORBIDDEN', errorCode: 'REAUTHENTICATION_REQUIRED' })
  const enabled = await post(h, '/mfa/enable', token, { mfaType: 'GOOGLE_AUTH', currentPassword: PASSWORD })
  t.same(enabled.body, { success: true, message: 'MFA enabled successfully' })
})

/** Sets up and enables TOTP right after a password sign-in, as the client does; answers the backup codes and secret. */
async function enroll(email: string) {
  const token = (await login(email)).body.accessToken
  const setup = await post(h, '/mfa/setup', token, { mfaType: 'GOOGLE_AUTH' })
  const { secret, backupCodes } = setup.body.data as { secret: string; backupCodes: string[] }
  const verified = await post(h, '/mfa/verify-setup', token, { mfaType: 'GOOGLE_AUTH', code: await codeAt(secret, -1) })
  const enabled = await post(h, '/mfa/enable', token, { mfaType: 'GOOGLE_AUTH' })
  return { secret, backupCodes, statuses: [setup.status, verified.status, enabled.status] }
}

/** An MFA sign-in: the password, then a backup code on the limited token; answers the full session. */
async function mfaSignIn(email: string, backupCode: string) {
  const limited = (await login(email)).body.accessToken
  const full = await post(h, '/mfa/verify-login', limited, { mfaType: 'GOOGLE_AUTH', code: backupCode })
  return { token: full.body.fullAccessToken as string, tokenId: full.body.tokenId as string }
}

t.test('disableMFA({mfaType}) as the client sends it: works right after an MFA sign-in', async (t) => {
  const email = 'owner@demo.test'
  const { backupCodes, statuses } = await enroll(email)
  t.same(statuses, [200, 200, 200], 'setup, verify-setup and enable right after sign-in, without currentPassword')
  const { token, tokenId } = await mfaSignIn(email, backupCodes[0]!)
  t.ok(await provenAt(tokenId), 'an MFA sign-in is a proof')
  const off = await post(h, '/mfa/disable', token, { mfaType: 'GOOGLE_AUTH' })
  t.same([off.status, off.body], [200, { success: true, message: 'MFA disabled successfully' }])
  t.equal((await login(email)).body.mfaRequired, false, 'MFA is off')
})

t.test('disableMFA({mfaType}) an hour later is refused; a current code still works and renews the session', async (t) => {
  const email = 'billing@demo.test'
  const { secret, backupCodes } = await enroll(email)
  const { token, tokenId } = await mfaSignIn(email, backupCodes[0]!)
  await ageProof(tokenId)

  const refused = await post(h, '/mfa/disable', token, { mfaType: 'GOOGLE_AUTH' })
  t.same([refused.status, refused.body], [403, REAUTH_CODE])
  const gql = await h.call({
    method: 'POST',
    url: '/graphql',
    headers: bearer(token),
    payload: { query: 'mutation { disableMfa(mfaType: GOOGLE_AUTH) { success } }' },
  })
  t.match(gql.body.errors[0], { message: REAUTH_CODE.message, extensions: { code: 'FORBIDDEN', errorCode: 'REAUTHENTICATION_REQUIRED' } })
  t.equal((await post(h, '/mfa/disable', token, { mfaType: 'GOOGLE_AUTH', code: '000000' })).body.error_code, 'INVALID_MFA_CODE')
  const status = await h.call({ method: 'GET', url: '/mfa/status', headers: bearer(token) })
  t.equal(status.body.data.isEnabled, true, 'still enabled')

  const before = await provenAt(tokenId)
  const off = await post(h, '/mfa/disable', token, { mfaType: 'GOOGLE_AUTH', code: await codeAt(secret) })
  t.same(off.body, { success: true, message: 'MFA disabled successfully' }, 'with a current code')
  t.ok((await provenAt(tokenId))! > before!, 'the code renewed the proof')
})

t.test('a password reset by mail link is its own proof: not affected', async (t) => {
  const email = 'workspaces@demo.test'
  const { tokenId } = (await login(email)).body
  await ageProof(tokenId)
  t.equal((await post(h, '/user/request-reset-password', undefined, { email })).status, 200)
  const link = linkParam((await lastMailTo(h.app, email))!, '/reset-password', 'token')
  const reset = await post(h, '/user/reset-password', undefined, { token: link, newPassword: 'Reset-Password-7' })
  t.same(reset.body, { success: true, message: 'Password has been reset successfully' })
  t.ok(await storedPasswordIs(email, 'Reset-Password-7'))
})
