// Trusted devices where the organization enforces MFA (TRUSTED_DEVICE_WHEN_ENFORCED).
import t from 'tap'
import { given, LAPTOP } from './deviceFixtures.js'

t.test('where the organization enforces MFA, trusted devices skip nothing unless TRUSTED_DEVICE_WHEN_ENFORCED', async (t) => {
  const enforced = await given(t)
  const { backupCodes } = await enforced.enroll('billing@demo.test')
  const pending = (await enforced.login('billing@demo.test', LAPTOP)).body.accessToken
  const full = (await enforced.call('POST', '/mfa/verify-login', pending, { mfaType: 'GOOGLE_AUTH', code: backupCodes[0] })).body
    .fullAccessToken
  const trust = await enforced.call('POST', '/devices/trust', full, { fingerprint: 'fp-laptop-1' })
  t.equal(trust.status, 200)
  const owner = (await enforced.login('owner@demo.test')).body.accessToken
  t.equal((await enforced.call('POST', '/mfa/organization/enforce', owner, { enforced: true })).status, 200)
  const asked = await enforced.login('billing@demo.test', LAPTOP, { deviceToken: trust.body.deviceToken })
  t.equal(asked.body.mfaRequired, true, 'once the organization enforces MFA, a trusted device no longer skips it')
  const now = await enforced.call('POST', '/devices/trust', full, { fingerprint: 'fp-laptop-1' })
  t.equal(now.body.error_code, 'TRUSTED_DEVICES_DISABLED')

  const allowed = await given(t, { TRUSTED_DEVICE_WHEN_ENFORCED: 'true' })
  const allowedOwner = (await allowed.login('owner@demo.test', LAPTOP)).body.accessToken
  t.equal((await allowed.call('POST', '/mfa/organization/enforce', allowedOwner, { enforced: true })).status, 200)
  t.equal((await allowed.call('POST', '/devices/trust', allowedOwner, { fingerprint: 'fp-laptop-1' })).status, 200, 'when allowed')
})
