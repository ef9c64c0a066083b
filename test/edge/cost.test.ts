// Cost limits at the edge: the issue's abusive requests are refused before anything runs, with
// BAD_USER_INPUT and extensions.reason COST_LIMIT (over REST: the route's envelope); GraphiQL's
// introspection and every REST route's operation fit the defaults.
import t, { type Test } from 'tap'
import { getIntrospectionQuery, parse } from 'graphql'
import { buildTestApp, cpuMs } from '../helper.js'
import { buildSchema } from '../../src/graphql/schema.js'
import { costRefusal, measureDocument } from '../../src/edge/cost.js'
import { compatRoutes } from '../../src/rest/plugin.js'
import { loadConfig } from '../../src/config.js'

const schema = buildSchema()
const defaults = loadConfig({ NODE_ENV: 'test', JWT_SECRET: 'x'.repeat(32) })
const aliased = (n: number, field: (i: number) => string) => Array.from({ length: n }, (_, i) => `a${i}: ${field(i)}`).join(' ')
const costOf = (query: string) => measureDocument(schema, parse(query))[0]!

/** A request error on /graphql: 200 in application/json (400 in graphql-response+json, asserted below), no data entry. */
function assertCostLimit(t: Test, res: { status: number; body: any }, message: RegExp) {
  t.equal(res.status, 200, 'a request error, in application/json')
  t.notOk('data' in res.body, 'nothing ran: no data entry')
  t.equal(res.body.errors.length, 1)
  t.equal(res.body.errors[0].extensions.code, 'BAD_USER_INPUT', 'a documented code')
  t.equal(res.body.errors[0].extensions.reason, 'COST_LIMIT', 'a machine-readable reason')
  t.match(res.body.errors[0].message, message)
}

t.test('the cost model', async (t) => {
  t.equal(costOf('{ me { id name } }').cost, 1, 'an object costs 1, its scalars nothing')
  t.equal(costOf('{ organizationUsers(limit: 10) { data { id } total } }').cost, 11, 'a page costs by its limit')
  t.equal(costOf('{ organizationUsers { data { id } } }').cost, 1001, 'no limit: every user, up to 1000')
  t.equal(costOf('query ($n: Int) { organizationUsers(limit: $n) { data { id } } }').cost, 1001, 'a variable limit: at worst null, unpaged')
  t.equal(costOf('{ sessions { tokenId } }').cost, 100, 'sessions: a page of 100 unless limit says fewer')
  t.equal(costOf('{ sessions(limit: 5) { tokenId deviceInfo } }').cost, 10, 'a JSON object costs 1 more per element')
  t.equal(costOf('{ quota { quotaUsage { usage { current } } } }').cost, 101, 'a bounded list: its bound × its selection')
  t.equal(costOf('mutation { updateUser(id: "x", input: { name: "A" }) { success } }').cost, 11, 'a write costs 10')
  const withPassword = costOf('mutation { updateUser(id: "x", input: { password: "Secret-Passw0rd" }) { success } }')
  t.same([withPassword.cost, withPassword.passwordHashes], [111, 1], 'setting a password costs 100 more')
  const fromVariable = costOf('mutation ($i: UserUpdateInput!) { updateUser(id: "x", input: $i) { success } }')
  t.equal(fromVariable.passwordHashes, 1, 'an input from a variable may carry a password')
  t.equal(costOf('mutation { login(email: "a@b.c", password: "p") { accessToken } }').passwordHashes, 1, 'login verifies a hash')
  t.equal(costOf('{ __schema { types { name fields { name } } } }').cost, 100, 'introspection has a fixed cost')
  t.equal(costOf('mutation { requestPasswordReset(email: "a@b.c") { success } }').cost, 61, 'a write that sends mail costs 50 more')
  const doubled = costOf('fragment A on Query { ...B ...B } fragment B on Query { ...C ...C } fragment C on Query { me { id } } { ...A }')
  t.same([doubled.cost, doubled.rootFields], [4, 4], 'fragments are expanded where they are spread')
  const expanded = costOf(
    `${Array.from({ length: 30 }, (_, i) => `fragment F${i} on Query { ...F${i + 1} ...F${i + 1} }`).join(' ')} fragment F30 on Query { me { id } } { ...F0 }`,
  )
  t.equal(expanded.cost, 2 ** 30, 'fragments doubling 30 times are measured, once each, not expanded')
  t.equal(costOf('fragment A on Query { me { id } ...A } { ...A }').cost, 1, 'a cyclic spread (refused by validation) does not loop')
})

