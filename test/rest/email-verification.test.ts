// Register's verification mail, POST /user/verify-email, /user/pre-verify-email, /user/resend-verification/{id}.
import t from 'tap'
import { buildTestApp } from '../helper.js'
import { lastMailTo, linkParam, readOutbox } from '../mail/outbox.js'

const h = await buildTestApp(t, { PUBLIC_URL: 'https://app.example.test/' })
const post = (url: string, payload?: object, headers: Record<string, string> = {}) => h.call({ method: 'POST', url, payload, headers })
const register = (email: string) =>
  post('/user/register', {
    email,
    password: 'Strong-Pass-1',
    firstName: 'Vera',
    lastName: 'Verify',
    companyName: 'Verify Co',
    isBusiness: true,
  })
const profileOf = (token: string) => h.call({ method: 'GET', url: '/user/profile', headers: { authorization: `Bearer ${token}` } })

t.test('register mails a verification link; pre-verify, verify, validated becomes true, single use', async (t) => {
  const reg = await register('vera@verify.test')
  t.equal(reg.status, 201)
  t.type(reg.body.verificationTokenId, 'string')
  const mail = await lastMailTo(h.app, 'vera@verify.test')
  t.equal(mail?.subject, 'Confirm your email address')
  t.match(mail!.raw, /https:\/\/app\.example\.test\/verify-email\?token=/, 'links use PUBLIC_URL without its trailing slash')
  const token = linkParam(mail!, '/verify-email', 'token')
  t.equal((await profileOf(reg.body.accessToken)).body.data.validated, false, 'unverified users may log in and use the API')

  const pre = await post('/user/pre-verify-email', { token })
  t.same(pre.body, { success: true, message: 'Token is valid', authMethod: 'LOCAL', hasPassword: true })
  const verified = await post('/user/verify-email', { token })
  t.same(verified.body, { success: true, message: 'Email verified successfully' })
  t.equal((await profileOf(reg.body.accessToken)).body.data.validated, true)
  const again = await post('/user/verify-email', { token })
  t.equal(again.status, 400)
  t.equal(again.body.error_code, 'INVALID_TOKEN')
  t.equal((await post('/user/pre-verify-email', { token })).body.error_code, 'INVALID_TOKEN', 'a spent token is no longer good')
})

t.test('resend by verificationTokenId (public) or own user id; the older link stops working', async (t) => {
  const reg = await register('rhea@verify.test')
  const first = linkParam((await lastMailTo(h.app, 'rhea@verify.test'))!, '/verify-email', 'token')
  const resent = await post(`/user/resend-verification/${reg.body.verificationTokenId}`)
  t.same(resent.body, { success: true, message: 'Verification email sent' })
  const second = linkParam((await lastMailTo(h.app, 'rhea@verify.test'))!, '/verify-email', 'token')
  t.not(first, second)
  t.equal((await post('/user/verify-email', { token: first })).body.error_code, 'INVALID_TOKEN')
  const byOwnId = await post(`/user/resend-verification/${reg.body.user.id}`, undefined, {
    authorization: `Bearer ${reg.body.accessToken}`,
  })
  t.equal(byOwnId.status, 200)
  const third = linkParam((await lastMailTo(h.app, 'rhea@verify.test'))!, '/verify-email', 'token')
  t.equal((await post('/user/verify-email', { token: third })).status, 200)
  const done = await post(`/user/resend-verification/${reg.body.verificationTokenId}`)
  t.equal(done.status, 400)
  t.equal(done.body.error_code, 'ALREADY_VERIFIED')
})

t.test('resend: unknown id or another user id is 404', async (t) => {
  for (const id of ['00000000-0000-4000-8000-000000000000', 'not-a-uuid', await h.userId('user@demo.test')]) {
    const res = await post(`/user/resend-verification/${id}`)
    t.equal(res.status, 404, id)
    t.same(res.body, { success: false, message: 'Verification not found' })
  }
})

