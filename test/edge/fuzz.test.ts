// A bounded, seeded fuzz over loopback: malformed input to every route (REST table, /graphql, operations),
// with and without tokens. No answer may be a 5xx; every 4xx is JSON in an envelope.
// Reproduce a failure with FUZZ_SEED=<seed>; FUZZ_REQUESTS sets how many requests are sent.
import { randomUUID } from 'node:crypto'
import { connect } from 'node:net'
import t from 'tap'
import { buildTestApp } from '../helper.js'
import { compatRoutes } from '../../src/rest/plugin.js'

const SEED = Number(process.env.FUZZ_SEED ?? 20261201)
const REQUESTS = Number(process.env.FUZZ_REQUESTS ?? 600)

/** mulberry32: small, seeded, good enough to pick inputs. */
function prng(seed: number) {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let x = Math.imul(a ^ (a >>> 15), 1 | a)
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296
  }
}
const random = prng(SEED)
const int = (n: number) => Math.floor(random() * n)
const pick = <T>(items: readonly T[]): T => items[int(items.length)]!
const chance = (p: number) => random() < p

const h = await buildTestApp(t, {
  RATE_LIMIT_LOGIN_PER_ADDRESS: '100000',
  RATE_LIMIT_LOGIN_PER_ACCOUNT: '100000',
  RATE_LIMIT_REGISTER_PER_ADDRESS: '100000',
  RATE_LIMIT_REFRESH_PER_ADDRESS: '100000',
})
const users = ['owner@demo.test', 'workspaces@demo.test', 'user@demo.test', 'loner@demo.test']
const ids = await Promise.all(users.map((u) => h.userId(u)))
const tokens = await Promise.all(users.map((u) => h.tokenFor(u)))

const NASTY_TEXT = [
  '',
  ' ',
  'a\u0000b',
  '\u0000',
  'x\ud800',
  '\udfff',
  '\ud83d\ude00',
  '\u202e\ufeff',
  '%ZZ',
  "'; DROP TABLE users; --",
  '{{}}',
  '__proto__',
  'x'.repeat(300),
  'y'.repeat(5000),
  '\n\r\t',
  'Demo-Password-1',
  'owner@demo.test',
  ' OWNER@DEMO.TEST ',
]

function deep(levels: number): unknown {
  let value: unknown = 'leaf'
  for (let i = 0; i < levels; i++) value = chance(0.5) ? [value] : { k: value }
  return value
}

/** Any JSON value, biased towards what breaks things. */
function nasty(depth = 0): unknown {
  switch (int(depth > 2 ? 6 : 9)) {
    case 0:
      return pick(NASTY_TEXT)
    case 1:
      return pick([0, -1, 1.5, 2 ** 31, 2 ** 53 + 2, -(2 ** 63), 255, 254, 3, 1e308])
    case 2:
      return pick([true, false, null])
    case 3:
      return pick(ids)
    case 4:
      return randomUUID()
    case 5:
      return pick(NASTY_TEXT) + pick(NASTY_TEXT)
    case 6:
      return Array.from({ length: int(4) }, () => nasty(depth + 1))
    case 7:
      return Object.fromEntries(
        Array.from({ length: int(4) }, () => [pick(['os', 'a', '__proto__', 'x\u0000', 'userAgent', 'name']), nasty(depth + 1)]),
      )
    default:
      return deep(pick([6, 20, 40, 300]))
  }
}

type Schema = { properties?: Record<string, { type?: unknown }>; required?: string[] }

function plausibleValue(type: unknown): unknown {
  const first = Array.isArray(type) ? type[0] : type
  return first === 'string'
    ? pick(['x', 'Strong-Pass-1', 'new@example.test', 'Name'])
    : first === 'boolean'
      ? false
      : first === 'integer'
        ? 0
        : first === 'object'
          ? {}
          : null
}

function body(schema: Schema | undefined): unknown {
  const out: Record<string, unknown> = {}
  for (const [name, prop] of Object.entries(schema?.properties ?? {})) if (chance(0.8)) out[name] = plausibleValue(prop.type)
  const names = Object.keys(schema?.properties ?? {})
  for (let i = int(3); i >= 0; i--) out[names.length > 0 && chance(0.85) ? pick(names) : pick(['extra', 'constructor', 'query'])] = nasty()
  return chance(0.05) ? pick([[], 'text', 7, null]) : out
}

function pathParam(): string {
  return pick([
    randomUUID(),
    ...ids,
    'not-a-uuid',
    '%ZZ',
    '%',
    '%ED%A0%80',
    '%00',
    '%C0%AF',
    'a'.repeat(int(3000)),
    encodeURIComponent(pick(NASTY_TEXT.filter((s) => !/[\ud800-\udfff]/.test(s)))),
  ])
}

