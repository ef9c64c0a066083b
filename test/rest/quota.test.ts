// GET /user/quota and GraphQL quota: the active subscription, usage per capability, byte counts > 2^31.
import t from 'tap'
import { buildTestApp, type TestApp, type Teardown } from '../helper.js'
import { periodStartOf } from '../../src/domain/quota.js'

const GRAPHQL_QUOTA = `{ quota { subscription { id name description }
  quotaUsage { capability { id code description type periodType } usage { current max percentage } } } }`

/** The app a subtest runs on, with this file's helpers over it: its own (a fresh database) for a subtest that
 * changes data, or one shared by the subtests that only read; so each passes alone and in any order. */
let shared: Promise<TestApp> | undefined
const sharedApp = () => (shared ??= buildTestApp(t))
async function given(where: Teardown | 'shared') {
  const h = where === 'shared' ? await sharedApp() : await buildTestApp(where)
  const quota = (as?: string) => h.call({ method: 'GET', url: '/user/quota', as })
  const orgOf = async (email: string) => (await h.db.prisma.user.findUniqueOrThrow({ where: { email } })).orgId!
  const storage = await h.db.prisma.capability.findUniqueOrThrow({ where: { code: 'STORAGE_TOTAL_BYTES' } })
  const egress = await h.db.prisma.capability.findUniqueOrThrow({ where: { code: 'EGRESS_MONTHLY_BYTES' } })
  const setUsage = async (orgId: string, capabilityId: string, periodStart: Date, current: bigint) =>
    h.db.prisma.capabilityUsage.upsert({
      where: { orgId_capabilityId_periodStart: { orgId, capabilityId, periodStart } },
      create: { orgId, capabilityId, periodStart, current },
      update: { current },
    })
  return { h, quota, orgOf, storage, egress, setUsage }
}

t.test('200: the subscription and each capability with its usage, at the top level', async (t) => {
  const { h, quota, orgOf, storage, egress } = await given('shared')
  const subscription = await h.db.prisma.organizationSubscription.findFirstOrThrow({ where: { orgId: await orgOf('user@demo.test') } })
  const res = await quota('user@demo.test')
  t.equal(res.status, 200)
  t.match(res.headers['content-type'], /application\/json; charset=utf-8/)
  t.same(res.body, {
    success: true,
    subscription: { id: subscription.id, name: 'Free Trial', description: 'Free trial subscription for new organizations' },
    quotaUsage: [
      {
        capability: {
          id: egress.id,
          code: 'EGRESS_MONTHLY_BYTES',
          description: 'Bytes downloaded this month',
          type: 'TRAFFIC',
          periodType: 'MONTHLY',
        },
        usage: { current: 5368709120, max: 53687091200, percentage: 10 },
      },
      {
        capability: {
          id: storage.id,
          code: 'STORAGE_TOTAL_BYTES',
          description: 'Total bytes stored',
          type: 'STORAGE',
          periodType: 'ALL_TIME',
        },
        usage: { current: 3221225472, max: 10737418240, percentage: 30 },
      },
    ],
  })
})

t.test('GraphQL quota gives the same numbers', async (t) => {
  const { h, quota } = await given('shared')
  const rest = await quota('owner@demo.test')
  const res = await h.graphql(GRAPHQL_QUOTA, {}, 'owner@demo.test')
  t.equal(res.status, 200)
  t.same(res.body.data.quota, { subscription: rest.body.subscription, quotaUsage: rest.body.quotaUsage })
})

t.test('404 NO_ACTIVE_SUBSCRIPTION: an organization without one, or no organization', async (t) => {
  const { h, quota } = await given('shared')
  for (const as of ['owner@other.test', 'loner@demo.test']) {
    const res = await quota(as)
    t.same([res.status, res.body], [404, { success: false, error_code: 'NO_ACTIVE_SUBSCRIPTION' }], as)
  }
  const gql = await h.graphql('{ quota { subscription { id } } }', {}, 'owner@other.test')
  t.match(gql.body.errors[0], { extensions: { code: 'NOT_FOUND', errorCode: 'NO_ACTIVE_SUBSCRIPTION' } })
})

