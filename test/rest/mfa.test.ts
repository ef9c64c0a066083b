// The TOTP MFA routes and operations: setup → verify-setup → enable → login with a limited token → verify-login.
import t from 'tap'
import { generate } from 'otplib'
import { buildTestApp, type Teardown } from '../helper.js'

const PASSWORD = 'Demo-Password-1'
const bearer = (token: string) => ({ authorization: `Bearer ${token}` })
/** Each subtest's own app (a fresh database) with this file's helpers over it: every subtest changes MFA settings,
 * so each starts from the seed, and passes alone and in any order. */
async function given(where: Teardown) {
  const h = await buildTestApp(where)
  const call = (method: 'GET' | 'POST', url: string, token: string | undefined, payload?: object) =>
    h.call({ method, url, payload, headers: token ? bearer(token) : {} })
  const login = (email: string) => h.call({ method: 'POST', url: '/user/login', payload: { email, password: PASSWORD } })
  const now = () => Math.floor(Date.now() / 1000)
  /** A code of the step `offset` steps from now. */
  const codeAt = (secret: string, offset = 0) => generate({ secret, epoch: now() + offset * 30 })

  /** Sets MFA up and enables it for `email`; answers the secret and backup codes. */
  async function enroll(email: string): Promise<{ secret: string; backupCodes: string[]; token: string }> {
    const token = (await login(email)).body.accessToken
    const setup = await call('POST', '/mfa/setup', token, { mfaType: 'GOOGLE_AUTH' })
    const { secret, backupCodes } = setup.body.data
    t.equal((await call('POST', '/mfa/verify-setup', token, { mfaType: 'GOOGLE_AUTH', code: await codeAt(secret, -1) })).status, 200)
    t.equal((await call('POST', '/mfa/enable', token, { mfaType: 'GOOGLE_AUTH' })).status, 200)
    return { secret, backupCodes, token }
  }
  return { h, call, login, now, codeAt, enroll }
}

t.test('setup answers secret, otpauth URI, QR data URL and backup codes; stored sealed and hashed', async (t) => {
  const { h, call, login, codeAt } = await given(t)
  const token = (await login('user@demo.test')).body.accessToken
  const methods = await call('GET', '/mfa/methods', token)
  t.same(methods.body, { success: true, data: ['GOOGLE_AUTH', 'PASSKEY', 'MAGIC_LINK'] })
  const before = await call('GET', '/mfa/status', token)
  t.same(before.body.data, {
    isEnabled: false,
    isRequired: false,
    isEnforced: false,
    enabledMethods: [],
    sessionVerified: true,
  })
  t.notOk('primaryMethod' in before.body.data, 'primaryMethod is left out, not null, while no method is enabled')
  const setup = await call('POST', '/mfa/setup', token, { mfaType: 'GOOGLE_AUTH' })
  t.equal(setup.status, 200)
  const { secret, otpauthUrl, qrCode, backupCodes } = setup.body.data
  t.match(secret, /^[A-Z2-7]{32}$/)
  t.match(otpauthUrl, /^otpauth:\/\/totp\/Account%20Gateway:user%40demo\.test\?secret=[A-Z2-7]+&issuer=Account%20Gateway$/)
  t.match(qrCode, /^data:image\/png;base64,/)
  t.equal(backupCodes.length, 10)
  const userId = await h.userId('user@demo.test')
  const stored = await h.db.prisma.mfaCredential.findUniqueOrThrow({ where: { userId } })
  t.notOk(stored.secretSealed.includes(secret), 'the secret is not stored in clear')
  t.match(stored.secretSealed, /^v1:/)
  const codes = await h.db.prisma.mfaBackupCode.findMany({ where: { userId } })
  t.equal(codes.length, 10)
  t.notOk(JSON.stringify(codes).includes(backupCodes[0]!.replace('-', '')), 'backup codes are stored hashed')

  t.equal((await call('POST', '/mfa/enable', token, { mfaType: 'GOOGLE_AUTH' })).body.error_code, 'MFA_NOT_VERIFIED')
  const wrong = await call('POST', '/mfa/verify-setup', token, { mfaType: 'GOOGLE_AUTH', code: '000000' })
  t.equal(wrong.status, 400)
  t.same(wrong.body, { success: false, error_code: 'INVALID_MFA_CODE', message: 'Invalid MFA code' })
  const tooOld = await call('POST', '/mfa/verify-setup', token, { mfaType: 'GOOGLE_AUTH', code: await codeAt(secret, -3) })
  t.equal(tooOld.body.error_code, 'INVALID_MFA_CODE', 'only ±1 step is accepted')
  const code = await codeAt(secret, 1)
  t.equal((await call('POST', '/mfa/verify-setup', token, { mfaType: 'GOOGLE_AUTH', code })).status, 200, 'one step ahead is accepted')
  t.equal((await call('POST', '/mfa/enable', token, { mfaType: 'GOOGLE_AUTH' })).status, 200)
  const after = await call('GET', '/mfa/status', token)
  t.match(after.body.data, { isEnabled: true, isRequired: true, enabledMethods: ['GOOGLE_AUTH'], primaryMethod: 'GOOGLE_AUTH' })
  t.equal((await call('GET', '/user/profile', token)).body.data.mfaRequired, true, 'the profile reflects it')
  t.equal((await call('POST', '/mfa/setup', token, { mfaType: 'GOOGLE_AUTH' })).body.error_code, 'MFA_ALREADY_ENABLED')
})