function queryString(): string {
  if (chance(0.5)) return ''
  const pairs = Array.from(
    { length: 1 + int(3) },
    () =>
      `${pick(['limit', 'offset', 'query', 'variables', 'x', '%ZZ'])}=${pick(['1', '-1', '99999999999', '%00', '%ZZ', 'abc', '', '%ED%A0%80', '0x10', '1e3'])}`,
  )
  return `?${pairs.join('&')}`
}

const GRAPHQL_DOCUMENTS = [
  '{ me { id email } }',
  'query ($id: ID!) { user(id: $id) { userId } }',
  'query ($id: ID!) { organizationUser(id: $id) { id deletedAt } }',
  'query ($l: Int, $o: Int) { organizationUsers(limit: $l, offset: $o) { total } }',
  'mutation ($e: String!, $p: String!, $d: JSONObject) { login(email: $e, password: $p, deviceInfo: $d) { tokenId } }',
  'mutation ($input: RegisterInput!) { register(input: $input) { tokenId } }',
  'mutation ($id: ID!, $input: UserUpdateInput!) { updateUser(id: $id, input: $input) { success } }',
  'mutation ($id: ID!, $r: Int!) { updateUserRole(id: $id, orgRole: $r) { newRole } }',
  'mutation ($input: OrganizationUserCreateInput!) { createOrganizationUser(input: $input) { id } }',
  'mutation ($id: ID!, $input: OrganizationUserUpdateInput!) { updateOrganizationUser(id: $id, input: $input) { id } }',
  'mutation ($t: String!) { refresh(refreshToken: $t) { accessToken } }',
  'mutation ($t: ID!) { revokeSession(tokenId: $t) { success } }',
  '{ sessions { tokenId deviceInfo } quota { quotaUsage { usage { current } } } }',
  'mutation { login(email: "a\\u0000", password: "x") { tokenId } }',
  'mutation { login(email: "a", password: "x", deviceInfo: {a: {b: {c: {d: {e: {f: 1}}}}}}) { tokenId } }',
  '{ me { id ',
  '{ __schema { types { name } } }',
  'subscription { x }',
  '',
  '{ user(id: "\\u0000") { userId } }',
]

function graphqlPayload(): unknown {
  const variables = Object.fromEntries(
    ['id', 'e', 'p', 'd', 'l', 'o', 'r', 't', 'input']
      .filter(() => chance(0.6))
      .map((name) => [
        name,
        name === 'input'
          ? body({
              properties: {
                email: {},
                password: {},
                firstName: {},
                lastName: {},
                name: {},
                companyName: {},
                isBusiness: { type: 'boolean' },
              },
            })
          : nasty(),
      ]),
  )
  const one = {
    query: chance(0.9) ? pick(GRAPHQL_DOCUMENTS) : nasty(),
    variables: chance(0.9) ? variables : nasty(),
    ...(chance(0.1) && { operationName: nasty() }),
  }
  return chance(0.05) ? [one, one] : one
}

interface Request {
  method: string
  url: string
  headers: Record<string, string>
  body?: string
  graphql: boolean
}

function nextRequest(): Request {
  const headers: Record<string, string> = {}
  const auth = int(5)
  if (auth < 3) headers.authorization = `Bearer ${pick(tokens)}`
  else if (auth === 3) headers.authorization = pick(['Bearer x.y.z', 'Basic abc', 'Bearer', `Bearer ${pick(tokens)}x`])
  if (chance(0.1)) headers['user-agent'] = pick(['fuzz/1.0', 'x'.repeat(2000), 'ünïcode'])
  const json = () => {
    headers['content-type'] = pick([
      'application/json',
      'application/json',
      'application/json; charset=utf-8',
      'text/plain',
      'application/x-www-form-urlencoded',
    ])
  }
  const text = (value: unknown) => {
    const serialized = JSON.stringify(value) ?? 'null'
    // Now and then malformed or oversized JSON.
    if (chance(0.05)) return serialized.slice(0, int(serialized.length))
    if (chance(0.02)) return JSON.stringify({ blob: 'z'.repeat(70_000) })
    return serialized
  }
  if (chance(0.25)) {
    const get = chance(0.3)
    const payload = graphqlPayload() as { query?: unknown; variables?: unknown }
    if (get) {
      const q = Array.isArray(payload) ? payload[0] : payload
      const params = new URLSearchParams({ query: String(q.query), variables: JSON.stringify(q.variables) ?? '' })
      return { method: 'GET', url: `/graphql?${params}`, headers, graphql: true }
    }
    json()
    return { method: 'POST', url: '/graphql', headers, body: text(payload), graphql: true }
  }
  if (chance(0.03))
    return {
      method: pick(['GET', 'OPTIONS', 'PATCH']),
      url: pick(['/health', '/ready', '/nowhere', '/%ZZ', '/user/profile/extra']),
      headers,
      graphql: false,
    }
  const route = pick(compatRoutes)
  const url = route.url.replace(/:\w+/g, () => pathParam()) + queryString()
  const method = chance(0.05) ? pick(['GET', 'POST', 'PUT', 'DELETE']) : route.method
  if (method === 'GET' || method === 'DELETE') return { method: method as string, url, headers, graphql: false }
  json()
  return { method: method as string, url, headers, body: text(body(route.body as Schema | undefined)), graphql: false }
}

