// POST /user/request-reset-password and /user/reset-password, and their mutations: the outbox flow end to end.
import t from 'tap'
import { buildTestApp } from '../helper.js'
import { lastMailTo, linkParam, readOutbox } from '../mail/outbox.js'

const NEW_PASSWORD = 'Brand-New-Pass-9'
const logLines: string[] = []
const h = await buildTestApp(t, { LOG_LEVEL: 'info' }, { logStream: { write: (line) => void logLines.push(line) } })
const post = (url: string, payload?: object, headers: Record<string, string> = {}) => h.call({ method: 'POST', url, payload, headers })
const login = (email: string, password: string) => post('/user/login', { email, password })

t.test('REST: request, mail, reset, old sessions ended, new password works, token single-use', async (t) => {
  const logFrom = logLines.length // the app is the file's: other subtests' mail is logged too
  const before = await login('user@demo.test', 'Demo-Password-1')
  t.equal(before.status, 200)
  const asked = await post('/user/request-reset-password', { email: ' User@Demo.test ' }, { 'x-request-id': 'reset-req-42' })
  t.equal(asked.status, 200)
  t.same(asked.body, { success: true, message: 'If an account exists for this email, a password reset link has been sent' })
  const mail = await lastMailTo(h.app, 'user@demo.test')
  t.ok(mail, 'a mail is in the outbox')
  t.equal(mail!.subject, 'Reset your password')
  t.match(mail!.raw, /http:\/\/localhost:3000\/reset-password\?token=/, 'the link uses PUBLIC_URL')
  const token = linkParam(mail!, '/reset-password', 'token')
  t.notOk(
    logLines.some((l) => l.includes(token)),
    'the token never reaches the log',
  )
  const mailLines = logLines
    .slice(logFrom)
    .map((l) => JSON.parse(l))
    .filter((l) => l.msg === 'mail written to the outbox')
  t.equal(mailLines.length, 1, 'the mail is logged')
  t.match(
    mailLines[0],
    { reqId: 'reset-req-42', mail: 'password-reset', component: 'mail' },
    'with the id of the request that asked for it',
  )
  t.notOk(/user@demo\.test/i.test(JSON.stringify(mailLines)), "without the recipient's address")
  const stored = await h.db.prisma.oneTimeToken.findMany({ where: { purpose: 'password_reset' } })
  t.notOk(JSON.stringify(stored).includes(token), 'only a hash is stored')

  const weak = await post('/user/reset-password', { token, newPassword: 'short' })
  t.equal(weak.status, 400)
  t.equal(weak.body.error_code, 'WEAK_PASSWORD')
  const tooLong = 'Aa1' + 'x'.repeat(1022) // 1,025 characters
  const long = await post('/user/reset-password', { token, newPassword: tooLong })
  const atRegister = await post('/user/register', {
    email: `reset-long-${Date.now()}@example.test`,
    password: tooLong,
    firstName: 'Long',
    lastName: 'Password',
    companyName: 'Long Ltd',
    isBusiness: false,
  })
  t.equal(long.status, 400)
  t.same(long.body, { success: false, error_code: 'INVALID_REQUEST', message: 'Password must be at most 1024 characters long' })
  t.same(long.body, atRegister.body, 'the same answer as register gives')

  const reset = await post('/user/reset-password', { token, newPassword: NEW_PASSWORD })
  t.same(reset.body, { success: true, message: 'Password has been reset successfully' })
  const profile = await h.call({ method: 'GET', url: '/user/profile', headers: { authorization: `Bearer ${before.body.accessToken}` } })
  t.equal(profile.status, 401, 'every earlier session ended')
  const refresh = await post('/user/refresh', { refreshToken: before.body.refreshToken })
  t.equal(refresh.status, 401)
  t.equal((await login('user@demo.test', 'Demo-Password-1')).status, 401, 'the old password is gone')
  t.equal((await login('user@demo.test', NEW_PASSWORD)).status, 200, 'the new one works')

  const again = await post('/user/reset-password', { token, newPassword: 'Another-Pass-77' })
  t.equal(again.status, 400)
  t.same(again.body, { success: false, error_code: 'INVALID_TOKEN', message: 'Invalid or expired token' })
})

t.test('the same answer for an unknown or deactivated account, and no mail', async (t) => {
  const count = (await readOutbox(h.app)).length
  for (const email of ['nobody@demo.test', 'deleted@demo.test']) {
    const res = await post('/user/request-reset-password', { email })
    t.equal(res.status, 200)
    t.same(res.body, { success: true, message: 'If an account exists for this email, a password reset link has been sent' })
  }
  t.equal((await readOutbox(h.app)).length, count, 'nothing was sent')
})

