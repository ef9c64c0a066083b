// Invitation mail is no spam or phishing relay (limits per recipient, sender and organization in the shared
// limiter, a verified sender, user-chosen text out of the subject and quoted in the body); accepting an
// invitation ends the sessions opened with the inviter's password; resendInvitation follows the rank rule.
import t from 'tap'
import { buildTestApp, untilReady, type Teardown, type TestApp } from '../helper.js'
import { lastMailTo, linkParam, readOutbox } from '../mail/outbox.js'
import { REDIS_URL, redisAnswers, uniquePrefix } from '../auth/limitsScenario.js'

const TOO_MANY = { success: false, error_code: 'TOO_MANY_ATTEMPTS', message: 'Too many invitation mails, try again later' }
const NOT_VERIFIED = { success: false, error_code: 'SENDER_NOT_VERIFIED', message: 'Verify your email address before sending invitations' }
const CANNOT_INVITE = { success: false, message: 'Insufficient permissions to invite users' }

/** A gateway counting in the machine's Redis under a prefix of its own (deleted afterwards). */
async function redisApp(t: Teardown, env: Record<string, string> = {}, prefix = uniquePrefix(t)) {
  const h = await buildTestApp(t, { REDIS_URL, RATE_LIMIT_KEY_PREFIX: prefix, REDIS_COMMAND_TIMEOUT_MS: '2000', ...env })
  await untilReady(h.app)
  return h
}

const post = (h: TestApp, url: string, payload?: object, as?: string) => h.call({ method: 'POST', url, payload, as })
const create = (h: TestApp, as: string, email: string, extra: object = {}) =>
  post(h, '/organization/users', { email, password: 'Initial-Pass-1', firstName: 'Ivy', lastName: 'Invited', ...extra }, as)
const resend = (h: TestApp, as: string, id: string) => post(h, `/organization/users/${id}/resend-invitation`, undefined, as)
const mailsTo = async (h: TestApp, email: string) => (await readOutbox(h.app)).filter((m) => m.to.includes(email)).length

t.test('invitation mail limits (shared limiter in Redis)', async (t) => {
  if (!(await redisAnswers(t))) return

  t.test('per recipient: 3 mails an hour, sendInvite and resends alike; then 429 with Retry-After', async (t) => {
    const h = await redisApp(t)
    const created = await create(h, 'owner@demo.test', 'target-1@demo.test', { sendInvite: true })
    t.equal(created.status, 201)
    const id = created.body.data.id
    t.equal((await resend(h, 'owner@demo.test', id)).status, 200)
    t.equal((await resend(h, 'admin@demo.test', id)).status, 200, 'another sender, the same recipient')
    const refused = await resend(h, 'workspaces@demo.test', id)
    t.same([refused.status, refused.body], [429, TOO_MANY])
    const retryAfter = Number(refused.headers['retry-after'])
    t.ok(retryAfter > 0 && retryAfter <= 3600, `Retry-After: ${retryAfter}`)
    t.equal(await mailsTo(h, 'target-1@demo.test'), 3, 'three mails reached the inbox, no more')
    const blockedCreate = await create(h, 'owner@demo.test', 'TARGET-1@demo.test', { sendInvite: true })
    t.equal(blockedCreate.status, 400, 'the address is taken anyway')
    const other = await create(h, 'owner@demo.test', 'target-2@demo.test', { sendInvite: true })
    t.equal(other.status, 201, 'another recipient is not limited')
  })

  t.test('20 aliases in one document count as 20 mails: the first 3 are sent, the 4th is refused', async (t) => {
    const h = await redisApp(t)
    const id = (await create(h, 'owner@demo.test', 'aliased@demo.test')).body.data.id
    t.equal(await mailsTo(h, 'aliased@demo.test'), 0, 'created without sendInvite: no mail, nothing counted')
    const aliases = Array.from({ length: 20 }, (_, i) => `a${i}: resendInvitation(id: $id) { success }`).join(' ')
    const document = `mutation ($id: ID!) { ${aliases} }`
    for (const round of [1, 2]) {
      const res = await h.graphql(document, { id }, 'owner@demo.test')
      // Root mutation fields run one after another and are non-null: the first refusal ends the document.
      t.equal(res.body.data, null, `round ${round}`)
      t.ok(res.body.errors.length >= 1)
      for (const error of res.body.errors) {
        t.match(error, { message: TOO_MANY.message, extensions: { code: 'RATE_LIMITED', errorCode: 'TOO_MANY_ATTEMPTS' } })
      }
    }
    t.equal(await mailsTo(h, 'aliased@demo.test'), 3, 'three mails over two documents of 20 aliases')
  })

  t.test('per sender and per organization; counted by every gateway on the same Redis', async (t) => {
    const prefix = uniquePrefix(t)
    const env = { RATE_LIMIT_INVITATION_PER_SENDER: '2', RATE_LIMIT_INVITATION_PER_ORGANIZATION: '3' }
    const one = await redisApp(t, env, prefix)
    const two = await redisApp(t, env, prefix)
    // Two gateways, one Redis: the seeded ids are the same in both databases, so the sender and organization keys are shared.
    t.equal(await one.userId('owner@demo.test'), await two.userId('owner@demo.test'))
    t.equal((await create(one, 'owner@demo.test', 's1@demo.test', { sendInvite: true })).status, 201)
    t.equal((await create(two, 'owner@demo.test', 's2@demo.test', { sendInvite: true })).status, 201)
    const third = await create(one, 'owner@demo.test', 's3@demo.test', { sendInvite: true })
    t.same([third.status, third.body], [429, TOO_MANY], 'the sender’s third mail, on the other gateway')
    t.equal(await one.db.prisma.user.count({ where: { email: 's3@demo.test' } }), 0, 'over a limit nobody is created')
    t.equal((await create(two, 'admin@demo.test', 's4@demo.test', { sendInvite: true })).status, 201, 'another sender')
    const full = await create(one, 'workspaces@demo.test', 's5@demo.test', { sendInvite: true })
    t.same([full.status, full.body], [429, TOO_MANY], 'the organization’s fourth mail, whoever sends it')
    t.equal((await create(one, 'workspaces@demo.test', 's6@demo.test')).status, 201, 'without a mail nothing is limited')
    t.equal((await create(two, 'owner@other.test', 's7@demo.test', { sendInvite: true })).status, 201, 'another organization')
  })
})