t.test('GraphiQL introspection and every REST route operation fit the default limits', async (t) => {
  const introspection = getIntrospectionQuery({
    descriptions: true,
    inputValueDeprecation: true,
    schemaDescription: true,
    specifiedByUrl: true,
    directiveIsRepeatable: true,
    oneOf: true,
  })
  const limits = defaults.costLimits!
  t.equal(costRefusal(schema, parse(introspection, { maxTokens: limits.maxTokens }), limits, defaults.bodyLimit), undefined)
  for (const route of compatRoutes) {
    const document = parse(route.operation, { maxTokens: limits.maxTokens })
    t.equal(costRefusal(schema, document, limits, defaults.bodyLimit), undefined, `${route.method} ${route.url}`)
  }
})

t.test('over HTTP', async (t) => {
  const h = await buildTestApp(t)

  t.test("GraphiQL's own introspection query runs", async (t) => {
    const res = await h.graphql(getIntrospectionQuery({ inputValueDeprecation: true, schemaDescription: true }))
    t.equal(res.status, 200)
    t.ok(res.body.data.__schema.types.length > 10)
  })

  t.test('300 aliased password changes from a self-registered account: refused, no password changed', async (t) => {
    const registered = await h.call({
      method: 'POST',
      url: '/user/register',
      payload: {
        email: 'alias.attacker@example.com',
        password: 'Original-Passw0rd',
        firstName: 'Al',
        lastName: 'Ias',
        companyName: 'Alias Ltd',
        isBusiness: false,
      },
    })
    t.equal(registered.status, 201)
    const id = registered.body.user.id
    const query = `mutation { ${aliased(300, () => `updateUser(id: "${id}", input: { password: "Changed-Passw0rd" }) { success message }`)} }`
    for (let run = 1; run <= 3; run++) {
      const started = cpuMs() // CPU time of this process, where the app and its hashing threads run: not stretched by load
      const res = await h.call({
        method: 'POST',
        url: '/graphql',
        headers: { authorization: `Bearer ${registered.body.accessToken}` },
        payload: { query },
      })
      assertCostLimit(t, res, /more that 1000 tokens|aliases|password/)
      t.ok((cpuMs() - started) / 1e3 < 5, `refused without hashing 300 passwords (run ${run})`)
    }
    const login = await h.call({
      method: 'POST',
      url: '/user/login',
      payload: { email: 'alias.attacker@example.com', password: 'Original-Passw0rd' },
    })
    t.equal(login.status, 200, 'the original password still works')
    // Under the token limit, each of the other limits refuses it on its own.
    const few = `mutation { ${aliased(5, () => `updateUser(id: "${id}", input: { password: "Changed-Passw0rd" }) { success }`)} }`
    assertCostLimit(t, await h.graphql(few, {}, 'owner@demo.test'), /has 5 fields that check or set a password; at most 1 is allowed/)
    const two = `mutation { a: login(email: "x@y.z", password: "p") { tokenId } b: login(email: "x@y.z", password: "q") { tokenId } }`
    assertCostLimit(t, await h.graphql(two), /2 fields that check or set a password/)
  })

  t.test('1,000 aliased organizationUsers(limit: 200): refused; fewer are refused by the alias cap and the budget', async (t) => {
    const thousand = `{ ${aliased(1000, () => 'organizationUsers(limit: 200) { data { id email } total }')} }`
    assertCostLimit(t, await h.graphql(thousand, {}, 'workspaces@demo.test'), /more that 1000 tokens/)
    const many = `{ organizationUsers(limit: 200) { data { ${aliased(21, () => 'id')} } } }`
    assertCostLimit(t, await h.graphql(many, {}, 'workspaces@demo.test'), /has 21 aliases; at most 20 are allowed/)
    const roots = `{ ${aliased(21, () => 'organizationUsers(limit: 200) { total }')} }`
    assertCostLimit(t, await h.graphql(roots, {}, 'workspaces@demo.test'), /has 21 root fields; at most 20 are allowed/)
    const costly = `query Pages { ${aliased(10, () => 'organizationUsers(limit: 200) { data { id } }')} }`
    assertCostLimit(t, await h.graphql(costly, {}, 'workspaces@demo.test'), /Operation "Pages" costs 2010; at most 2000 is allowed/)
    const fits = await h.graphql(`{ ${aliased(4, () => 'organizationUsers(limit: 200) { total }')} }`, {}, 'workspaces@demo.test')
    t.equal(fits.status, 200, 'four pages fit')
    t.equal(fits.body.data.a3.total, 6)
  })

  t.test('a 60 KB document of 10,000 me { id }: refused by the parser before validation', async (t) => {
    const query = `{${'me{id}'.repeat(10_000)}}`
    t.ok(query.length > 60_000)
    for (let run = 1; run <= 2; run++) assertCostLimit(t, await h.graphql(query, {}, 'user@demo.test'), /more that 1000 tokens/)
    assertCostLimit(t, await h.graphql(`{${'me{id} '.repeat(21)}}`, {}, 'user@demo.test'), /21 root fields; at most 20/)
  })

  t.test('every operation of a document is measured, whichever operationName is named', async (t) => {
    const query = `query Cheap { me { id } } query Costly { ${aliased(10, () => 'organizationUsers(limit: 200) { data { id } }')} }`
    for (const operationName of ['Cheap', 'Costly', 'Cheap']) {
      const res = await h.call({ method: 'POST', url: '/graphql', payload: { query, operationName }, as: 'workspaces@demo.test' })
      assertCostLimit(t, res, /Operation "Costly" costs/)
    }
  })

  t.test('in graphql-response+json a cost refusal is a 400, with the same error', async (t) => {
    const payload = { query: `{ ${aliased(21, () => 'me { id }')} }` }
    const json = await h.call({ method: 'POST', url: '/graphql', payload, as: 'user@demo.test' })
    const strict = await h.call({
      method: 'POST',
      url: '/graphql',
      payload,
      headers: { accept: 'application/graphql-response+json' },
      as: 'user@demo.test',
    })
    t.equal(strict.status, 400)
    t.notOk('data' in strict.body)
    t.same(strict.body.errors, json.body.errors)
    t.equal(strict.body.errors[0].extensions.reason, 'COST_LIMIT')
  })

  t.test('a syntax tree sent as text is a syntax error on /graphql: never run, never a 500', async (t) => {
    const passwords = aliased(3, () => 'updateUser(id: "x", input: { password: "Changed-Passw0rd" }) { success }')
    const tree = JSON.stringify(parse(`mutation { ${passwords} }`, { noLocation: true }))
    const res = await h.graphql(tree, {}, 'user@demo.test')
    t.equal(res.status, 200)
    t.notOk('data' in res.body)
    t.equal(res.body.errors[0].extensions.code, 'BAD_USER_INPUT')
    t.match(res.body.errors[0].message, /^Syntax Error/)
  })

  t.test('nesting far beyond any depth limit is refused, not a stack overflow', async (t) => {
    const query = `{ ${'me { '.repeat(300)}id${' }'.repeat(300)} }`
    const res = await h.call({ method: 'POST', url: '/graphql', payload: { query }, as: 'user@demo.test' })
    t.equal(res.status, 200, 'a request error, in application/json')
    t.notOk('data' in res.body)
    t.equal(res.body.errors[0].extensions.code, 'BAD_USER_INPUT')
    t.notMatch(res.body.errors[0].message, /call stack/)
  })
})

t.test('limits are settings; a REST route over them answers its own envelope', async (t) => {
  const h = await buildTestApp(t, { GRAPHQL_MAX_COST: '100', GRAPHQL_MAX_TOKENS: '100', BODY_LIMIT: '4096' })
  const list = await h.call({ method: 'GET', url: '/organization/users', as: 'owner@demo.test' })
  t.equal(list.status, 400)
  t.same(list.body, { success: false, data: [], total: 0, message: 'Operation "RestOrganizationUsers" costs 1001; at most 100 is allowed' })
  const profile = await h.call({ method: 'GET', url: '/user/profile', as: 'owner@demo.test' })
  t.equal(profile.status, 200, 'the cheap routes still run')
  const tokens = await h.graphql(`{ ${'me { id } '.repeat(30)} }`, {}, 'owner@demo.test')
  assertCostLimit(t, tokens, /more that 100 tokens/)
  // Comments are not tokens: a GET document over BODY_LIMIT is refused by its size.
  const query = `# ${'x'.repeat(5000)}\n{ me { id } }`
  const res = await h.call({ method: 'GET', url: `/graphql?query=${encodeURIComponent(query)}`, as: 'owner@demo.test' })
  assertCostLimit(t, res, /larger than 4096 bytes/)
})