t.test('a newer request supersedes the older token; an expired token is refused', async (t) => {
  await post('/user/request-reset-password', { email: 'billing@demo.test' })
  const first = linkParam((await lastMailTo(h.app, 'billing@demo.test'))!, '/reset-password', 'token')
  await post('/user/request-reset-password', { email: 'billing@demo.test' })
  const second = linkParam((await lastMailTo(h.app, 'billing@demo.test'))!, '/reset-password', 'token')
  t.not(first, second)
  t.equal((await post('/user/reset-password', { token: first, newPassword: NEW_PASSWORD })).body.error_code, 'INVALID_TOKEN')
  await h.db.prisma.oneTimeToken.updateMany({
    where: { purpose: 'password_reset', usedAt: null },
    data: { expiresAt: new Date(Date.now() - 1000) },
  })
  t.equal((await post('/user/reset-password', { token: second, newPassword: NEW_PASSWORD })).body.error_code, 'INVALID_TOKEN')
})

t.test('bad input: 400 in the envelope, never 500', async (t) => {
  const cases: [string, object | undefined, string][] = [
    ['/user/request-reset-password', { email: 'not-an-email' }, 'INVALID_EMAIL'],
    ['/user/request-reset-password', {}, 'INVALID_REQUEST'],
    ['/user/request-reset-password', { email: 42 }, 'INVALID_REQUEST'],
    ['/user/reset-password', { token: 'x' }, 'INVALID_REQUEST'],
    ['/user/reset-password', { token: 'x'.repeat(10_000), newPassword: NEW_PASSWORD }, 'INVALID_TOKEN'],
    ['/user/reset-password', { token: 'made-up', newPassword: NEW_PASSWORD }, 'INVALID_TOKEN'],
  ]
  for (const [url, payload, code] of cases) {
    const res = await post(url, payload)
    t.equal(res.status, 400, `${url} ${JSON.stringify(payload).slice(0, 40)}`)
    t.equal(res.body.error_code, code)
    t.equal(res.body.success, false)
  }
})

t.test('GraphQL: requestPasswordReset and resetPassword', async (t) => {
  const asked = await h.graphql('mutation($e: String!) { requestPasswordReset(email: $e) { success message } }', { e: 'admin@demo.test' })
  t.equal(asked.body.data.requestPasswordReset.success, true)
  const token = linkParam((await lastMailTo(h.app, 'admin@demo.test'))!, '/reset-password', 'token')
  const bad = await h.graphql('mutation($t: String!, $p: String!) { resetPassword(token: $t, newPassword: $p) { success } }', {
    t: 'nope',
    p: NEW_PASSWORD,
  })
  t.equal(bad.body.errors[0].extensions.code, 'BAD_USER_INPUT')
  t.equal(bad.body.errors[0].extensions.errorCode, 'INVALID_TOKEN')
  const ok = await h.graphql('mutation($t: String!, $p: String!) { resetPassword(token: $t, newPassword: $p) { success message } }', {
    t: token,
    p: NEW_PASSWORD,
  })
  t.same(ok.body.data.resetPassword, { success: true, message: 'Password has been reset successfully' })
  t.equal((await login('admin@demo.test', NEW_PASSWORD)).status, 200)
})

t.test('rate limits: per account and per address, 429 with Retry-After', async (t) => {
  const limited = await buildTestApp(t, { RATE_LIMIT_PASSWORD_RESET_PER_ACCOUNT: '2', RATE_LIMIT_ONE_TIME_TOKEN_PER_ADDRESS: '3' })
  const ask = () => limited.call({ method: 'POST', url: '/user/request-reset-password', payload: { email: 'owner@demo.test' } })
  t.equal((await ask()).status, 200)
  t.equal((await ask()).status, 200)
  const third = await ask()
  t.equal(third.status, 429)
  t.equal(third.body.error_code, 'TOO_MANY_ATTEMPTS')
  t.ok(Number(third.headers['retry-after']) > 0)
  for (let i = 0; i < 3; i++) {
    t.equal(
      (await limited.call({ method: 'POST', url: '/user/reset-password', payload: { token: 'guess', newPassword: NEW_PASSWORD } })).status,
      400,
    )
  }
  const guess = await limited.call({ method: 'POST', url: '/user/reset-password', payload: { token: 'guess', newPassword: NEW_PASSWORD } })
  t.equal(guess.status, 429)
})
