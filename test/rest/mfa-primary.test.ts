// POST /mfa/primary (and setPrimaryMfa): which enabled method login asks for first.
import t from 'tap'
import { given } from './mfaRecoveryFixtures.js'

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
