// Lists cost a fixed number of database queries, however many items they hold (no N+1).
import t from 'tap'
import type { Database } from '../../src/db/database.js'
import type { PrismaClient } from '../../src/generated/prisma/client.js'
import { buildTestApp } from '../helper.js'
import { hashPassword } from '../../src/crypto/passwords.js'

let queries = 0
/** Counts every Prisma operation and every raw statement the app issues. */
function counting(db: Database): Database {
  const prisma = db.prisma.$extends({
    query: {
      async $allOperations({ args, query }) {
        queries++
        return query(args)
      },
    },
  }) as unknown as PrismaClient
  const sql = {
    query: (...args: Parameters<Database['sql']['query']>) => {
      queries++
      return db.sql.query(...args)
    },
    exec: (script: string) => db.sql.exec(script),
  } as Database['sql']
  return { ...db, prisma, sql }
}

// Without the requester cache: whether a request's requester lookup hits it depends on when the notification of
// an earlier write arrived, and these tests count the queries of what the request itself asks for.
const h = await buildTestApp(t, { REQUESTER_CACHE_SIZE: '0' }, { adaptDatabase: counting })

async function queriesFor(request: () => Promise<{ status: number }>) {
  const before = queries
  const res = await request()
  t.equal(res.status, 200)
  return queries - before
}

t.test('the counter counts', async (t) => {
  await h.tokenFor('owner@demo.test')
  const n = await queriesFor(() => h.call({ method: 'GET', url: '/user/profile', as: 'owner@demo.test' }))
  t.ok(n >= 1, `GET /user/profile: ${n} queries`)
})

t.test('GET /user/quota: the same queries for 2 capabilities as for 8', async (t) => {
  await h.tokenFor('user@demo.test')
  const quota = () => h.call({ method: 'GET', url: '/user/quota', as: 'user@demo.test' })
  const two = await queriesFor(quota)
  const plan = await h.db.prisma.subscriptionPlan.findUniqueOrThrow({ where: { code: 'FREE_TRIAL' } })
  const orgId = (await h.db.prisma.user.findUniqueOrThrow({ where: { email: 'user@demo.test' } })).orgId!
  for (let i = 0; i < 6; i++) {
    const capability = await h.db.prisma.capability.create({
      data: { code: `EXTRA_${i}`, description: `Extra ${i}`, type: 'OTHER', periodType: (['DAILY', 'WEEKLY', 'YEARLY'] as const)[i % 3]! },
    })
    await h.db.prisma.planCapability.create({ data: { planId: plan.id, capabilityId: capability.id, max: 100n } })
    await h.db.prisma.capabilityUsage.create({ data: { orgId, capabilityId: capability.id, periodStart: new Date(0), current: 1n } })
  }
  const res = await quota()
  t.equal(res.body.quotaUsage.length, 8)
  const eight = await queriesFor(quota)
  t.equal(eight, two, `${two} queries either way`)
  const gql = () => h.graphql('{ quota { quotaUsage { capability { code } usage { current } } } }', {}, 'user@demo.test')
  t.equal(await queriesFor(gql), two, 'GraphQL too')
})

t.test('GET /organization/users: the same queries for 1 user as for 30', async (t) => {
  await h.tokenFor('owner@demo.test')
  const page = (limit: number) => () => h.call({ method: 'GET', url: `/organization/users?limit=${limit}`, as: 'owner@demo.test' })
  const one = await queriesFor(page(1))
  const orgId = (await h.db.prisma.user.findUniqueOrThrow({ where: { email: 'owner@demo.test' } })).orgId!
  const passwordHash = await hashPassword('Bulk-Password-1', h.config.passwordHashCost)
  await h.db.prisma.user.createMany({
    data: Array.from({ length: 24 }, (_, i) => ({
      email: `bulk${i}@demo.test`,
      name: 'B',
      lastName: `${i}`,
      passwordHash,
      orgId,
      orgRole: 0,
    })),
  })
  const res = await h.call({ method: 'GET', url: '/organization/users?limit=30', as: 'owner@demo.test' })
  t.equal(res.body.data.length, 30)
  t.equal(await queriesFor(page(30)), one, `${one} queries either way`)
  const gql = () => h.graphql('{ organizationUsers(limit: 30) { total data { id orgRoles deletedAt } } }', {}, 'owner@demo.test')
  t.equal(await queriesFor(gql), one, 'GraphQL too')
})

t.test('sessions: 20 aliases asking for the same page cost the queries of one', async (t) => {
  await h.tokenFor('admin@demo.test')
  const sessions = (n: number) => () =>
    h.graphql(`{ ${Array.from({ length: n }, (_, i) => `a${i}: sessions { tokenId }`).join(' ')} }`, {}, 'admin@demo.test')
  const one = await queriesFor(sessions(1))
  const twenty = await queriesFor(sessions(20))
  t.equal(twenty, one, `${one} queries either way`)
  const res = await sessions(20)()
  t.equal(res.body.data.a19.length, res.body.data.a0.length, 'every alias answered')
})

t.test("devices: each device's sessions are one query for the whole page, not one per device", async (t) => {
  const userId = await h.userId('billing@demo.test')
  const devices = (n: number) => () => h.graphql(`{ devices(limit: ${n}) { id sessions { tokenId } } }`, {}, 'billing@demo.test')
  for (let i = 0; i < 6; i++) {
    const device = await h.db.prisma.device.create({
      data: { userId, fingerprint: `fp-count-${i}`, deviceName: 'd', deviceType: 'DESKTOP', os: 'o', browser: 'b' },
    })
    await h.db.prisma.session.createMany({
      data: [0, 1].map(() => ({ userId, deviceId: device.id, expiresAt: new Date(Date.now() + 3_600_000) })),
    })
  }
  await h.tokenFor('billing@demo.test')
  const one = await queriesFor(devices(1))
  const six = await queriesFor(devices(6))
  t.equal(six, one, `${one} queries either way`)
  const res = await devices(6)()
  t.same(
    res.body.data.devices.map((d: { sessions: unknown[] }) => d.sessions.length),
    [2, 2, 2, 2, 2, 2],
    "every device's own sessions",
  )
})
