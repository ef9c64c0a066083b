// The request log line of GET /graphql carries no variable value: the URL's query string is redacted
// (variables, extensions, the query text and any other parameter but operationName, limit and offset).
import t from 'tap'
import { buildTestApp } from '../helper.js'
import { redactedUrl } from '../../src/observability/requestLog.js'

const SECRET = 'Secret-Passw0rd-in-a-URL'

t.test('redactedUrl', async (t) => {
  t.equal(redactedUrl('/graphql'), '/graphql', 'no query string: as it is')
  t.equal(
    redactedUrl(`/graphql?query=%7Bme%7D&variables=${encodeURIComponent(JSON.stringify({ password: SECRET }))}&operationName=Me`),
    '/graphql?query=[redacted]&variables=[redacted]&operationName=Me',
  )
  t.equal(redactedUrl('/token?limit=5&offset=10&x'), '/token?limit=5&offset=10&[redacted]', 'paging stays; a bare parameter goes')
  t.equal(redactedUrl('/a?%6Cimit=5&extensions=%7B%7D&'), '/a?%6Cimit=5&extensions=[redacted]&', 'names are compared decoded')
  t.equal(redactedUrl('/a?%E0%A4%A=1'), '/a?%E0%A4%A=[redacted]', 'an undecodable name is redacted, not thrown on')
})

t.test('GET /graphql with a password in its variables: no log line holds it', async (t) => {
  const lines: string[] = []
  const h = await buildTestApp(t, { LOG_LEVEL: 'info' }, { logStream: { write: (line) => void lines.push(line) } })
  const params = (entries: Record<string, string>) => new URLSearchParams(entries).toString()
  const variables = JSON.stringify({ email: 'user@demo.test', password: SECRET })
  const urls = [
    // A query over GET that names a variable it does not declare: refused, but logged with its URL first.
    `/graphql?${params({ query: 'query Me { me { id } }', variables, operationName: 'Me' })}`,
    // A mutation over GET: 405, its text (a password literal) in the URL.
    `/graphql?${params({ query: `mutation { login(email: "user@demo.test", password: "${SECRET}") { accessToken } }` })}`,
    `/graphql?${params({ extensions: JSON.stringify({ persistedQuery: { version: 1, sha256Hash: SECRET } }) })}`,
    `/token?${params({ limit: '1', token: SECRET })}`,
  ]
  const statuses: number[] = []
  for (const url of urls) statuses.push((await h.call({ method: 'GET', url, as: 'user@demo.test' })).status)
  t.same(statuses, [200, 405, 200, 200], 'answered as usual')
  const logged = lines.join('')
  t.notOk(logged.includes(SECRET), 'the secret is in no log line')
  t.notOk(logged.includes(encodeURIComponent(SECRET)), 'nor percent-encoded')
  const incoming = lines.map((line) => JSON.parse(line)).filter((line) => line.msg === 'incoming request')
  t.same(
    incoming.map((line) => line.req.url),
    [
      '/graphql?query=[redacted]&variables=[redacted]&operationName=Me',
      '/graphql?query=[redacted]',
      '/graphql?extensions=[redacted]',
      '/token?limit=1&token=[redacted]',
    ],
    'each request is logged, its URL redacted',
  )
  t.equal(incoming[0].req.method, 'GET', "Fastify's other fields stay")
})
