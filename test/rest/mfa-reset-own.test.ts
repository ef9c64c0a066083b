// The user's own POST /mfa/reset (and resetMfa): with a code, or within RECENT_AUTH_SECONDS.
import t from 'tap'
import { given, PASSWORD } from './mfaRecoveryFixtures.js'

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
  const { h, call, login, enroll, mfaLogin } = await given(t)
  const { backupCodes } = await enroll('workspaces@demo.test')
  const full = await mfaLogin('workspaces@demo.test', backupCodes[0]!)
  const noBody = await h.call({ method: 'POST', url: '/mfa/reset', headers: { authorization: `Bearer ${full}` } })
  t.equal(noBody.status, 400, 'no body at all: refused by the body schema, not a 500')
  const reset = await call('POST', '/mfa/reset', full, { enable: true })
  t.equal(reset.status, 200)
  t.match(
    (await call('GET', '/mfa/status', full)).body.data,
    { isEnabled: false, isRequired: true, isEnforced: false },
    'enable: the status and the profile ask for MFA to be set up again',
  )
  t.equal((await call('GET', '/user/profile', full)).body.data.mfaRequired, true)
  t.equal((await login('workspaces@demo.test')).body.mfaRequired, false, 'no method left to ask for')
  t.equal((await call('POST', '/mfa/reset', undefined, {})).status, 401)
})
