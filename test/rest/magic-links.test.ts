// Magic links as a second factor: enable, then a password login's limited token asks for a link (mailed to the
// outbox, quoted-printable), and the link's token with the same limited token starts the session.
import t from 'tap'
import { buildTestApp, type Teardown } from '../helper.js'
import { lastMailTo, linkParam, readOutbox } from '../mail/outbox.js'

const PASSWORD = 'Demo-Password-1'
const bearer = (token: string) => ({ authorization: `Bearer ${token}` })

async function given(where: Teardown, env: Record<string, string> = {}) {
  const h = await buildTestApp(where, env)
  const call = (method: 'GET' | 'POST', url: string, token: string | undefined, payload?: object) =>
    h.call({ method, url, payload, headers: token ? bearer(token) : {} })
  const pending = async (email: string) =>
    (await h.call({ method: 'POST', url: '/user/login', payload: { email, password: PASSWORD } })).body.accessToken as string
  /** Turns magic links on for `email` with a fresh full session. */
  async function enable(email: string) {
    const res = await call('POST', '/mfa/enable', await h.tokenFor(email), { mfaType: 'MAGIC_LINK' })
    t.same(res.body, { success: true, message: 'MFA enabled successfully' })
  }
  /** Sends a link for the login of `limited` and reads its token from the newest mail to `email`. */
  async function linkFor(limited: string, email: string) {
    const sent = await call('POST', '/mfa/magic-link/send', limited)
    t.same(sent.body, {
      success: true,
      message: 'Magic link sent to your email address',
      data: { message: 'Magic link sent to your email address' },
    })
    const mail = await lastMailTo(h.app, email)
    if (!mail) throw new Error(`no mail to ${email}`)
    return { mail, token: linkParam(mail, '/mfa/magic-link', 'token') }
  }
  return { h, call, pending, enable, linkFor }
}

t.test('enable, log in, send, activate: a full session; the link works once', async (t) => {
  const { h, call, pending, enable, linkFor } = await given(t)
  await enable('user@demo.test')
  const status = await call('GET', '/mfa/status', await h.tokenFor('user@demo.test'))
  t.match(status.body.data, { isEnabled: true, enabledMethods: ['MAGIC_LINK'], primaryMethod: 'MAGIC_LINK' })
  const limited = await pending('user@demo.test')
  t.equal((await call('GET', '/user/profile', limited)).status, 401, 'the limited token opens nothing else')
  const { mail, token } = await linkFor(limited, 'user@demo.test')
  t.match(mail.subject, /sign-in link/)
  t.match(mail.raw, /works once, for 5 minutes/)
  t.notOk(JSON.stringify(await h.db.prisma.mfaChallenge.findMany()).includes(token), 'only a hash of the link is stored')
  const ok = await call('POST', '/mfa/magic-link/activate', limited, { token })
  t.equal(ok.status, 200)
  t.match(ok.body, {
    success: true,
    message: 'MFA verification successful',
    fullAccessToken: String,
    refreshToken: String,
    tokenId: String,
  })
  t.equal((await call('GET', '/user/profile', ok.body.fullAccessToken)).body.data.email, 'user@demo.test')
  const again = await call('POST', '/mfa/magic-link/activate', limited, { token })
  t.equal(again.status, 400)
  t.same(again.body, { success: false, error_code: 'INVALID_MAGIC_LINK', message: 'The magic link is invalid or has expired' })
  // verify-login with MAGIC_LINK and the token does the same.
  const second = await pending('user@demo.test')
  const link2 = await linkFor(second, 'user@demo.test')
  const viaVerify = await call('POST', '/mfa/verify-login', second, { mfaType: 'MAGIC_LINK', token: link2.token })
  t.equal(viaVerify.status, 200)
  t.type(viaVerify.body.refreshToken, 'string')
})

t.test('a link is bound to its login, expires, and is replaced by a newer one', async (t) => {
  const { h, call, pending, enable, linkFor } = await given(t)
  await enable('user@demo.test')
  const a = await pending('user@demo.test')
  const b = await pending('user@demo.test')
  const { token } = await linkFor(a, 'user@demo.test')
  const crossed = await call('POST', '/mfa/magic-link/activate', b, { token })
  t.equal(crossed.body.error_code, 'INVALID_MAGIC_LINK', 'sent for another login')
  const full = await h.tokenFor('user@demo.test')
  t.equal((await call('POST', '/mfa/magic-link/activate', full, { token })).status, 401, 'a full session has nothing to activate')
  t.equal((await call('POST', '/mfa/magic-link/activate', undefined, { token })).status, 401, 'nor does an anonymous caller')
  t.equal(
    (await call('POST', '/mfa/magic-link/activate', a, { token })).status,
    200,
    'the right login still works (not spent by the refusals)',
  )

  const c = await pending('user@demo.test')
  const older = await linkFor(c, 'user@demo.test')
  const newer = await linkFor(c, 'user@demo.test')
  t.equal(
    (await call('POST', '/mfa/magic-link/activate', c, { token: older.token })).body.error_code,
    'INVALID_MAGIC_LINK',
    'replaced by the newer link',
  )
  await h.db.prisma.mfaChallenge.updateMany({
    where: { purpose: 'magic_link', usedAt: null },
    data: { expiresAt: new Date(Date.now() - 1000) },
  })
  t.equal((await call('POST', '/mfa/magic-link/activate', c, { token: newer.token })).body.error_code, 'INVALID_MAGIC_LINK', 'expired')
  const junk = await call('POST', '/mfa/magic-link/activate', c, { token: 'x'.repeat(10_000) })
  t.equal(junk.status, 400)
  t.equal((await call('POST', '/mfa/magic-link/activate', c, {})).status, 400, 'token is required')
})

