// Metrics: Prometheus text scraped from the separate listener after real traffic.
import t from 'tap'
import { buildTestApp } from '../helper.js'

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
  const h = await buildTestApp(t, { METRICS_PORT: '0', RATE_LIMIT_LOGIN_PER_ACCOUNT: '2' })
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
  t.equal(sample(text, `${http}{method="GET",route="/user/profile",status_class="2xx"}`), 1)
  t.equal(sample(text, `${http}{method="GET",route="/user/:userId",status_class="2xx"}`), 1, 'the route pattern, not the id')
  t.equal(sample(text, `${http}{method="GET",route="(unmatched)",status_class="4xx"}`), 1)
  t.equal(sample(text, `${http}{method="POST",route="/graphql",status_class="2xx"}`), 2)
  t.ok(
    text.includes(`${http.replace('_count', '_bucket')}{le="0.005",method="GET",route="/user/profile",status_class="2xx"}`),
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

  // Operation names are the client's: they cannot grow the label set without bound.
  for (let i = 0; i < 105; i++) await h.call({ method: 'POST', url: '/graphql', payload: { query: `query Op${i} { __typename }` } })
  const after = await scrape(port)
  const names = new Set([...after.matchAll(/gateway_graphql_operations_total\{operation="([^"]+)"/g)].map((m) => m[1]))
  t.ok(names.size <= 101, `at most 100 names and "(other)" (${names.size})`)
  t.ok((sample(after, 'gateway_graphql_operations_total{operation="(other)",outcome="success"}') ?? 0) >= 5, 'the rest count as (other)')
})
