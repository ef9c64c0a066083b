// sendInvite on POST /organization/users, POST /organization/users/{userId}/resend-invitation,
// POST /user/activate, POST /user/deactivate, and their mutations.
import t from 'tap'
import { buildTestApp, type Teardown } from '../helper.js'
import { lastMailTo, linkParam } from '../mail/outbox.js'

/** Each subtest's own app (a fresh database: invitations are counted, accounts deactivated), so each passes
 * alone and in any order. */
async function given(where: Teardown) {
  const h = await buildTestApp(where)
  const post = (url: string, payload?: object, as?: string) => h.call({ method: 'POST', url, payload, as })
  const invite = (email: string, as = 'workspaces@demo.test', sendInvite = true) =>
    post('/organization/users', { email, password: 'Initial-Pass-1', firstName: 'Ivy', lastName: 'Invited', sendInvite }, as)
  return { h, post, invite }
}

t.test('invite, resend, activate with the token: password chosen, verified, logged in', async (t) => {
  const { h, post, invite } = await given(t)
  const created = await invite('ivy@demo.test')
  t.equal(created.status, 201)
  t.equal(created.body.data.validated, false)
  const mail = await lastMailTo(h.app, 'ivy@demo.test')
  t.equal(mail?.subject, 'You have been invited to join an organization')
  t.match(mail!.raw, 'Its name, as its members wrote it: "Demo Org"')
  const uid = linkParam(mail!, '/activate', 'uid')
  t.equal(uid, created.body.data.id)
  const first = linkParam(mail!, '/activate', 'token')

  const resent = await post(`/organization/users/${uid}/resend-invitation`, undefined, 'admin@demo.test')
  t.same(resent.body, { success: true, message: 'Invitation sent successfully' })
  const token = linkParam((await lastMailTo(h.app, 'ivy@demo.test'))!, '/activate', 'token')
  t.not(token, first)

  const registrationInfo = {
    email: 'ivy@demo.test',
    password: 'Own-Choice-22',
    firstName: 'Ivy',
    lastName: 'Accepted',
    companyName: 'x',
    isBusiness: false,
  }
  const stale = await post('/user/activate', { uid, token: first, registrationInfo })
  t.equal(stale.status, 400)
  t.equal(stale.body.error_code, 'INVALID_TOKEN')
  const wrongUser = await post('/user/activate', { uid: await h.userId('user@demo.test'), token, registrationInfo })
  t.equal(wrongUser.body.error_code, 'INVALID_TOKEN')
  // The failed attempt above rolled back: the token still works for its own user.
  const weak = await post('/user/activate', { uid, token, registrationInfo: { ...registrationInfo, password: 'weak' } })
  t.equal(weak.body.error_code, 'WEAK_PASSWORD')
  const activated = await post('/user/activate', { uid, token, registrationInfo })
  t.equal(activated.status, 200)
  t.same(Object.keys(activated.body).sort(), ['accessToken', 'expiresAt', 'refreshToken', 'success', 'tokenId', 'user'])
  const profile = await h.call({ method: 'GET', url: '/user/profile', headers: { authorization: `Bearer ${activated.body.accessToken}` } })
  t.equal(profile.body.data.validated, true)
  t.equal(profile.body.data.lastName, 'Accepted')
  t.equal((await post('/user/login', { email: 'ivy@demo.test', password: 'Own-Choice-22' })).status, 200)
  t.equal((await post('/user/activate', { uid, token, registrationInfo })).body.error_code, 'INVALID_TOKEN', 'single use')
  const after = await post(`/organization/users/${uid}/resend-invitation`, undefined, 'admin@demo.test')
  t.equal(after.status, 400)
  t.equal(after.body.message, 'User has already accepted the invitation')
})

t.test('without sendInvite no mail is sent', async (t) => {
  const { h, invite } = await given(t)
  await invite('quiet@demo.test', 'workspaces@demo.test', false)
  t.equal(await lastMailTo(h.app, 'quiet@demo.test'), undefined)
})

t.test('resend-invitation: 403 below WORKSPACES or for another organization, 404 unknown, 401 without token', async (t) => {
  const { post, invite } = await given(t)
  const target = (await invite('ozzy@demo.test')).body.data.id
  const low = await post(`/organization/users/${target}/resend-invitation`, undefined, 'billing@demo.test')
  t.equal(low.status, 403)
  t.same(low.body, { success: false, message: 'Insufficient permissions to invite users' })
  const other = await post(`/organization/users/${target}/resend-invitation`, undefined, 'owner@other.test')
  t.equal(other.status, 403)
  const unknown = await post('/organization/users/00000000-0000-4000-8000-000000000000/resend-invitation', undefined, 'owner@demo.test')
  t.equal(unknown.status, 404)
  const anonymous = await post(`/organization/users/${target}/resend-invitation`)
  t.equal(anonymous.status, 401)
  t.equal(anonymous.body.error_code, 'NO_AUTH_USER')
})