t.test('401 NO_AUTH_USER, without a message', async (t) => {
  const { h, quota } = await given('shared')
  const res = await quota()
  t.same([res.status, res.body], [401, { success: false, error_code: 'NO_AUTH_USER' }])
  t.equal(res.headers['www-authenticate'], 'Bearer')
  const bad = await h.call({ method: 'GET', url: '/user/quota', headers: { authorization: 'Bearer nope' } })
  t.same([bad.status, bad.body], [401, { success: false, error_code: 'NO_AUTH_USER' }])
  t.equal(bad.headers['www-authenticate'], 'Bearer error="invalid_token"')
})

t.test('only an active subscription counts: ended, future and cancelled ones do not', async (t) => {
  const { h, quota, orgOf } = await given(t)
  const orgId = await orgOf('owner@other.test')
  const plan = await h.db.prisma.subscriptionPlan.findUniqueOrThrow({ where: { code: 'FREE_TRIAL' } })
  const day = 86_400_000
  await h.db.prisma.organizationSubscription.createMany({
    data: [
      { orgId, planId: plan.id, startsAt: new Date(Date.now() - 10 * day), endsAt: new Date(Date.now() - day) },
      { orgId, planId: plan.id, startsAt: new Date(Date.now() + day) },
      { orgId, planId: plan.id, status: 'cancelled' },
    ],
  })
  t.equal((await quota('owner@other.test')).status, 404)
  const active = await h.db.prisma.organizationSubscription.create({ data: { orgId, planId: plan.id, endsAt: new Date(Date.now() + day) } })
  const res = await quota('owner@other.test')
  t.equal(res.status, 200)
  t.equal(res.body.subscription.id, active.id)
  t.same(
    res.body.quotaUsage.map((q: { usage: unknown }) => q.usage),
    [
      { current: 0, max: 53687091200, percentage: 0 },
      { current: 0, max: 10737418240, percentage: 0 },
    ],
    'no usage rows: 0',
  )
})

t.test("only the current period's usage counts", async (t) => {
  const { h, quota, orgOf, egress, setUsage } = await given(t)
  const orgId = await orgOf('owner@other.test')
  // Other Org has no subscription in the seed: it starts one, as the subtest above does.
  const plan = await h.db.prisma.subscriptionPlan.findUniqueOrThrow({ where: { code: 'FREE_TRIAL' } })
  await h.db.prisma.organizationSubscription.create({ data: { orgId, planId: plan.id, endsAt: new Date(Date.now() + 86_400_000) } })
  const thisMonth = periodStartOf('MONTHLY', new Date())
  const lastMonth = new Date(Date.UTC(thisMonth.getUTCFullYear(), thisMonth.getUTCMonth() - 1, 1))
  await setUsage(orgId, egress.id, lastMonth, 999_999_999_999n)
  await setUsage(orgId, egress.id, thisMonth, 26_843_545_600n)
  const res = await quota('owner@other.test')
  t.same(res.body.quotaUsage[0].usage, { current: 26843545600, max: 53687091200, percentage: 50 })
})

t.test('byte counts up to 2^53 − 1 survive REST and GraphQL exactly; beyond, an error, never a wrong number', async (t) => {
  const { h, quota, orgOf, storage, setUsage } = await given(t)
  const orgId = await orgOf('owner@demo.test')
  const biggest = 9_007_199_254_740_991n
  await setUsage(orgId, storage.id, new Date(0), biggest)
  const res = await h.app.inject({
    method: 'GET',
    url: '/user/quota',
    headers: { authorization: `Bearer ${await h.tokenFor('owner@demo.test')}` },
  })
  t.match(res.body, /"current":9007199254740991,"max":10737418240,"percentage":83886080/, 'the JSON text itself')
  const gql = await h.app.inject({
    method: 'POST',
    url: '/graphql',
    headers: { authorization: `Bearer ${await h.tokenFor('owner@demo.test')}` },
    payload: { query: '{ quota { quotaUsage { capability { code } usage { current max } } } }' },
  })
  t.match(gql.body, /"code":"STORAGE_TOTAL_BYTES"\},"usage":\{"current":9007199254740991,"max":10737418240\}/)

  await setUsage(orgId, storage.id, new Date(0), biggest + 2n)
  const tooBig = await quota('owner@demo.test')
  t.same([tooBig.status, tooBig.body], [500, { success: false, error_code: 'INTERNAL_ERROR', message: 'Internal server error' }])
  await setUsage(orgId, storage.id, new Date(0), 3_221_225_472n)
})
