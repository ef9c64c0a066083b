// Request ids: the caller's when safe, else generated; echoed on every answer; the reqId of every log line; in GraphQL context.
import t from 'tap'
import { buildTestApp } from '../helper.js'
import { MAX_REQUEST_ID_LENGTH } from '../../src/observability/requestIds.js'

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/

t.test('a safe X-Request-Id is kept, anything else replaced by a fresh UUID, on every answer and in GraphQL context', async (t) => {
  const h = await buildTestApp(t)
  const kept = ['abc-123', 'req_01HZX.7:9', 'Root=1-5759e988-bd862e3fe1be46a994272793', 'a'.repeat(MAX_REQUEST_ID_LENGTH)]
  for (const id of kept) {
    const res = await h.call({ url: '/health', headers: { 'x-request-id': id } })
    t.equal(res.headers['x-request-id'], id, `kept: ${id.slice(0, 40)}`)
  }
  const replaced = ['', 'a'.repeat(MAX_REQUEST_ID_LENGTH + 1), 'has space', 'semi;colon', '<script>', 'line\\nbreak', 'ünïcode', 'quote"']
  const seen = new Set<string>()
  for (const id of replaced) {
    const res = await h.call({ url: '/health', headers: { 'x-request-id': id } })
    const echoed = String(res.headers['x-request-id'])
    t.match(echoed, UUID, `replaced: ${JSON.stringify(id.slice(0, 40))}`)
    seen.add(echoed)
  }
  t.equal(seen.size, replaced.length, 'a new id each time')
  const none = await h.call({ url: '/health' })
  t.match(String(none.headers['x-request-id']), UUID, 'generated when none is sent')

  // Errors of every kind carry it too: 401, 404 (REST and unknown route), 400 (bad JSON), GraphQL.
  const answers = [
    await h.call({ url: '/user/profile', headers: { 'x-request-id': 'e-401' } }),
    await h.call({ url: '/user/00000000-0000-0000-0000-000000000000', as: 'owner@demo.test', headers: { 'x-request-id': 'e-404' } }),
    await h.call({ url: '/no/such/route', headers: { 'x-request-id': 'e-route' } }),
    await h.call({
      method: 'POST',
      url: '/user/login',
      headers: { 'x-request-id': 'e-400', 'content-type': 'application/json' },
      payload: '{"email":',
    }),
    await h.call({ method: 'POST', url: '/graphql', headers: { 'x-request-id': 'e-gql' }, payload: { query: '{ nope }' } }),
  ]
  t.same(
    answers.map((a) => [a.status, a.headers['x-request-id']]),
    [
      [401, 'e-401'],
      [404, 'e-404'],
      [404, 'e-route'],
      [400, 'e-400'],
      [200, 'e-gql'], // a validation failure in application/json: 200, as GraphQL over HTTP recommends
    ],
  )

  // GraphQL resolvers receive it in their context, over /graphql and behind a REST route.
  // Both paths share the schema: its me resolver sees the context, interpreted or compiled (wrapped before either compiles it).
  const contexts: unknown[] = []
  const me = h.app.graphql.schema.getQueryType()!.getFields().me!
  const resolve = me.resolve!
  me.resolve = (source, args, ctx, info) => {
    contexts.push((ctx as { requestId: unknown }).requestId)
    return resolve(source, args, ctx, info)
  }
  await h.call({
    method: 'POST',
    url: '/graphql',
    as: 'owner@demo.test',
    headers: { 'x-request-id': 'gql-ctx-1' },
    payload: { query: '{ me { id } }' },
  })
  await h.call({ url: '/user/profile', as: 'owner@demo.test', headers: { 'x-request-id': 'rest-ctx-2' } })
  t.same(contexts, ['gql-ctx-1', 'rest-ctx-2'], 'the request id is in the GraphQL context')
})

t.test('the request id is the reqId of every log line of the request, resolvers’ lines included', async (t) => {
  const lines: Record<string, unknown>[] = []
  const h = await buildTestApp(t, { LOG_LEVEL: 'info' }, { logStream: { write: (line) => void lines.push(JSON.parse(line)) } })
  const login = await h.call({
    method: 'POST',
    url: '/user/login',
    payload: { email: 'owner@demo.test', password: 'Demo-Password-1' },
  })
  t.equal(login.status, 200)
  const refreshToken = login.body.refreshToken
  await h.call({ method: 'POST', url: '/user/refresh', payload: { refreshToken } })
  lines.length = 0
  // Reusing a spent refresh token makes the resolver log a warning.
  const reuse = await h.call({ method: 'POST', url: '/user/refresh', payload: { refreshToken }, headers: { 'x-request-id': 'reuse-42' } })
  t.equal(reuse.status, 401)
  t.ok(lines.length >= 3, `several lines (${lines.length})`)
  t.ok(
    lines.some((l) => /reused/.test(String(l.msg))),
    'the resolver’s warning is among them',
  )
  t.same(
    lines.filter((l) => l.reqId !== 'reuse-42'),
    [],
    'every line carries reqId reuse-42',
  )
})
