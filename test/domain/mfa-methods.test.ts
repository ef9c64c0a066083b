// The primary MFA method and who may reset whose MFA: pure rules over any set of enrolled methods.
import t from 'tap'
import { mayResetMfaOf, primaryMethodOf } from '../../src/domain/mfaMethods.js'
import { describeDevice, fingerprintProblem, isTrusted, trustRefusal } from '../../src/domain/devices.js'
import { OrgRole } from '../../src/domain/roles.js'

t.test('the primary method is the chosen one while enrolled, else the first enrolled', async (t) => {
  t.equal(primaryMethodOf([], 'PASSKEY'), null)
  t.equal(primaryMethodOf(['GOOGLE_AUTH'], null), 'GOOGLE_AUTH')
  t.equal(primaryMethodOf(['GOOGLE_AUTH', 'PASSKEY'], 'PASSKEY'), 'PASSKEY')
  t.equal(primaryMethodOf(['GOOGLE_AUTH', 'PASSKEY'], 'MAGIC_LINK'), 'GOOGLE_AUTH', 'a choice no longer enrolled falls back')
})

t.test('OWNER resets anyone; ADMINISTRATORS members below it; nobody else', async (t) => {
  t.ok(mayResetMfaOf(OrgRole.OWNER, OrgRole.OWNER))
  t.ok(mayResetMfaOf(OrgRole.ADMINISTRATORS, OrgRole.WORKSPACES))
  t.notOk(mayResetMfaOf(OrgRole.ADMINISTRATORS, OrgRole.ADMINISTRATORS))
  t.notOk(mayResetMfaOf(OrgRole.ADMINISTRATORS, OrgRole.OWNER))
  t.notOk(mayResetMfaOf(OrgRole.WORKSPACES, OrgRole.USER))
  t.notOk(mayResetMfaOf(null, OrgRole.USER))
})

t.test('a device: the reported fingerprint, else one derived from the user agent; bounded labels', async (t) => {
  const reported = describeDevice({ fingerprint: 'abc', os: 'Linux', browser: 'Firefox', deviceType: 'tablet' }, 'UA/1', '10.0.0.1')
  t.match(reported, { fingerprint: 'abc', deviceName: 'Firefox on Linux', deviceType: 'TABLET', ipAddress: '10.0.0.1' })
  t.equal(describeDevice(null, 'UA/1', null, 'hdr').fingerprint, 'hdr', 'the header wins')
  const derived = describeDevice({ fingerprint: 'with space' }, 'UA/1', null)
  t.match(derived.fingerprint, /^ua:[0-9a-f]{64}$/, 'an invalid fingerprint is not used')
  t.equal(derived.fingerprint, describeDevice(null, 'UA/1', null).fingerprint, 'the same user agent, the same device')
  t.match(describeDevice({ deviceType: 'FRIDGE', os: 'x'.repeat(500) }, null, null), { deviceType: 'UNKNOWN', os: 'x'.repeat(100) })
  t.equal(describeDevice(null, null, null).deviceName, 'Unknown device')
  t.same(fingerprintProblem(''), { reason: 'EMPTY' })
  t.same(fingerprintProblem('x'.repeat(201)), { reason: 'TOO_LONG', max: 200 })
  t.same(fingerprintProblem('a b'), { reason: 'NOT_PRINTABLE_ASCII' })
  t.equal(fingerprintProblem('ok-1'), null)
  t.ok(isTrusted({ trustExpiresAt: new Date(2) }, new Date(1)))
  t.notOk(isTrusted({ trustExpiresAt: new Date(1) }, new Date(1)))
  t.notOk(isTrusted({ trustExpiresAt: null }, new Date(1)))
  t.equal(trustRefusal({ days: 30, whenEnforced: false }, false), null)
  t.equal(trustRefusal({ days: 0, whenEnforced: true }, false), 'TRUST_OFF')
  t.equal(trustRefusal({ days: 30, whenEnforced: false }, true), 'MFA_ENFORCED')
  t.equal(trustRefusal({ days: 30, whenEnforced: true }, true), null)
})
