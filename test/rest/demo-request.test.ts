// POST /demo/request and requestDemo: public, rate-limited per address, stored, mailed through the outbox.
import t from 'tap'
import { buildTestApp, type TestApp, type Teardown } from '../helper.js'
import { readOutbox } from '../mail/outbox.js'

/** The app a subtest runs on, with this file's helpers over it: its own (a fresh database) for a subtest that
 * changes data, or one shared by the subtests that only read; so each passes alone and in any order. */
const SETTINGS = {
  DEMO_REQUEST_MAIL_TO: 'sales@example.com',
  DEMO_CALENDAR_URL: 'https://calendar.example.com/demo',
  RATE_LIMIT_DEMO_REQUEST_PER_ADDRESS: '3',
}
let shared: Promise<TestApp> | undefined
const sharedApp = () => (shared ??= buildTestApp(t, SETTINGS))
async function given(where: Teardown | 'shared') {
  const h = where === 'shared' ? await sharedApp() : await buildTestApp(where, SETTINGS)
  const ask = (payload: unknown, remoteAddress: string, headers: Record<string, string> = {}) =>
    h.call({ method: 'POST', url: '/demo/request', payload: payload as object, remoteAddress, headers })
  const stored = (email: string) => h.db.prisma.demoRequest.findMany({ where: { email }, orderBy: { createdAt: 'asc' } })
  return { h, ask, stored }
}

t.test('a request is answered with the calendar link, stored, and mailed to the configured address', async (t) => {
  const { h, ask, stored } = await given(t)
  const res = await ask({ userId: 'client-user-1', email: ' Ada@Example.com ', name: ' Ada ' }, '10.0.0.1')
  t.equal(res.status, 200)
  t.equal(res.headers['content-type'], 'application/json; charset=utf-8')
  t.same(res.body, { success: true, calendarUrl: 'https://calendar.example.com/demo' })
  const rows = await stored('ada@example.com')
  t.equal(rows.length, 1)
  t.match(rows[0], { email: 'ada@example.com', name: 'Ada', reportedUserId: 'client-user-1', userId: null, ipAddress: '10.0.0.1' })
  const mails = (await readOutbox(h.app)).filter((m) => m.to.includes('sales@example.com'))
  t.equal(mails.length, 1, 'one mail to the team')
  t.equal(mails[0]!.subject, 'Demo request from Ada')
  t.match(mails[0]!.raw, /Email: ada@example\.com/)
  t.match(mails[0]!.raw, /User id \(as reported\): client-user-1/)
})

t.test('a signed-in caller is recorded from its token; a token that is not ours is ignored (public route)', async (t) => {
  const { h, ask, stored } = await given(t)
  const token = await h.tokenFor('user@demo.test')
  const signed = await ask({ email: 'signed@example.com', name: 'Sig' }, '10.0.0.2', { authorization: `Bearer ${token}` })
  t.equal(signed.status, 200)
  t.equal((await stored('signed@example.com'))[0]!.userId, await h.userId('user@demo.test'))
  const foreign = await ask({ email: 'foreign@example.com', name: 'For' }, '10.0.0.2', { authorization: 'Bearer not-our-token' })
  t.equal(foreign.status, 200)
  t.equal((await stored('foreign@example.com'))[0]!.userId, null)
})

t.test('rate-limited per address: 429 TOO_MANY_ATTEMPTS with Retry-After, nothing stored or mailed', async (t) => {
  const { h, ask, stored } = await given(t)
  const before = (await readOutbox(h.app)).length
  for (let i = 0; i < 3; i++) t.equal((await ask({ email: `burst${i}@example.com`, name: 'Burst' }, '10.0.0.3')).status, 200)
  const refused = await ask({ email: 'burst3@example.com', name: 'Burst' }, '10.0.0.3')
  t.equal(refused.status, 429)
  t.same(refused.body, { success: false, error_code: 'TOO_MANY_ATTEMPTS', message: 'Too many attempts, try again later' })
  t.ok(Number(refused.headers['retry-after']) >= 1, 'Retry-After says when')
  t.equal((await stored('burst3@example.com')).length, 0)
  t.equal((await readOutbox(h.app)).length, before + 3)
  t.equal((await ask({ email: 'other@example.com', name: 'Other' }, '10.0.0.4')).status, 200, 'another address is counted apart')
})

t.test('bad input: 400 with a clear message, nothing stored', async (t) => {
  const { h, ask } = await given('shared')
  const cases: [unknown, string][] = [
    [{ email: 'not-an-address', name: 'X' }, 'Invalid email address'],
    [{ email: 'x@example.com', name: '   ' }, 'name must not be empty'],
    [{ email: 'x@example.com', name: 'n'.repeat(101) }, 'name must be at most 100 characters long'],
    [{ email: 'x@example.com', name: 'X', userId: 'u'.repeat(101) }, 'userId must be at most 100 characters long'],
    [{ email: 'x@example.com' }, 'Missing required field: name'],
    [{ email: 'x@example.com', name: 'X', extra: 1 }, 'Unknown field: extra'],
    [{ email: 'x@example.com', name: 7 }, 'name must be a string'],
  ]
  let address = 10
  for (const [payload, message] of cases) {
    const res = await ask(payload, `10.0.1.${address++}`)
    t.equal(res.status, 400, message)
    t.same(res.body, { success: false, message }, message)
  }
  t.equal(await h.db.prisma.demoRequest.count({ where: { email: 'x@example.com' } }), 0)
})

t.test('GraphQL requestDemo; without DEMO_REQUEST_MAIL_TO nothing is mailed and calendarUrl is null', async (t) => {
  const bare = await buildTestApp(t)
  const res = await bare.graphql('mutation { requestDemo(input: { email: "g@example.com", name: "Gee" }) { success calendarUrl } }')
  t.same(res.body, { data: { requestDemo: { success: true, calendarUrl: null } } })
  t.equal(await bare.db.prisma.demoRequest.count({ where: { email: 'g@example.com' } }), 1, 'stored')
  t.same(await readOutbox(bare.app), [], 'no mail')
})