t.test('login with MFA: a limited token usable only on MFA routes until verify-login', async (t) => {
  const { h, call, login, codeAt, enroll } = await given(t)
  const { secret, backupCodes } = await enroll('billing@demo.test')
  const first = await login('billing@demo.test')
  t.equal(first.status, 200)
  t.equal(first.body.mfaRequired, true)
  t.same(Object.keys(first.body).sort(), ['accessToken', 'expiresAt', 'mfaRequired', 'success', 'user'], 'no refreshToken, no tokenId')
  const limited = first.body.accessToken
  const profile = await call('GET', '/user/profile', limited)
  t.equal(profile.status, 401, 'not a full token')
  t.equal(profile.body.error_code, 'NO_AUTH_USER')
  t.equal((await call('GET', '/token', limited)).status, 401)
  t.equal((await call('POST', '/mfa/setup', limited, { mfaType: 'GOOGLE_AUTH' })).status, 401, 'not even MFA management')
  const gql = await h.call({ method: 'POST', url: '/graphql', payload: { query: '{ me { id } }' }, headers: bearer(limited) })
  t.equal(gql.body.errors[0].extensions.code, 'UNAUTHENTICATED')
  const status = await call('GET', '/mfa/status', limited)
  t.equal(status.body.data.sessionVerified, false)
  t.equal(status.body.data.isEnabled, true)

  t.equal(
    (await call('POST', '/mfa/verify-login', limited, { mfaType: 'GOOGLE_AUTH', code: '123456' })).body.error_code,
    'INVALID_MFA_CODE',
  )
  const code = await codeAt(secret)
  const verified = await call('POST', '/mfa/verify-login', limited, { mfaType: 'GOOGLE_AUTH', code })
  t.equal(verified.status, 200)
  t.same(Object.keys(verified.body).sort(), ['expiresAt', 'fullAccessToken', 'message', 'refreshToken', 'success', 'tokenId'])
  t.equal((await call('GET', '/user/profile', verified.body.fullAccessToken)).status, 200)
  t.equal((await h.call({ method: 'POST', url: '/user/refresh', payload: { refreshToken: verified.body.refreshToken } })).status, 200)
  t.equal((await call('GET', '/mfa/status', verified.body.fullAccessToken)).body.data.sessionVerified, true)

  const second = (await login('billing@demo.test')).body.accessToken
  t.equal(
    (await call('POST', '/mfa/verify-login', second, { mfaType: 'GOOGLE_AUTH', code })).body.error_code,
    'INVALID_MFA_CODE',
    'a code works once',
  )
  const backup = await call('POST', '/mfa/verify-login', second, { mfaType: 'GOOGLE_AUTH', code: backupCodes[0]!.toUpperCase() })
  t.equal(backup.status, 200, 'a backup code works')
  const third = (await login('billing@demo.test')).body.accessToken
  t.equal((await call('POST', '/mfa/verify-login', third, { mfaType: 'GOOGLE_AUTH', code: backupCodes[0] })).status, 400, 'once')
  t.equal(
    (await call('POST', '/mfa/verify-login', verified.body.fullAccessToken, { mfaType: 'GOOGLE_AUTH', code })).status,
    401,
    'a full token has nothing to verify',
  )
  t.equal((await call('POST', '/mfa/verify-login', undefined, { mfaType: 'GOOGLE_AUTH', code })).status, 401)
})

