// Traces: the span tree of a request, with the request id on every span, in an in-memory exporter.
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import t from 'tap'
import { InMemorySpanExporter, type ReadableSpan } from '@opentelemetry/sdk-trace-node'
import { buildTestApp } from '../helper.js'
import { ATTR_REQUEST_ID, createTracing } from '../../src/observability/tracing.js'

interface Node {
  name: string
  children: Node[]
}

/** The spans of one trace as a tree of names, children in start order. */
function treeOf(spans: ReadableSpan[]): Node[] {
  const ids = new Set(spans.map((s) => s.spanContext().spanId))
  const build = (parentId: string | undefined): Node[] =>
    spans
      .filter((s) =>
        parentId === undefined ? !s.parentSpanContext || !ids.has(s.parentSpanContext.spanId) : s.parentSpanContext?.spanId === parentId,
      )
      .sort((a, b) => a.startTime[0] - b.startTime[0] || a.startTime[1] - b.startTime[1])
      .map((s) => ({ name: s.name, children: build(s.spanContext().spanId) }))
  return build(undefined)
}

const PROFILE_TREE = [
  {
    name: 'GET /user/profile',
    children: [{ name: 'query RestUserProfile', children: [{ name: 'requester', children: [] }] }],
  },
]

t.test('GET /user/profile: the HTTP span holds the GraphQL operation, which holds the requester query', async (t) => {
  const exporter = new InMemorySpanExporter()
  const h = await buildTestApp(t, {}, { spanExporter: exporter })
  const token = await h.tokenFor('owner@demo.test')
  // jit: 1 compiles the operation on its second run, which runs compiled, as do later ones: every run has the same tree.
  for (let run = 1; run <= 3; run++) {
    exporter.reset()
    const requestId = `profile-run-${run}`
    const res = await h.app.inject({ url: '/user/profile', headers: { authorization: `Bearer ${token}`, 'x-request-id': requestId } })
    t.equal(res.statusCode, 200)
    const spans = exporter.getFinishedSpans()
    t.same(treeOf(spans), PROFILE_TREE, `run ${run}: the span tree`)
    t.ok(
      spans.every((s) => s.attributes[ATTR_REQUEST_ID] === requestId),
      `run ${run}: every span carries the request id`,
    )
    const traceIds = new Set(spans.map((s) => s.spanContext().traceId))
    t.equal(traceIds.size, 1, 'one trace')
    const http = spans.find((s) => s.name === 'GET /user/profile')!
    t.match(http.attributes, { 'http.request.method': 'GET', 'http.route': '/user/profile', 'http.response.status_code': 200 })
    const gql = spans.find((s) => s.name.startsWith('query'))!
    t.match(gql.attributes, { 'graphql.operation.type': 'query', 'graphql.operation.name': 'RestUserProfile' })
    const db = spans.find((s) => s.name === 'requester')!
    t.match(db.attributes, { 'db.system.name': 'postgresql', 'db.operation.name': 'SELECT' })
    t.match(String(db.attributes['db.query.text']), /FROM users u/, 'the statement, with placeholders')
    t.notMatch(JSON.stringify(spans.map((s) => s.attributes)), token, 'no token in any attribute')
  }
})

t.test('POST /graphql: a named operation, its Prisma queries, and an incoming traceparent continued', async (t) => {
  const exporter = new InMemorySpanExporter()
  const h = await buildTestApp(t, {}, { spanExporter: exporter })
  const traceId = '4bf92f3577b34da6a3ce929d0e0e4736'
  const res = await h.call({
    method: 'POST',
    url: '/graphql',
    as: 'workspaces@demo.test',
    headers: { traceparent: `00-${traceId}-00f067aa0ba902b7-01` },
    payload: { query: 'query Members { organizationUsers { total } }', operationName: 'Members' },
  })
  t.equal(res.status, 200)
  t.notOk(res.body.errors)
  const spans = exporter.getFinishedSpans()
  t.ok(
    spans.every((s) => s.spanContext().traceId === traceId),
    'the caller’s trace is continued',
  )
  const [root] = treeOf(spans)
  t.equal(root!.name, 'POST /graphql')
  t.equal(root!.children.length, 1)
  const op = root!.children[0]!
  t.equal(op.name, 'query Members')
  const queries = op.children.map((c) => c.name)
  t.ok(queries.includes('requester'), 'the requester lookup')
  t.ok(
    queries.some((name) => /^User\./.test(name)),
    `a Prisma query on User (${queries.join(', ')})`,
  )
})

t.test('a failing operation marks its span; a 404 has a span too', async (t) => {
  const exporter = new InMemorySpanExporter()
  const h = await buildTestApp(t, {}, { spanExporter: exporter })
  await h.call({ url: '/no/such/route' })
  const notFound = exporter.getFinishedSpans()
  t.equal(notFound.length, 1)
  t.equal(notFound[0]!.name, 'GET')
  t.equal(notFound[0]!.attributes['http.response.status_code'], 404)
  exporter.reset()
  const res = await h.call({ url: '/user/profile' })
  t.equal(res.status, 401)
  const gql = exporter.getFinishedSpans().find((s) => s.name === 'query RestUserProfile')!
  t.equal(gql.attributes['graphql.outcome'], 'UNAUTHENTICATED')
})

t.test('OTEL_EXPORTER_OTLP_ENDPOINT sends the spans to a collector over OTLP/HTTP', async (t) => {
  const received: { path: string; body: string }[] = []
  const collector = createServer((req, res) => {
    let body = ''
    req.on('data', (chunk) => (body += chunk))
    req.on('end', () => {
      received.push({ path: req.url ?? '', body })
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}')
    })
  })
  await new Promise<void>((resolve) => collector.listen(0, '127.0.0.1', resolve))
  t.teardown(() => new Promise((resolve) => collector.close(resolve)))
  const endpoint = `http://127.0.0.1:${(collector.address() as AddressInfo).port}`
  const h = await buildTestApp(t, { OTEL_EXPORTER_OTLP_ENDPOINT: endpoint, OTEL_SERVICE_NAME: 'gateway-under-test' })
  const res = await h.call({ url: '/user/profile', as: 'owner@demo.test', headers: { 'x-request-id': 'otlp-check' } })
  t.equal(res.status, 200)
  await h.app.close() // flushes the batch
  t.ok(received.length >= 1, 'the collector was called')
  t.equal(received[0]!.path, '/v1/traces')
  const all = received.map((r) => r.body).join('\n')
  t.match(all, 'gateway-under-test', 'the service name')
  t.match(all, 'GET /user/profile')
  t.match(all, 'otlp-check', 'the request id')
})

t.test('no OTLP endpoint, no exporter, no METRICS_PORT: nothing traced or collected, the database not even wrapped', async (t) => {
  t.equal(createTracing({ otlpEndpoint: undefined, serviceName: 'x' }), undefined)
  const h = await buildTestApp(t)
  t.equal(h.app.db, h.db, 'the app uses the database as opened, with no per-query wrapper')
  t.equal(h.app.metricsPort, undefined, 'no metrics listener')
  const res = await h.call({ url: '/user/profile', as: 'owner@demo.test' })
  t.equal(res.status, 200)
})
