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
  // Without the requester cache, so that every run queries (with it, runs 2 and 3 would have no query to show).
  const h = await buildTestApp(t, { REQUESTER_CACHE_SIZE: '0' }, { spanExporter: exporter })
  t.equal(h.app.requesterCache, null, 'REQUESTER_CACHE_SIZE=0: no cache')
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
    t.match(http.attributes, {
      'http.request.method': 'GET',
      'http.route': '/user/profile',
      'url.scheme': 'http',
      'http.response.status_code': 200,
    })
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

/** A real OTLP/HTTP receiver: every export request's path, content type and body. */
async function otlpReceiver(t: { teardown(fn: () => unknown): void }) {
  const received: { path: string; contentType: string; body: Buffer }[] = []
  const server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => {
      received.push({ path: req.url ?? '', contentType: req.headers['content-type'] ?? '', body: Buffer.concat(chunks) })
      res.writeHead(200, { 'content-type': req.headers['content-type'] ?? 'application/json' }).end()
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  t.teardown(() => new Promise((resolve) => server.close(resolve)))
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, received }
}

interface OtlpValue {
  stringValue?: string
  intValue?: number | string
  boolValue?: boolean
}
interface OtlpJsonSpan {
  name: string
  kind: number
  attributes: { key: string; value: OtlpValue }[]
}
interface OtlpJson {
  resourceSpans: { resource: { attributes: { key: string; value: OtlpValue }[] }; scopeSpans: { spans: OtlpJsonSpan[] }[] }[]
}
const attributesOf = (list: { key: string; value: OtlpValue }[]) =>
  Object.fromEntries(
    list.map(({ key, value }) => [
      key,
      value.stringValue ?? value.boolValue ?? (value.intValue === undefined ? undefined : Number(value.intValue)),
    ]),
  )

t.test(
  'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT alone, http/json: the spans and the OTEL_RESOURCE_ATTRIBUTES resource reach the receiver',
  async (t) => {
    const receiver = await otlpReceiver(t)
    const h = await buildTestApp(t, {
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: `${receiver.url}/collector/traces`,
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      OTEL_RESOURCE_ATTRIBUTES: 'deployment.environment.name=staging,service.namespace=accounts,team=id%3Dgw',
      OTEL_SERVICE_NAME: 'gateway-under-test',
    })
    const res = await h.call({ url: '/user/profile?debug=1', as: 'owner@demo.test', headers: { 'x-request-id': 'otlp-check' } })
    t.equal(res.status, 200)
    await h.app.close() // flushes the batch
    t.ok(receiver.received.length >= 1, 'the receiver was called')
    t.same(new Set(receiver.received.map((r) => r.path)), new Set(['/collector/traces']), 'at the traces endpoint as given')
    t.ok(
      receiver.received.every((r) => r.contentType.startsWith('application/json')),
      'OTLP/HTTP JSON',
    )
    const exports = receiver.received.map((r) => JSON.parse(r.body.toString('utf8')) as OtlpJson)
    const resource = attributesOf(exports[0]!.resourceSpans[0]!.resource.attributes)
    t.match(resource, {
      'service.name': 'gateway-under-test',
      'deployment.environment.name': 'staging',
      'service.namespace': 'accounts',
      team: 'id=gw',
      'telemetry.sdk.language': 'nodejs',
    })
    const spans = exports.flatMap((e) => e.resourceSpans.flatMap((r) => r.scopeSpans.flatMap((s) => s.spans)))
    const server = spans.find((s) => s.name === 'GET /user/profile')
    t.ok(server, 'the server span')
    t.equal(server!.kind, 2, 'SPAN_KIND_SERVER')
    t.match(attributesOf(server!.attributes), {
      'http.request.method': 'GET',
      'http.route': '/user/profile',
      'url.path': '/user/profile',
      'url.scheme': 'http',
      'http.response.status_code': 200,
      'gateway.request_id': 'otlp-check',
    })
    t.ok(
      spans.some((s) => s.name === 'query RestUserProfile'),
      'the operation span',
    )
    t.notMatch(JSON.stringify(exports), 'debug=1', 'no query string in any attribute')
  },
)

t.test('OTEL_EXPORTER_OTLP_ENDPOINT: OTLP/HTTP protobuf by default, at <base>/v1/traces', async (t) => {
  const receiver = await otlpReceiver(t)
  const h = await buildTestApp(t, {
    OTEL_EXPORTER_OTLP_ENDPOINT: `${receiver.url}/`,
    OTEL_RESOURCE_ATTRIBUTES: 'service.namespace=accounts',
  })
  t.equal((await h.call({ url: '/user/profile', as: 'owner@demo.test', headers: { 'x-request-id': 'proto-check' } })).status, 200)
  await h.app.close()
  t.ok(receiver.received.length >= 1, 'the receiver was called')
  t.ok(
    receiver.received.every((r) => r.path === '/v1/traces' && r.contentType === 'application/x-protobuf'),
    'protobuf at the signal path',
  )
  // Protobuf carries strings as their UTF-8 bytes: the service, the span names and the request id are in the body.
  const body = Buffer.concat(receiver.received.map((r) => r.body))
  for (const text of ['account-gateway', 'accounts', 'GET /user/profile', 'query RestUserProfile', 'proto-check', 'url.scheme'])
    t.ok(body.includes(text), `the export holds "${text}"`)
  t.notOk(body.subarray(0, 1).toString() === '{', 'not JSON')
})

t.test('OTEL_SDK_DISABLED=true (or OTEL_TRACES_EXPORTER=none): an endpoint set, yet nothing traced or sent', async (t) => {
  const receiver = await otlpReceiver(t)
  for (const off of [{ OTEL_SDK_DISABLED: 'true' }, { OTEL_TRACES_EXPORTER: 'none' }] as Record<string, string>[]) {
    const h = await buildTestApp(t, { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, ...off })
    t.equal(h.app.db, h.db, `${JSON.stringify(off)}: the database is not even wrapped`)
    t.equal((await h.call({ url: '/user/profile', as: 'owner@demo.test' })).status, 200)
    await h.app.close()
  }
  t.equal(receiver.received.length, 0, 'the receiver heard nothing')
})

t.test('url.scheme: https only when a trusted proxy says so', async (t) => {
  const exporter = new InMemorySpanExporter()
  const h = await buildTestApp(t, { TRUST_PROXY: '127.0.0.1' }, { spanExporter: exporter })
  const schemes = async (remoteAddress: string) => {
    exporter.reset()
    await h.app.inject({ url: '/health', remoteAddress, headers: { 'x-forwarded-proto': 'https' } })
    return exporter.getFinishedSpans().map((s) => s.attributes['url.scheme'])
  }
  t.same(await schemes('127.0.0.1'), ['https'], 'from the trusted proxy')
  t.same(await schemes('203.0.113.9'), ['http'], 'a client’s own X-Forwarded-Proto is not believed')
})

t.test('no OTLP endpoint, no exporter, no METRICS_PORT: nothing traced or collected, the database not even wrapped', async (t) => {
  t.equal(createTracing(undefined), undefined)
  const h = await buildTestApp(t)
  t.equal(h.app.db, h.db, 'the app uses the database as opened, with no per-query wrapper')
  t.equal(h.app.metricsPort, undefined, 'no metrics listener')
  const res = await h.call({ url: '/user/profile', as: 'owner@demo.test' })
  t.equal(res.status, 200)
})