t.test('a sender with an unverified address mails nobody: 403 SENDER_NOT_VERIFIED until verified', async (t) => {
  const h = await buildTestApp(t)
  const reg = await post(h, '/user/register', {
    email: 'fresh.owner@example.test',
    password: 'Strong-Pass-1',
    firstName: 'Fresh',
    lastName: 'Owner',
    companyName: 'Fresh Co',
    isBusiness: true,
  })
  t.equal(reg.status, 201)
  const owner = 'fresh.owner@example.test'
  const refused = await create(h, owner, 'victim@example.test', { sendInvite: true })
  t.same([refused.status, refused.body], [403, NOT_VERIFIED])
  t.equal(await h.db.prisma.user.count({ where: { email: 'victim@example.test' } }), 0, 'nobody created')
  const quiet = await create(h, owner, 'victim@example.test')
  t.equal(quiet.status, 201, 'adding a user without a mail is allowed')
  const again = await resend(h, owner, quiet.body.data.id)
  t.same([again.status, again.body], [403, NOT_VERIFIED])
  const gql = await h.graphql('mutation ($id: ID!) { resendInvitation(id: $id) { success } }', { id: quiet.body.data.id }, owner)
  t.match(gql.body.errors[0], { message: NOT_VERIFIED.message, extensions: { code: 'FORBIDDEN', errorCode: 'SENDER_NOT_VERIFIED' } })
  t.equal(await mailsTo(h, 'victim@example.test'), 0, 'no mail reached the address')

  const token = linkParam((await lastMailTo(h.app, owner))!, '/verify-email', 'token')
  t.equal((await post(h, '/user/verify-email', { token })).status, 200)
  t.equal((await resend(h, owner, quiet.body.data.id)).status, 200, 'verified: the invitation goes out')
  t.equal(await mailsTo(h, 'victim@example.test'), 1)
})