t.test('sending is limited per user; wrong tokens count as code attempts', async (t) => {
  const { call, pending, enable, h } = await given(t)
  await enable('user@demo.test')
  const limited = await pending('user@demo.test')
  const statuses: number[] = []
  for (let i = 0; i < 4; i++) statuses.push((await call('POST', '/mfa/magic-link/send', limited)).status)
  t.same(statuses, [200, 200, 200, 429], '3 mails per 15 minutes')
  const mails = (await readOutbox(h.app)).filter((m) => m.to.includes('user@demo.test') && /sign-in link/.test(m.subject))
  t.equal(mails.length, 3, 'no mail past the limit')
  const wrong: number[] = []
  for (let i = 0; i < 6; i++) wrong.push((await call('POST', '/mfa/magic-link/activate', limited, { token: `wrong-${i}` })).status)
  t.same(wrong, [400, 400, 400, 400, 400, 429])
})

t.test('enabling needs a verified address and a recent sign-in; without MAGIC_LINK no link is sent; disable', async (t) => {
  const { h, call, pending, enable } = await given(t)
  const userId = await h.userId('user@demo.test')
  await h.db.prisma.user.update({ where: { id: userId }, data: { validated: false } })
  const token = await h.tokenFor('user@demo.test')
  const unverified = await call('POST', '/mfa/enable', token, { mfaType: 'MAGIC_LINK' })
  t.equal(unverified.body.error_code, 'EMAIL_NOT_VERIFIED')
  await h.db.prisma.user.update({ where: { id: userId }, data: { validated: true } })
  await h.db.prisma.session.updateMany({ where: { userId }, data: { credentialsProvenAt: new Date(Date.now() - 3600_000) } })
  const stale = await call('POST', '/mfa/enable', token, { mfaType: 'MAGIC_LINK' })
  t.equal(stale.body.error_code, 'REAUTHENTICATION_REQUIRED')
  t.equal((await call('POST', '/mfa/enable', token, { mfaType: 'MAGIC_LINK', currentPassword: PASSWORD })).status, 200)
  t.equal((await call('GET', '/user/profile', token)).body.data.mfaRequired, true)

  // Disabled, and no other factor: login needs none. With only a passkey, no link is sent.
  await enable('admin@demo.test')
  const disabled = await call('POST', '/mfa/disable', await h.tokenFor('admin@demo.test'), { mfaType: 'MAGIC_LINK' })
  t.same(disabled.body, { success: true, message: 'MFA disabled successfully' })
  const login = await h.call({ method: 'POST', url: '/user/login', payload: { email: 'admin@demo.test', password: PASSWORD } })
  t.equal(login.body.mfaRequired, false, 'no second factor left')
  await h.db.prisma.passkeyCredential.create({
    data: { userId: await h.userId('admin@demo.test'), credentialId: 'AAAA', publicKey: Buffer.alloc(1), name: 'x' },
  })
  const passkeyOnly = await pending('admin@demo.test')
  const refused = await call('POST', '/mfa/magic-link/send', passkeyOnly)
  t.equal(refused.status, 400)
  t.equal(refused.body.error_code, 'MFA_NOT_ENABLED')
  t.equal((await call('POST', '/mfa/magic-link/send', await h.tokenFor('owner@demo.test'))).status, 401, 'a full session sends no link')
})

t.test('MAIL_FEATURES without magic-links: not offered, not enabled, not sent', async (t) => {
  const { h, call } = await given(t, { MAIL_FEATURES: 'password-reset' })
  const token = await h.tokenFor('user@demo.test')
  t.same((await call('GET', '/mfa/methods', token)).body.data, ['GOOGLE_AUTH', 'PASSKEY'])
  const res = await call('POST', '/mfa/enable', token, { mfaType: 'MAGIC_LINK' })
  t.equal(res.status, 400)
  t.equal(res.body.error_code, 'FEATURE_DISABLED')
})

t.test('GraphQL: sendMfaMagicLink and activateMfaMagicLink with the limited token', async (t) => {
  const { h, pending, enable } = await given(t)
  await enable('user@demo.test')
  const limited = await pending('user@demo.test')
  const gql = (query: string, variables = {}) =>
    h.call({ method: 'POST', url: '/graphql', headers: bearer(limited), payload: { query, variables } })
  const sent = await gql('mutation { sendMfaMagicLink { success message } }')
  t.same(sent.body, { data: { sendMfaMagicLink: { success: true, message: 'Magic link sent to your email address' } } })
  const token = linkParam((await lastMailTo(h.app, 'user@demo.test'))!, '/mfa/magic-link', 'token')
  const done = await gql('mutation($t: String!) { activateMfaMagicLink(token: $t) { fullAccessToken } }', { t: token })
  t.type(done.body.data.activateMfaMagicLink.fullAccessToken, 'string')
  const other = await gql('{ me { email } }')
  t.equal(other.status, 401, 'anything else is refused with the limited token')
})