t.test('activate: malformed body is 400 INVALID_REQUEST', async (t) => {
  const { post } = await given(t)
  for (const payload of [{}, { uid: 'x', token: 'y' }, { uid: 'x', token: 'y', registrationInfo: {} }]) {
    const res = await post('/user/activate', payload)
    t.equal(res.status, 400)
    t.equal(res.body.error_code, 'INVALID_REQUEST')
  }
})

t.test('deactivate: own account soft-deleted, every session ended; the last owner refused', async (t) => {
  const { h, post } = await given(t)
  const one = await post('/user/login', { email: 'user@demo.test', password: 'Demo-Password-1' })
  const two = await post('/user/login', { email: 'user@demo.test', password: 'Demo-Password-1' })
  const res = await h.call({ method: 'POST', url: '/user/deactivate', headers: { authorization: `Bearer ${one.body.accessToken}` } })
  t.same(res.body, { success: true, message: 'Account deactivated successfully' })
  const user = await h.db.prisma.user.findUniqueOrThrow({ where: { email: 'user@demo.test' } })
  t.not(user.deletedAt, null)
  t.equal(await h.db.prisma.session.count({ where: { userId: user.id, revokedAt: null } }), 0)
  const profile = await h.call({ method: 'GET', url: '/user/profile', headers: { authorization: `Bearer ${two.body.accessToken}` } })
  t.equal(profile.status, 404, 'the profile of a deactivated account is 404, as documented')
  t.equal((await h.call({ method: 'GET', url: '/token', headers: { authorization: `Bearer ${two.body.accessToken}` } })).status, 401)
  t.equal((await post('/user/login', { email: 'user@demo.test', password: 'Demo-Password-1' })).body.error_code, 'USER_INACTIVE')

  const owner = await post('/user/deactivate', undefined, 'owner@other.test')
  t.equal(owner.status, 400)
  t.same(owner.body, { success: false, message: 'Cannot deactivate the last owner of the organization' })
  t.equal((await post('/user/deactivate')).status, 401)
})

t.test('GraphQL: resendInvitation, activateAccount, deactivateAccount', async (t) => {
  const { h, invite } = await given(t)
  const id = (await invite('gail@demo.test', 'owner@demo.test')).body.data.id
  const resend = await h.graphql('mutation($id: ID!) { resendInvitation(id: $id) { success message } }', { id }, 'owner@demo.test')
  t.equal(resend.body.data.resendInvitation.success, true)
  const token = linkParam((await lastMailTo(h.app, 'gail@demo.test'))!, '/activate', 'token')
  const activated = await h.graphql(
    'mutation($uid: ID!, $t: String!, $r: ActivationInput!) { activateAccount(uid: $uid, token: $t, registrationInfo: $r) { accessToken user { id } } }',
    { uid: id, t: token, r: { password: 'Gail-Pass-123' } },
  )
  t.equal(activated.body.data.activateAccount.user.id, id)
  const other = await h.graphql('mutation($id: ID!) { resendInvitation(id: $id) { success } }', { id }, 'owner@other.test')
  t.equal(other.body.errors[0].extensions.code, 'FORBIDDEN')
  const bye = await h.graphql('mutation { deactivateAccount { success message } }', {}, 'billing@demo.test')
  t.same(bye.body.data.deactivateAccount, { success: true, message: 'Account deactivated successfully' })
  const anonymous = await h.graphql('mutation { deactivateAccount { success } }')
  t.equal(anonymous.body.errors[0].extensions.code, 'UNAUTHENTICATED')
})

t.test('sendInvite with invitations switched off: 400, nobody created', async (t) => {
  const off = await buildTestApp(t, { MAIL_FEATURES: 'password-reset' })
  const res = await off.call({
    method: 'POST',
    url: '/organization/users',
    payload: { email: 'nope@demo.test', password: 'Initial-Pass-1', firstName: 'N', lastName: 'O', sendInvite: true },
    as: 'owner@demo.test',
  })
  t.equal(res.status, 400)
  t.equal(res.body.message, 'Invitations are not enabled on this server')
  t.equal(await off.db.prisma.user.count({ where: { email: 'nope@demo.test' } }), 0)
})
