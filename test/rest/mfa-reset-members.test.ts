// POST /mfa/reset of another member (OWNER, ADMINISTRATORS): a member who lost every factor; who may reset whom.
import t from 'tap'
import { given, PASSWORD, UNKNOWN } from './mfaRecoveryFixtures.js'

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
