// POST /mfa/primary and POST /mfa/reset (and their GraphQL operations): the primary method, the user's own reset,
// and an OWNER/ADMINISTRATORS reset of a member who lost every factor. Each subtest builds its own app.
import t from 'tap'
import { generate } from 'otplib'
import { buildTestApp, type Teardown } from '../helper.js'

const PASSWORD = 'Demo-Password-1'
const UNKNOWN = '00000000-0000-4000-8000-000000000000'
const bearer = (token: string) => ({ authorization: `Bearer ${token}` })
const LAPTOP = { userAgent: 'LaptopBrowser/1.0', fingerprint: 'fp-laptop-1' }

async function given(where: Teardown, env: Record<string, string> = {}) {
  const h = await buildTestApp(where, env)
  const call = (method: 'GET' | 'POST', url: string, token: string | undefined, payload?: object) =>
    h.call({ method, url, payload, headers: token ? bearer(token) : {} })
  const login = (email: string, extra: object = {}) =>
    h.call({ method: 'POST', url: '/user/login', payload: { email, password: PASSWORD, deviceInfo: LAPTOP, ...extra } })
  /** Enables TOTP for `email`; answers its backup codes and the token of the enrolling session. */
  async function enroll(email: string) {
    const token = (await login(email)).body.accessToken
    const setup = await call('POST', '/mfa/setup', token, { mfaType: 'GOOGLE_AUTH' })
    const { secret, backupCodes } = setup.body.data
    const code = await generate({ secret, epoch: Math.floor(Date.now() / 1000) - 30 })
    t.equal((await call('POST', '/mfa/verify-setup', token, { mfaType: 'GOOGLE_AUTH', code })).status, 200)
    t.equal((await call('POST', '/mfa/enable', token, { mfaType: 'GOOGLE_AUTH', currentPassword: PASSWORD })).status, 200)
    return { backupCodes: backupCodes as string[], token: token as string }
  }
  /** A full session of an MFA user, through a backup code. */
  async function mfaLogin(email: string, backupCode: string) {
    const pending = (await login(email)).body.accessToken
    return (await call('POST', '/mfa/verify-login', pending, { mfaType: 'GOOGLE_AUTH', code: backupCode })).body.fullAccessToken as string
  }
  const audit = (action: string) => h.db.prisma.auditEvent.findMany({ where: { action } })
  return { h, call, login, enroll, mfaLogin, audit }
}

t.test('primary method: one of the enabled methods, reported by the status', async (t) => {
  const { h, call, login, enroll, audit } = await given(t)
  const plain = (await login('user@demo.test')).body.accessToken
  const none = await call('POST', '/mfa/primary', plain, { mfaType: 'GOOGLE_AUTH' })
  t.equal(none.status, 400)
  t.same(none.body, {
    success: false,
    error_code: 'MFA_METHOD_NOT_ENABLED',
    message: 'MFA method GOOGLE_AUTH is not enabled for this account',
  })
  const { token } = await enroll('user@demo.test')
  const set = await call('POST', '/mfa/primary', token, { mfaType: 'GOOGLE_AUTH' })
  t.same(set.body, { success: true, message: 'Primary MFA method updated successfully' })
  const stored = await h.db.prisma.user.findUniqueOrThrow({ where: { email: 'user@demo.test' }, select: { mfaPrimaryMethod: true } })
  t.equal(stored.mfaPrimaryMethod, 'GOOGLE_AUTH')
  t.equal((await call('GET', '/mfa/status', token)).body.data.primaryMethod, 'GOOGLE_AUTH')
  t.equal((await audit('mfa.primary_changed')).length, 0, 'choosing the method that already was primary changes nothing')
  const passkey = await call('POST', '/mfa/primary', token, { mfaType: 'PASSKEY' })
  t.equal(passkey.body.error_code, 'MFA_METHOD_NOT_ENABLED', 'a method not enrolled cannot be primary')
  t.equal((await call('POST', '/mfa/primary', token, { mfaType: 'SMS' })).status, 400)
  t.equal((await call('POST', '/mfa/primary', token, {})).status, 400)
  const pending = (await login('user@demo.test')).body.accessToken
  t.equal((await call('GET', '/mfa/status', pending)).body.data.primaryMethod, 'GOOGLE_AUTH', 'what login asks for first')
  t.equal((await call('POST', '/mfa/primary', pending, { mfaType: 'GOOGLE_AUTH' })).status, 401, 'not with the limited token')
  const gql = await call('POST', '/graphql', token, { query: 'mutation { setPrimaryMfa(mfaType: GOOGLE_AUTH) { success message } }' })
  t.same(gql.body.data.setPrimaryMfa, { success: true, message: 'Primary MFA method updated successfully' })
})

