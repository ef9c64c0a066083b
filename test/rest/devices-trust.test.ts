// POST /devices/trust and /devices/{id}/untrust: a trusted device stands in for the MFA code at login.
import t from 'tap'
import { given, LAPTOP, PASSWORD } from './deviceFixtures.js'

t.test('a trusted device stands in for the MFA code until untrusted; its token is stored hashed; audited', async (t) => {
  const { h, call, login, enroll, audit } = await given(t)
  const { backupCodes } = await enroll('billing@demo.test')
  const pending = await login('billing@demo.test', LAPTOP)
  t.equal(pending.body.mfaRequired, true)
  const verified = await call(
    'POST',
    '/mfa/verify-login',
    pending.body.accessToken,
    { mfaType: 'GOOGLE_AUTH', code: backupCodes[0] },
    {
      'x-device-fingerprint': 'fp-laptop-1',
    },
  )
  t.equal(verified.status, 200)
  const full = verified.body.fullAccessToken
  const laptop = (await call('GET', '/devices', full)).body.devices.find((d: { current: boolean }) => d.current)
  t.equal(laptop.deviceFingerprint, 'fp-laptop-1', "the MFA step's session belongs to the device its header names")

  const trust = await call('POST', '/devices/trust', full, { fingerprint: 'fp-laptop-1' })
  t.equal(trust.status, 200)
  t.same(Object.keys(trust.body).sort(), ['deviceId', 'deviceToken', 'message', 'success', 'trustExpiresAt'])
  t.equal(trust.body.deviceId, laptop.id)
  const days = (Date.parse(trust.body.trustExpiresAt) - Date.now()) / 86_400_000
  t.ok(days > 29.9 && days <= 30, 'TRUSTED_DEVICE_DAYS (30 by default)')
  const stored = await h.db.prisma.device.findUniqueOrThrow({ where: { id: laptop.id } })
  t.not(stored.trustTokenHash, trust.body.deviceToken, 'only a hash of the device token is kept')
  t.match((await call('GET', `/devices/${laptop.id}`, full)).body.device, { isTrusted: true, trustLevel: 'TRUSTED' })

  const skipped = await login('billing@demo.test', LAPTOP, { deviceToken: trust.body.deviceToken })
  t.equal(skipped.status, 200)
  t.equal(skipped.body.mfaRequired, false, 'no code asked')
  t.ok(skipped.body.refreshToken && skipped.body.tokenId)
  const session = await h.db.prisma.session.findUniqueOrThrow({ where: { id: skipped.body.tokenId } })
  t.equal(session.loginMethod, 'TRUSTED_DEVICE')
  t.equal(session.deviceId, laptop.id)
  const viaHeader = await login('billing@demo.test', undefined, {}, { 'x-device-token': trust.body.deviceToken })
  t.equal(viaHeader.body.mfaRequired, false, 'the X-Device-Token header works too')
  t.equal((await login('billing@demo.test', LAPTOP, { deviceToken: 'made-up' })).body.mfaRequired, true, 'a wrong token asks for the code')
  const wrongPassword = await h.call({
    method: 'POST',
    url: '/user/login',
    payload: { email: 'billing@demo.test', password: 'Wrong-Password-1', deviceToken: trust.body.deviceToken },
  })
  t.equal(wrongPassword.status, 401, 'the device token never replaces the password')
  const someoneElse = await login('user@demo.test', LAPTOP, { deviceToken: trust.body.deviceToken })
  t.equal(someoneElse.status, 200, "another user's device token is simply not theirs")

  const untrust = await call('POST', `/devices/${laptop.id}/untrust`, full)
  t.same(untrust.body, { success: true, message: 'Device untrusted successfully' })
  t.equal((await login('billing@demo.test', LAPTOP, { deviceToken: trust.body.deviceToken })).body.mfaRequired, true, 'untrusted')
  t.equal((await call('POST', `/devices/${laptop.id}/untrust`, full)).status, 200, 'untrusting again is harmless')

  const trusted = await audit('device.trusted')
  t.equal(trusted.length, 1)
  t.notOk(JSON.stringify(trusted).includes(trust.body.deviceToken), 'the token is not audited')
  t.equal((await audit('device.untrusted')).length, 1, 'only the untrusting that changed something')

  await h.db.prisma.device.update({ where: { id: laptop.id }, data: { trustExpiresAt: new Date(Date.now() - 1000) } })
  const again = await call('POST', '/devices/trust', full, { fingerprint: 'fp-laptop-1' })
  await h.db.prisma.device.update({ where: { id: laptop.id }, data: { trustExpiresAt: new Date(Date.now() - 1000) } })
  t.equal((await login('billing@demo.test', LAPTOP, { deviceToken: again.body.deviceToken })).body.mfaRequired, true, 'an expired trust')
  t.match((await call('GET', `/devices/${laptop.id}`, full)).body.device, { isTrusted: false, trustLevel: 'KNOWN' })
})

t.test('trusting needs a recent sign-in or the password; TRUSTED_DEVICE_DAYS=0 turns it off', async (t) => {
  const stale = await given(t, { RECENT_AUTH_SECONDS: '0' })
  const token = (await stale.login('user@demo.test', LAPTOP)).body.accessToken
  const refused = await stale.call('POST', '/devices/trust', token, { fingerprint: 'fp-laptop-1' })
  t.equal(refused.status, 403)
  t.equal(refused.body.error_code, 'REAUTHENTICATION_REQUIRED')
  const wrong = await stale.call('POST', '/devices/trust', token, { fingerprint: 'fp-laptop-1', currentPassword: 'Nope-Nope-1' })
  t.equal(wrong.body.error_code, 'INVALID_PASSWORD')
  const proven = await stale.call('POST', '/devices/trust', token, { fingerprint: 'fp-laptop-1', currentPassword: PASSWORD })
  t.equal(proven.status, 200)

  const off = await given(t, { TRUSTED_DEVICE_DAYS: '0' })
  const offToken = (await off.login('user@demo.test', LAPTOP)).body.accessToken
  const disabled = await off.call('POST', '/devices/trust', offToken, { fingerprint: 'fp-laptop-1' })
  t.equal(disabled.status, 400)
  t.equal(disabled.body.error_code, 'TRUSTED_DEVICES_DISABLED')
})
