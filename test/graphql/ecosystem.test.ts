// mercurius' ecosystem on the one path: a hook added with app.graphql.addHook and loaders defined with
// app.graphql.defineLoaders run for /graphql and for the REST routes alike (they share runOperation).
import t from 'tap'
import fp from 'fastify-plugin'
import { Kind, type DocumentNode } from 'graphql'
import { buildTestApp } from '../helper.js'

t.test('a mercurius hook and loaders see /graphql and REST traffic alike', async (t) => {
  const operations: string[] = []
  const batches: { type: string; size: number }[] = []
  const extension = fp(async (app) => {
    app.graphql.addHook('preExecution', async (_schema, document: DocumentNode) => {
      const operation = document.definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION)
      operations.push(operation?.name?.value ?? '(anonymous)')
    })
    app.graphql.defineLoaders({
      Profile: {
        async email(queries: { obj: { email: string } }[]) {
          batches.push({ type: 'Profile', size: queries.length })
          return queries.map(({ obj }) => obj.email.toUpperCase())
        },
      },
      OrganizationUser: {
        async email(queries: { obj: { email: string } }[]) {
          batches.push({ type: 'OrganizationUser', size: queries.length })
          return queries.map(({ obj }) => obj.email.toUpperCase())
        },
      },
    })
  })
  const h = await buildTestApp(t, {}, { graphqlPlugins: [extension] })
  const as = 'owner@demo.test'
  const users = await h.db.prisma.user.count({
    where: { orgId: (await h.db.prisma.user.findUniqueOrThrow({ where: { email: as } })).orgId },
  })
  t.ok(users > 1, `the demo organization has ${users} users`)

  for (let run = 1; run <= 3; run++) {
    const gql = await h.call({ method: 'POST', url: '/graphql', as, payload: { query: 'query Mine { me { email } }' } })
    t.same(gql.body, { data: { me: { email: 'OWNER@DEMO.TEST' } } }, `/graphql: the loader's answer, run ${run}`)
    const rest = await h.call({ url: '/user/profile', as })
    t.equal(rest.status, 200)
    t.equal(rest.body.data.email, 'OWNER@DEMO.TEST', `REST: the same loader, run ${run}`)
    const list = await h.call({ url: '/organization/users', as })
    t.equal(list.status, 200)
    t.ok(
      list.body.data.every((u: { email: string }) => u.email === u.email.toUpperCase()),
      `REST list: every email through the loader, run ${run}`,
    )
    const page = await h.call({
      method: 'GET',
      url: `/graphql?query=${encodeURIComponent('query Page { organizationUsers { data { email } } }')}`,
      as,
    })
    t.equal(page.body.data.organizationUsers.data.length, users, `/graphql over GET, run ${run}`)
  }

  t.same(
    operations,
    [1, 2, 3].flatMap(() => ['Mine', 'RestUserProfile', 'RestOrganizationUsers', 'Page']),
    'the hook ran for every operation, in order, compiled or not',
  )
  t.same(
    batches,
    [1, 2, 3].flatMap(() => [
      { type: 'Profile', size: 1 },
      { type: 'Profile', size: 1 },
      { type: 'OrganizationUser', size: users },
      { type: 'OrganizationUser', size: users },
    ]),
    "a list's emails are loaded in one batch, per request, over /graphql and REST",
  )
})