t.test("own reset: with a code, or within RECENT_AUTH_SECONDS; every method and the devices' trust go; audited", async (t) => {
  const { h, call, login, enroll, mfaLogin, audit } = await given(t, { RECENT_AUTH_SECONDS: '0' })
  const { backupCodes } = await enroll('billing@demo.test')
  const full = await mfaLogin('billing@demo.test', backupCodes[0]!)
  t.equal((await call('POST', '/devices/trust', full, { fingerprint: 'fp-laptop-1', currentPassword: PASSWORD })).status, 200)
  const stale = await call('POST', '/mfa/reset', full, { enable: false })
  t.equal(stale.status, 403)
  t.equal(stale.body.error_code, 'REAUTHENTICATION_REQUIRED')
  t.equal((await call('POST', '/mfa/reset', full, { code: '000000' })).body.error_code, 'INVALID_MFA_CODE')
  const reset = await call('POST', '/mfa/reset', full, { resetUserId: null, enable: false, code: backupCodes[1] })
  t.same(reset.body, { success: true, message: 'MFA reset successfully' })
  const status = (await call('GET', '/mfa/status', full)).body.data
  t.match(status, { isEnabled: false, isRequired: false, enabledMethods: [] })
  t.notOk('primaryMethod' in status)
  const userId = await h.userId('billing@demo.test')
  t.equal(await h.db.prisma.mfaBackupCode.count({ where: { userId } }), 0, 'backup codes gone')
  t.equal(await h.db.prisma.device.count({ where: { userId, trustTokenHash: { not: null } } }), 0, 'no device is trusted any more')
  t.equal((await login('billing@demo.test')).body.mfaRequired, false, 'login needs no code')
  const [event] = await audit('mfa.reset')
  t.match(event, {
    actorId: userId,
    targetId: userId,
    changes: { mfaMethods: { old: ['GOOGLE_AUTH'], new: [] }, trustedDevices: { old: 1, new: 0 } },
  })
  const noCodeNow = await call('POST', '/mfa/reset', full, { code: '123456' })
  t.equal(noCodeNow.body.error_code, 'MFA_NOT_ENABLED', 'a code needs an enabled authenticator')
})

t.test('own reset within RECENT_AUTH_SECONDS needs no code; enable keeps MFA required', async (t) => {
  const { call, login, enroll, mfaLogin } = await given(t)
  const { backupCodes } = await enroll('workspaces@demo.test')
  const full = await mfaLogin('workspaces@demo.test', backupCodes[0]!)
  const reset = await call('POST', '/mfa/reset', full, { enable: true })
  t.equal(reset.status, 200)
  t.match((await call('GET', '/mfa/status', full)).body.data, { isEnabled: false, isRequired: false })
  t.equal((await call('GET', '/user/profile', full)).body.data.mfaRequired, true, 'enable: the profile asks for MFA to be set up again')
  t.equal((await login('workspaces@demo.test')).body.mfaRequired, false, 'no method left to ask for')
  t.equal((await call('POST', '/mfa/reset', undefined, {})).status, 401)
})

