// Metrics: Prometheus text scraped from the separate listener after real traffic.
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { buildTestApp } from '../helper.js'
import { sha256 } from '../../src/crypto/digest.js'

/** A trusted-documents file (as npm run persisted-documents writes it) holding these documents. */
function persistedFile(t: { testdir(): string }, documents: string[]): string {
  const file = join(t.testdir(), 'persisted.json')
  writeFileSync(file, JSON.stringify(Object.fromEntries(documents.map((d) => [sha256(d), d]))))
  return file
}

async function scrape(port: number): Promise<string> {
  const res = await fetch(`http://127.0.0.1:${port}/metrics`)
  if (res.status !== 200) throw new Error(`scrape answered ${res.status}`)
  return res.text()
}

/** The value of one sample line, e.g. `name{a="b"}`; undefined when absent. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(series + ' '))
  return line === undefined ? undefined : Number(line.slice(series.length + 1))
}

t.test('METRICS_PORT: HTTP, GraphQL, database, auth and rate-limit metrics, with no personal data in labels', async (t) => {
  const h = await buildTestApp(t, {
    METRICS_PORT: '0',
    // Every authenticated request queries its requester (with the cache, only the first of a session would).
    REQUESTER_CACHE_SIZE: '0',
    RATE_LIMIT_LOGIN_PER_ACCOUNT: '2',
    GRAPHQL_PERSISTED_DOCUMENTS: persistedFile(t, ['query Mine { me { id } }']),
  })
  const port = h.app.metricsPort!
  t.ok(port > 0, 'listening on its own port')
  t.not(port, (h.app.server.address() as { port?: number } | null)?.port)
  const ownerId = await h.userId('owner@demo.test')

  t.equal((await h.call({ url: '/user/profile', as: 'owner@demo.test' })).status, 200)
  t.equal((await h.call({ url: `/user/${ownerId}`, as: 'owner@demo.test' })).status, 200)
  t.equal((await h.call({ url: '/no/such/route' })).status, 404)
  await h.call({ method: 'POST', url: '/graphql', as: 'owner@demo.test', payload: { query: 'query Mine { me { id } }' } })
  await h.call({ method: 'POST', url: '/graphql', payload: { query: 'query Mine { me { id } }' } })
  const good = await h.call({ method: 'POST', url: '/user/login', payload: { email: 'user@demo.test', password: 'Demo-Password-1' } })
  t.equal(good.status, 200)
  await h.call({ method: 'POST', url: '/user/refresh', payload: { refreshToken: good.body.refreshToken } })
  await h.call({ method: 'POST', url: '/user/refresh', payload: { refreshToken: 'not-a-token' } })
  for (let i = 0; i < 3; i++) {
    await h.call({ method: 'POST', url: '/user/login', payload: { email: 'billing@demo.test', password: 'Wrong-Password-1' } })
  }

  const text = await scrape(port)
  const http = 'gateway_http_request_duration_seconds_count'
  t.equal(sample(text, `${http}{method="GET",route="/user/profile",status_code="200"}`), 1)
  t.equal(sample(text, `${http}{method="GET",route="/user/:userId",status_code="200"}`), 1, 'the route pattern, not the id')
  t.equal(sample(text, `${http}{method="GET",route="(unmatched)",status_code="404"}`), 1)
  t.equal(sample(text, `${http}{method="POST",route="/graphql",status_code="200"}`), 2)
  t.equal(sample(text, `${http}{method="POST",route="/user/login",status_code="401"}`), 2, 'a refused login: 401')
  t.equal(sample(text, `${http}{method="POST",route="/user/login",status_code="429"}`), 1, 'told apart from a rate-limited one: 429')
  t.ok(
    text.includes(`${http.replace('_count', '_bucket')}{le="0.005",method="GET",route="/user/profile",status_code="200"}`),
    'a histogram',
  )

  const ops = 'gateway_graphql_operations_total'
  t.equal(sample(text, `${ops}{operation="Mine",outcome="success"}`), 1)
  t.equal(sample(text, `${ops}{operation="Mine",outcome="UNAUTHENTICATED"}`), 1)
  t.equal(sample(text, `${ops}{operation="RestUserProfile",outcome="success"}`), 1, 'REST routes count as their operation')

  const auth = 'gateway_auth_outcomes_total'
  t.equal(sample(text, `${auth}{flow="login",outcome="success"}`), 1)
  t.equal(sample(text, `${auth}{flow="login",outcome="INVALID_PASSWORD"}`), 2)
  t.equal(sample(text, `${auth}{flow="login",outcome="TOO_MANY_ATTEMPTS"}`), 1)
  t.equal(sample(text, `${auth}{flow="refresh",outcome="success"}`), 1)
  t.equal(sample(text, `${auth}{flow="refresh",outcome="INVALID_REFRESH_TOKEN"}`), 1)
  t.equal(sample(text, `gateway_rate_limit_refusals_total{operation="login"}`), 1)

  t.ok((sample(text, 'gateway_db_query_duration_seconds_count{operation="requester",outcome="success"}') ?? 0) >= 3, 'the requester query')
  t.ok((sample(text, 'gateway_db_query_duration_seconds_count{operation="User.findUnique",outcome="success"}') ?? 0) >= 1, 'Prisma calls')
  if (h.db.kind === 'postgres') {
    t.ok((sample(text, 'gateway_db_pool_connections') ?? 0) >= 1, 'pool: open connections')
    t.ok(sample(text, 'gateway_db_pool_idle_connections') !== undefined, 'pool: idle')
    t.equal(sample(text, 'gateway_db_pool_waiting_requests'), 0, 'pool: nobody waiting')
  } else {
    t.equal(sample(text, 'gateway_db_pool_connections'), undefined, 'the embedded database has no pool')
  }
  t.ok(sample(text, 'process_cpu_seconds_total') !== undefined, 'process metrics')
  t.ok(sample(text, 'nodejs_eventloop_lag_seconds') !== undefined, 'event-loop metrics')

  // Labels never hold ids or emails.
  const labels = text
    .split('\n')
    .filter((l) => !l.startsWith('#') && l.includes('{'))
    .map((l) => l.slice(l.indexOf('{'), l.lastIndexOf('}') + 1))
  t.notOk(
    labels.some((l) => l.includes('@') || l.includes(ownerId)),
    'no email or user id in any label',
  )
  const other = await fetch(`http://127.0.0.1:${port}/user/profile`)
  t.equal(other.status, 404, 'the metrics listener serves /metrics only')
  const onApi = await h.call({ url: '/metrics' })
  t.equal(onApi.status, 404, 'and /metrics is not on the API port')

  const duration = 'gateway_graphql_operation_duration_seconds_count'
  t.equal(sample(text, `${duration}{operation="Mine",type="query"}`), 2, 'the latency of a known operation, by name and type')
  t.equal(sample(text, `${duration}{operation="RestUserProfile",type="query"}`), 1)
  t.equal(sample(text, `${duration}{operation="RestLogin",type="mutation"}`), 4, 'REST logins run a mutation')
})

t.test('operation labels: only known operations are named; 100 made-up names cannot push one out', async (t) => {
  const dashboard = 'query MyDashboard { me { id email } }'
  const h = await buildTestApp(t, { METRICS_PORT: '0', GRAPHQL_PERSISTED_DOCUMENTS: persistedFile(t, [dashboard]) })
  // An attacker's burst of fresh names first, while no known operation has been seen yet.
  const statuses = new Set<number>()
  for (let i = 0; i < 100; i++) {
    const query = `query Made${i}x${Math.random().toString(36).slice(2)} { __typename }`
    statuses.add((await h.call({ method: 'POST', url: '/graphql', payload: { query } })).status)
  }
  t.same([...statuses], [200], 'the made-up operations ran')
  t.equal((await h.call({ method: 'POST', url: '/graphql', as: 'owner@demo.test', payload: { query: dashboard } })).status, 200)
  await h.call({ method: 'POST', url: '/graphql', payload: { query: '{ __typename }' } })
  await h.call({ method: 'POST', url: '/graphql', payload: { query: 'query MyDashboard { __typename }' } })
  await h.call({ method: 'POST', url: '/graphql', payload: { query: 'query { nope }' } })

  const text = await scrape(h.app.metricsPort!)
  const ops = 'gateway_graphql_operations_total'
  t.equal(sample(text, `${ops}{operation="MyDashboard",outcome="success"}`), 2, 'the known name keeps its label (whatever the text)')
  t.equal(sample(text, `${ops}{operation="(other)",outcome="success"}`), 100, 'every made-up name is (other)')
  t.equal(sample(text, `${ops}{operation="(anonymous)",outcome="success"}`), 1)
  const names = new Set([...text.matchAll(/gateway_graphql_operations_total\{operation="([^"]+)"/g)].map((m) => m[1]))
  t.same([...names].sort(), ['(anonymous)', '(other)', 'MyDashboard'], 'no other name is a label')
  const duration = 'gateway_graphql_operation_duration_seconds_count'
  t.equal(sample(text, `${duration}{operation="MyDashboard",type="query"}`), 2)
  t.equal(sample(text, `${duration}{operation="(other)",type="query"}`), 100)
  t.equal(sample(text, `${duration}{operation="(anonymous)",type="(unknown)"}`), 1, 'an invalid document: no type')
  const durationNames = new Set(
    [...text.matchAll(/gateway_graphql_operation_duration_seconds_count\{operation="([^"]+)"/g)].map((m) => m[1]),
  )
  t.same([...durationNames].sort(), ['(anonymous)', '(other)', 'MyDashboard'], 'the histogram is bounded the same way')
})