t.test('verify-email sets a password only for an account without one', async (t) => {
  const user = await h.db.prisma.user.create({ data: { email: 'nopass@verify.test', name: 'N', lastName: 'P', passwordHash: null } })
  await post(`/user/resend-verification/${user.id}`)
  t.equal((await readOutbox(h.app)).filter((m) => m.to.includes('nopass@verify.test')).length, 0, 'a user id needs its own token')
  const { prepareVerificationMail } = await import('../../src/graphql/accountMail.js')
  const mail = await prepareVerificationMail(h.app, h.db.prisma, user)
  mail.send('req-test')
  const token = linkParam((await lastMailTo(h.app, 'nopass@verify.test'))!, '/verify-email', 'token')
  t.equal((await post('/user/pre-verify-email', { token })).body.hasPassword, false)
  t.equal((await post('/user/verify-email', { token, password: 'weak' })).body.error_code, 'WEAK_PASSWORD')
  t.equal((await post('/user/verify-email', { token, password: 'Chosen-Pass-3' })).status, 200)
  t.equal((await post('/user/login', { email: 'nopass@verify.test', password: 'Chosen-Pass-3' })).status, 200)
})

t.test('GraphQL: verifyEmail, preVerifyEmail, resendVerification', async (t) => {
  const reg = await register('gina@verify.test')
  const token = linkParam((await lastMailTo(h.app, 'gina@verify.test'))!, '/verify-email', 'token')
  const pre = await h.graphql('mutation($t: String!) { preVerifyEmail(token: $t) { success hasPassword authMethod } }', { t: token })
  t.same(pre.body.data.preVerifyEmail, { success: true, hasPassword: true, authMethod: 'LOCAL' })
  const resend = await h.graphql('mutation($id: ID!) { resendVerification(id: $id) { success } }', { id: reg.body.verificationTokenId })
  t.equal(resend.body.data.resendVerification.success, true)
  const fresh = linkParam((await lastMailTo(h.app, 'gina@verify.test'))!, '/verify-email', 'token')
  const ok = await h.graphql('mutation($t: String!) { verifyEmail(token: $t) { success message } }', { t: fresh })
  t.equal(ok.body.data.verifyEmail.success, true)
  const bad = await h.graphql('mutation($t: String!) { verifyEmail(token: $t) { success } }', { t: fresh })
  t.equal(bad.body.errors[0].extensions.errorCode, 'INVALID_TOKEN')
})

t.test('MAIL_FEATURES=none: register sends nothing, resend and password reset are 400', async (t) => {
  const off = await buildTestApp(t, { MAIL_FEATURES: 'none' })
  const reg = await off.call({
    method: 'POST',
    url: '/user/register',
    payload: { email: 'quiet@verify.test', password: 'Strong-Pass-1', firstName: 'Q', lastName: 'Q', companyName: 'Q', isBusiness: false },
  })
  t.equal(reg.status, 201)
  t.equal(reg.body.verificationTokenId, null)
  t.same(await readOutbox(off.app), [])
  const resend = await off.call({ method: 'POST', url: `/user/resend-verification/${reg.body.user.id}` })
  t.equal(resend.body.error_code, 'FEATURE_DISABLED')
  const reset = await off.call({ method: 'POST', url: '/user/request-reset-password', payload: { email: 'quiet@verify.test' } })
  t.equal(reset.status, 400)
  t.same(reset.body, { success: false, error_code: 'FEATURE_DISABLED', message: 'Password reset is not enabled on this server' })
})

t.test('rate limit on token redemption', async (t) => {
  const limited = await buildTestApp(t, { RATE_LIMIT_ONE_TIME_TOKEN_PER_ADDRESS: '2' })
  const verify = () => limited.call({ method: 'POST', url: '/user/verify-email', payload: { token: 'guess' } })
  t.equal((await verify()).status, 400)
  t.equal((await verify()).status, 400)
  const third = await verify()
  t.equal(third.status, 429)
  t.equal(third.body.error_code, 'TOO_MANY_ATTEMPTS')
})
