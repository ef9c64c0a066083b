// A request runs exactly the operation it names, on the first run of a text and on every later one;
// no mutation runs over GET, cached or not.
import t from 'tap'
import { buildTestApp } from '../helper.js'

const RUNS = 4

t.test('operation selection by operationName, runs 1 to 4 of the same text', async (t) => {
  const h = await buildTestApp(t)
  const email = 'user@demo.test'
  const id = await h.userId(email)
  const nameOf = async () => (await h.db.prisma.user.findUniqueOrThrow({ where: { id }, select: { name: true } })).name
  const original = await nameOf()
  const text = `query A{me{name}} mutation B{updateUser(id:"${id}",input:{name:"ViaGET"}){success message}}`
  const get = (operationName: string, as?: string, accept?: string) =>
    h.call({
      method: 'GET',
      url: `/graphql?${new URLSearchParams({ query: text, operationName })}`,
      as,
      headers: accept ? { accept } : {},
    })
  const post = (payload: Record<string, unknown>, as?: string, accept?: string) =>
    h.call({ method: 'POST', url: '/graphql', payload: { query: text, ...payload }, as, headers: accept ? { accept } : {} })

  t.test('the issue: B twice over POST without a token, then A over GET with a token, runs A', async (t) => {
    for (let run = 1; run <= RUNS; run++) {
      const b = await post({ operationName: 'B' })
      t.equal(b.status, 200, `POST B run ${run}`)
      t.equal(b.body.errors[0].extensions.code, 'UNAUTHENTICATED', `B refuses a stranger, run ${run}`)
    }
    for (let run = 1; run <= RUNS; run++) {
      const a = await get('A', email)
      t.equal(a.status, 200, `GET A run ${run}`)
      t.same(a.body, { data: { me: { name: original } } }, `GET A runs A, run ${run}`)
    }
    t.equal(await nameOf(), original, 'the mutation never ran')
  })

  t.test('GET with operationName B: 405 with Allow: POST on every run', async (t) => {
    for (let run = 1; run <= RUNS; run++) {
      const res = await get('B', email)
      t.equal(res.status, 405, `run ${run}`)
      t.equal(res.headers.allow, 'POST')
      t.equal(res.body.errors[0].extensions.code, 'BAD_USER_INPUT')
      t.notOk('data' in res.body)
    }
    const single = `mutation { updateUser(id: "${id}", input: { name: "ViaGET" }) { success } }`
    for (let run = 1; run <= RUNS; run++) {
      const res = await h.call({ method: 'GET', url: `/graphql?${new URLSearchParams({ query: single })}`, as: email })
      t.equal(res.status, 405, `an anonymous mutation, run ${run}`)
      t.equal(res.headers.allow, 'POST')
    }
    t.equal(await nameOf(), original)
  })

  t.test('an unknown operationName is refused on every run (400 in graphql-response+json, 200 in JSON)', async (t) => {
    for (let run = 1; run <= RUNS; run++) {
      let res = await post({ operationName: 'C' }, email)
      t.equal(res.status, 200, `application/json, run ${run}`)
      t.same(res.body, { errors: [{ message: 'Unknown operation named "C".', extensions: { code: 'BAD_USER_INPUT' } }] })
      res = await post({ operationName: 'C' }, email, 'application/graphql-response+json')
      t.equal(res.status, 400, `graphql-response+json, run ${run}`)
      t.equal(res.body.errors[0].extensions.code, 'BAD_USER_INPUT')
      res = await get('C', email)
      t.equal(res.status, 200, `GET, run ${run}`)
      t.equal(res.body.errors[0].extensions.code, 'BAD_USER_INPUT')
    }
    const single = '{ me { name } }'
    for (let run = 1; run <= RUNS; run++) {
      const res = await h.call({ method: 'POST', url: '/graphql', payload: { query: single, operationName: 'Other' }, as: email })
      t.same(res.body, { errors: [{ message: 'Unknown operation named "Other".', extensions: { code: 'BAD_USER_INPUT' } }] }, `run ${run}`)
    }
    t.equal(await nameOf(), original)
  })

  t.test('several operations and no operationName: refused on every run', async (t) => {
    for (let run = 1; run <= RUNS; run++) {
      for (const payload of [{}, { operationName: null }]) {
        const res = await post(payload, email, 'application/graphql-response+json')
        t.equal(res.status, 400, `run ${run}`)
        t.match(res.headers['content-type'], /^application\/graphql-response\+json; charset=utf-8/)
        t.same(res.body, {
          errors: [
            { message: 'Must provide operation name if query contains multiple operations.', extensions: { code: 'BAD_USER_INPUT' } },
          ],
        })
      }
    }
    t.equal(await nameOf(), original)
  })

  t.test('alternating A and B over POST: each run executes the operation it names', async (t) => {
    for (let run = 1; run <= RUNS; run++) {
      await h.db.prisma.user.update({ where: { id }, data: { name: original } })
      const a = await post({ operationName: 'A' }, email)
      t.same(a.body, { data: { me: { name: original } } }, `A, run ${run}`)
      const b = await post({ operationName: 'B' }, email)
      t.same(b.body, { data: { updateUser: { success: true, message: 'User updated successfully' } } }, `B, run ${run}`)
      t.equal(await nameOf(), 'ViaGET')
      const again = await post({ operationName: 'A' }, email)
      t.same(again.body, { data: { me: { name: 'ViaGET' } } }, `A after B, run ${run}`)
    }
    await h.db.prisma.user.update({ where: { id }, data: { name: original } })
  })

  t.test('REST routes, which run fixed operations in-process, keep working alongside', async (t) => {
    for (let run = 1; run <= RUNS; run++) {
      const res = await h.call({ method: 'GET', url: '/user/profile', as: email })
      t.equal(res.status, 200)
      t.equal(res.body.data.name, original)
    }
  })
})