t.test('disable with a code checks it; setup of magic links and passkeys is 400, naming their own way', async (t) => {
  const { call, login, codeAt, enroll } = await given(t)
  const { secret, token } = await enroll('workspaces@demo.test')
  for (const mfaType of ['MAGIC_LINK', 'PASSKEY']) {
    const res = await call('POST', '/mfa/setup', token, { mfaType })
    t.equal(res.status, 400)
    t.equal(res.body.error_code, 'UNSUPPORTED_MFA_METHOD')
    t.match(res.body.message, mfaType === 'PASSKEY' ? /registration-options/ : /POST \/mfa\/enable/)
  }
  t.equal((await call('POST', '/mfa/setup', token, { mfaType: 'SMS' })).status, 400)
  t.equal((await call('POST', '/mfa/disable', token, { mfaType: 'GOOGLE_AUTH', code: '' })).status, 400, 'an empty code is a wrong one')
  t.equal((await call('POST', '/mfa/disable', token, { mfaType: 'GOOGLE_AUTH', code: '000000' })).body.error_code, 'INVALID_MFA_CODE')
  const off = await call('POST', '/mfa/disable', token, { mfaType: 'GOOGLE_AUTH', code: await codeAt(secret) })
  t.same(off.body, { success: true, message: 'MFA disabled successfully' })
  t.equal((await call('GET', '/user/profile', token)).body.data.mfaRequired, false)
  const plain = await login('workspaces@demo.test')
  t.equal(plain.body.mfaRequired, false)
  t.type(plain.body.refreshToken, 'string')
})

t.test('code attempts are rate-limited per user', async (t) => {
  const limited = await buildTestApp(t, { RATE_LIMIT_MFA_CODE_PER_USER: '3' })
  const token = await limited.tokenFor('user@demo.test')
  const headers = bearer(token)
  await limited.call({ method: 'POST', url: '/mfa/setup', payload: { mfaType: 'GOOGLE_AUTH' }, headers })
  const attempt = () =>
    limited.call({ method: 'POST', url: '/mfa/verify-setup', payload: { mfaType: 'GOOGLE_AUTH', code: '000000' }, headers })
  for (let i = 0; i < 3; i++) t.equal((await attempt()).status, 400)
  const blocked = await attempt()
  t.equal(blocked.status, 429)
  t.equal(blocked.body.error_code, 'TOO_MANY_ATTEMPTS')
  t.ok(Number(blocked.headers['retry-after']) > 0)
})