t.test("an OWNER or ADMINISTRATORS resets a member's MFA; the member must enrol again where MFA is enforced", async (t) => {
  const { h, call, login, enroll, audit } = await given(t)
  await enroll('user@demo.test')
  const owner = (await login('owner@demo.test')).body.accessToken
  t.equal((await call('POST', '/mfa/organization/enforce', owner, { enforced: true })).status, 200)
  const admin = (await login('admin@demo.test')).body.accessToken
  const userId = await h.userId('user@demo.test')
  const reset = await call('POST', '/mfa/reset', admin, { resetUserId: userId, enable: false })
  t.same(reset.body, { success: true, message: 'MFA reset successfully for the user' })
  const member = await login('user@demo.test')
  t.equal(member.body.mfaRequired, false, 'the member signs in with the password alone')
  const profile = (await call('GET', '/user/profile', member.body.accessToken)).body.data
  t.equal(profile.mfaRequired, true, 'and is led to set MFA up again: the organization enforces it')
  t.match((await call('GET', '/mfa/status', member.body.accessToken)).body.data, { isEnabled: false, isRequired: true, isEnforced: true })
  const [event] = await audit('mfa.reset')
  t.match(event, {
    actorId: await h.userId('admin@demo.test'),
    targetId: userId,
    changes: { mfaMethods: { old: ['GOOGLE_AUTH'], new: [] } },
  })

  const gql = await call('POST', '/graphql', owner, {
    query: 'mutation($id: ID) { resetMfa(userId: $id, enable: true) { success message } }',
    variables: { id: await h.userId('admin@demo.test') },
  })
  t.same(
    gql.body.data.resetMfa,
    { success: true, message: 'MFA reset successfully for the user' },
    'OWNER resets anyone in the organization',
  )
})

t.test('who may reset whose MFA: refusals', async (t) => {
  const { h, call, login } = await given(t, { RECENT_AUTH_SECONDS: '0' })
  const admin = (await login('admin@demo.test')).body.accessToken
  const workspaces = (await login('workspaces@demo.test')).body.accessToken
  const loner = (await login('loner@demo.test')).body.accessToken
  const user = await h.userId('user@demo.test')
  const forbidden = { success: false, message: 'Insufficient permissions to reset MFA' }
  const low = await call('POST', '/mfa/reset', workspaces, { resetUserId: user })
  t.equal(low.status, 403)
  t.same(low.body, forbidden)
  const ownerReset = await call('POST', '/mfa/reset', admin, { resetUserId: await h.userId('owner@demo.test'), currentPassword: PASSWORD })
  t.same(ownerReset.body, forbidden, 'ADMINISTRATORS cannot reset the OWNER')
  t.equal(ownerReset.status, 403)
  const notFound = { success: false, message: 'User not found' }
  for (const id of [
    UNKNOWN,
    'not-a-uuid',
    await h.userId('owner@other.test'),
    await h.userId('deleted@demo.test'),
    await h.userId('loner@demo.test'),
  ]) {
    const res = await call('POST', '/mfa/reset', admin, { resetUserId: id, currentPassword: PASSWORD })
    t.equal(res.status, 404, id)
    t.same(res.body, notFound)
  }
  const noOrg = await call('POST', '/mfa/reset', loner, { resetUserId: user })
  t.equal(noOrg.status, 403)
  t.same(noOrg.body, { success: false, message: 'User not associated with any organization' })
  const stale = await call('POST', '/mfa/reset', admin, { resetUserId: user })
  t.equal(stale.body.error_code, 'REAUTHENTICATION_REQUIRED', "another member's reset needs the caller's recent sign-in")
  t.equal((await call('POST', '/mfa/reset', admin, { resetUserId: user, currentPassword: PASSWORD })).status, 200, 'or its password')
  t.equal((await call('POST', '/mfa/reset', admin, { resetUserId: 7 })).status, 400)
  t.equal((await call('POST', '/mfa/reset', admin, { enable: 'yes' })).status, 400)
  const gql = await call('POST', '/graphql', workspaces, {
    query: 'mutation($id: ID) { resetMfa(userId: $id) { success } }',
    variables: { id: user },
  })
  t.equal(gql.body.errors[0].extensions.code, 'FORBIDDEN')
  t.equal(await h.db.prisma.auditEvent.count({ where: { action: 'mfa.reset' } }), 1, 'only the reset that happened is audited')
})