t.test('the organization’s and invitee’s names stay out of the subject; in the body quoted, bounded, not links', async (t) => {
  const h = await buildTestApp(t)
  const lure = 'Your account will be deleted today, confirm at https://evil.example/confirm'
  const id = await h.userId('owner@demo.test')
  const demo = (await h.db.prisma.user.findUniqueOrThrow({ where: { id }, select: { orgId: true } })).orgId!
  const renamed = await h.call({
    method: 'PUT',
    url: `/organization/${demo}`,
    payload: { name: `${lure} "now" ${'x'.repeat(100)}` },
    as: 'owner@demo.test',
  })
  t.equal(renamed.status, 200)
  const created = await create(h, 'owner@demo.test', 'phished@example.test', { sendInvite: true, firstName: 'see www.evil.example' })
  t.equal(created.status, 201)
  const mail = (await lastMailTo(h.app, 'phished@example.test'))!
  t.equal(mail.subject, 'You have been invited to join an organization')
  t.notMatch(mail.raw, /evil\.example/, 'no URL or domain a mail client would make a link of')
  t.notMatch(mail.raw, /"now"/, 'the quote cannot be closed early')
  t.match(mail.raw, 'Its name, as its members wrote it: "Your account will be deleted today, confirm at https[:]//evil..."')
  t.match(mail.raw, 'The name they gave you: "see www[.]evil[.]example"')
  const quoted = /as its members wrote it: "([^"]*)"/.exec(mail.raw)![1]!
  t.ok(quoted.length <= 70, `bounded: ${quoted.length} characters`)
  t.notMatch(mail.raw, /<a href="(?!http:\/\/localhost)/, 'the only link is the invitation’s')
})

t.test('accepting an invitation ends the sessions opened with the inviter’s password', async (t) => {
  const h = await buildTestApp(t)
  const created = await create(h, 'owner@demo.test', 'newbie@demo.test', { sendInvite: true })
  const uid = created.body.data.id
  const token = linkParam((await lastMailTo(h.app, 'newbie@demo.test'))!, '/activate', 'token')
  // The inviter knows the first password and logs in with it before the invitee accepts.
  const early = await post(h, '/user/login', { email: 'newbie@demo.test', password: 'Initial-Pass-1' })
  t.equal(early.status, 200)
  const activated = await post(h, '/user/activate', { uid, token, registrationInfo: { password: 'Own-Choice-22' } })
  t.equal(activated.status, 200)
  const asEarly = await h.call({ method: 'GET', url: '/user/profile', headers: { authorization: `Bearer ${early.body.accessToken}` } })
  t.equal(asEarly.status, 401, 'the earlier access token is dead')
  t.equal((await post(h, '/user/refresh', { refreshToken: early.body.refreshToken })).status, 401, 'and its refresh token')
  const session = await h.db.prisma.session.findUniqueOrThrow({ where: { id: early.body.tokenId } })
  t.equal(session.revokedReason, 'invitation_accepted')
  const asNew = await h.call({ method: 'GET', url: '/user/profile', headers: { authorization: `Bearer ${activated.body.accessToken}` } })
  t.equal(asNew.status, 200, 'the session activation started lives')
  t.equal((await post(h, '/user/login', { email: 'newbie@demo.test', password: 'Initial-Pass-1' })).status, 401, 'the old password is gone')
})

t.test('resendInvitation follows the rank rule: only for members the caller outranks', async (t) => {
  const h = await buildTestApp(t)
  const invitee = async (email: string, orgRole: number) => (await create(h, 'owner@demo.test', email, { orgRole })).body.data.id as string
  const admin = await invitee('new.admin@demo.test', 254)
  const peer = await invitee('new.workspaces@demo.test', 2)
  const billing = await invitee('new.billing@demo.test', 1)
  for (const [as, id, status] of [
    ['workspaces@demo.test', admin, 403],
    ['workspaces@demo.test', peer, 403],
    ['workspaces@demo.test', billing, 200],
    ['admin@demo.test', admin, 403],
    ['admin@demo.test', peer, 200],
    ['owner@demo.test', admin, 200],
  ] as const) {
    const res = await resend(h, as, id)
    t.equal(res.status, status, `${as} → ${id === admin ? 'ADMINISTRATORS' : id === peer ? 'WORKSPACES' : 'BILLING'}`)
    if (status === 403) t.same(res.body, CANNOT_INVITE)
  }
  const gql = await h.graphql('mutation ($id: ID!) { resendInvitation(id: $id) { success } }', { id: admin }, 'workspaces@demo.test')
  t.match(gql.body.errors[0], { message: CANNOT_INVITE.message, extensions: { code: 'FORBIDDEN' } })
  t.equal(await mailsTo(h, 'new.admin@demo.test'), 1, 'only the owner’s resend was mailed')
})