t.test('enforce: OWNER only; members report mfaRequired; another organization untouched', async (t) => {
  const { h, call, enroll } = await given(t)
  await enroll('user@demo.test') // a member who has MFA of their own, whatever the organization enforces
  const admin = await call('POST', '/mfa/organization/enforce', await h.tokenFor('admin@demo.test'), { enforced: true })
  t.equal(admin.status, 403)
  t.same(admin.body, { success: false, message: 'Insufficient permissions to enforce MFA' })
  const loner = await call('POST', '/mfa/organization/enforce', await h.tokenFor('loner@demo.test'), { enforced: true })
  t.equal(loner.status, 403)
  t.equal((await call('POST', '/mfa/organization/enforce', undefined, { enforced: true })).status, 401)
  t.equal((await call('POST', '/mfa/organization/enforce', await h.tokenFor('owner@demo.test'), { enforced: 'yes' })).status, 400)
  const ok = await call('POST', '/mfa/organization/enforce', await h.tokenFor('owner@demo.test'), { enforced: true })
  t.same(ok.body, { success: true, message: 'MFA is now enforced for the organization' })
  const status = await call('GET', '/mfa/status', await h.tokenFor('admin@demo.test'))
  t.match(status.body.data, { isEnabled: false, isRequired: true, isEnforced: true })
  t.equal((await call('GET', '/user/profile', await h.tokenFor('admin@demo.test'))).body.data.mfaRequired, true)
  t.equal((await call('GET', '/user/profile', await h.tokenFor('owner@other.test'))).body.data.mfaRequired, false)
  await call('POST', '/mfa/organization/enforce', await h.tokenFor('owner@demo.test'), { enforced: false })
  t.equal((await call('GET', '/user/profile', await h.tokenFor('admin@demo.test'))).body.data.mfaRequired, false)
  t.equal((await call('GET', '/user/profile', await h.tokenFor('user@demo.test'))).body.data.mfaRequired, true, 'users with MFA keep it')
})

t.test('GraphQL: the same operations', async (t) => {
  const { h, codeAt } = await given(t)
  const as = 'owner@other.test'
  const setup = await h.graphql('mutation { setupMfa(mfaType: GOOGLE_AUTH) { secret otpauthUrl qrCode backupCodes } }', {}, as)
  const { secret } = setup.body.data.setupMfa
  const verify = await h.graphql(
    'mutation($c: String!) { verifyMfaSetup(mfaType: GOOGLE_AUTH, code: $c) { success } }',
    { c: await codeAt(secret) },
    as,
  )
  t.equal(verify.body.data.verifyMfaSetup.success, true)
  const enable = await h.graphql('mutation { enableMfa(mfaType: GOOGLE_AUTH) { success message } }', {}, as)
  t.equal(enable.body.data.enableMfa.message, 'MFA enabled successfully')
  const status = await h.graphql('{ mfaStatus { isEnabled sessionVerified } mfaMethods }', {}, as)
  t.same(status.body.data, { mfaStatus: { isEnabled: true, sessionVerified: true }, mfaMethods: ['GOOGLE_AUTH', 'PASSKEY', 'MAGIC_LINK'] })
  const logged = await h.graphql(
    'mutation { login(email: "owner@other.test", password: "Demo-Password-1") { accessToken refreshToken mfaRequired } }',
  )
  t.equal(logged.body.data.login.mfaRequired, true)
  t.equal(logged.body.data.login.refreshToken, null)
  const limited = logged.body.data.login.accessToken
  const verifyLogin = await h.call({
    method: 'POST',
    url: '/graphql',
    headers: bearer(limited),
    payload: {
      query: 'mutation($c: String!) { verifyMfaLogin(mfaType: GOOGLE_AUTH, code: $c) { fullAccessToken refreshToken } }',
      variables: { c: await codeAt(secret, 1) },
    },
  })
  t.type(verifyLogin.body.data.verifyMfaLogin.fullAccessToken, 'string')
  const unsupported = await h.graphql('mutation { setupMfa(mfaType: PASSKEY) { secret } }', {}, 'admin@demo.test')
  t.equal(unsupported.body.errors[0].extensions.code, 'BAD_USER_INPUT')
  const enforce = await h.graphql('mutation { enforceOrganizationMfa(enforced: true) { success } }', {}, 'user@demo.test')
  t.equal(enforce.body.errors[0].extensions.code, 'FORBIDDEN')
  const anonymous = await h.graphql('{ mfaStatus { isEnabled } }')
  t.equal(anonymous.body.errors[0].extensions.code, 'UNAUTHENTICATED')
})