/** A few requests HTTP's parser refuses outright, sent as raw bytes. */
const RAW = [
  'GARBAGE\r\n\r\n',
  'GET /user/profile HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n',
  `GET /user/profile HTTP/1.1\r\nHost: x\r\nX: ${'h'.repeat(17_000)}\r\n\r\n`,
  'POST /user/login HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nContent-Type: application/json\r\n\r\nzz\r\n{}\r\n0\r\n\r\n',
  'GET /user/\u0000 HTTP/1.1\r\nHost: x\r\n\r\n',
]

function rawExchange(port: number, request: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.end(request, 'latin1'))
    let text = ''
    socket.setEncoding('utf8')
    socket.on('data', (chunk) => (text += chunk))
    socket.on('close', () => resolve(text))
    socket.on('error', reject)
  })
}

function envelopeProblem(graphql: boolean, status: number, contentType: string | null, text: string): string | null {
  if (!contentType?.startsWith('application/json')) return `content-type ${contentType}`
  let body: any
  try {
    body = JSON.parse(text)
  } catch {
    return 'body is not JSON'
  }
  if (graphql && status !== 404) {
    const errors = Array.isArray(body) ? body.flatMap((b: any) => b.errors ?? []) : body.errors
    if (!Array.isArray(errors) || errors.length === 0) return 'no errors'
    if (!errors.every((e: any) => typeof e.message === 'string')) return 'an error without a message'
    return null
  }
  if (body?.success !== false) return 'success is not false'
  // GET /organization/users documents its 403 and 500 as an empty page without a message.
  const emptyPage = Array.isArray(body.data) && body.data.length === 0 && body.total === 0
  if (typeof body.message !== 'string' && typeof body.error_code !== 'string' && !emptyPage) return 'no message or error_code'
  return null
}

t.test(`fuzz: ${REQUESTS} requests, seed ${SEED}: no 5xx, every 4xx an envelope`, async (t) => {
  await h.app.listen({ port: 0, host: '127.0.0.1' })
  const port = (h.app.server.address() as { port: number }).port
  const statuses = new Map<number, number>()
  const failures: string[] = []
  for (let i = 0; i < REQUESTS; i++) {
    const request = nextRequest()
    const res = await fetch(`http://127.0.0.1:${port}${request.url}`, {
      method: request.method,
      headers: request.headers,
      body: request.body,
    })
    const text = await res.text()
    statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1)
    const label = `#${i} ${request.method} ${request.url.slice(0, 80)} ${request.body?.slice(0, 120) ?? ''}`
    if (res.status >= 500) failures.push(`${label} → ${res.status} ${text.slice(0, 200)}`)
    else if (res.status >= 400) {
      const problem = envelopeProblem(request.graphql, res.status, res.headers.get('content-type'), text)
      if (problem) failures.push(`${label} → ${res.status}: ${problem}: ${text.slice(0, 200)}`)
    }
  }
  for (const request of RAW) {
    const answer = await rawExchange(port, request)
    const status = Number(answer.split(' ')[1])
    statuses.set(status, (statuses.get(status) ?? 0) + 1)
    const [head, text = ''] = answer.split('\r\n\r\n')
    const contentType = /content-type: ([^\r\n]+)/i.exec(head ?? '')?.[1] ?? null
    const problem = status >= 500 ? `status ${status}` : status >= 400 ? envelopeProblem(false, status, contentType, text) : null
    if (problem) failures.push(`raw ${JSON.stringify(request.slice(0, 60))} → ${status}: ${problem}`)
  }
  t.same(failures, [], 'no 5xx and no 4xx without an envelope')
  t.ok(
    [...statuses.keys()].some((s) => s >= 400 && s < 500),
    'the fuzz reached refusals',
  )
  t.ok(
    [...statuses.keys()].some((s) => s < 300),
    'and successes',
  )
  t.comment(`statuses: ${JSON.stringify(Object.fromEntries([...statuses].sort(([a], [b]) => a - b)))}`)
})
