// CORS: the configured origins only, the same for REST and /graphql; no CORS headers at all when none is set.
import t from 'tap'
import { buildTestApp } from '../helper.js'

const ALLOWED = 'https://app.example.com'
const OTHER = 'https://evil.example.net'
const preflight = (origin: string, url: string, method = 'POST') => ({
  method: 'OPTIONS' as const,
  url,
  headers: { origin, 'access-control-request-method': method, 'access-control-request-headers': 'authorization, content-type' },
})

t.test('CORS_ORIGINS: preflights and answers for an allowed origin, nothing for another', async (t) => {
  const h = await buildTestApp(t, { CORS_ORIGINS: `${ALLOWED}, http://localhost:5173`, CORS_MAX_AGE: '300' })
  for (const url of ['/user/login', '/user/profile', '/graphql']) {
    const ok = await h.call(preflight(ALLOWED, url, url === '/user/profile' ? 'GET' : 'POST'))
    t.equal(ok.status, 204, `${url}: preflight 204`)
    t.equal(ok.headers['access-control-allow-origin'], ALLOWED)
    t.match(String(ok.headers['access-control-allow-methods']), /GET.*POST.*PUT.*DELETE/)
    t.match(String(ok.headers['access-control-allow-headers']), /authorization.*content-type/)
    t.equal(ok.headers['access-control-max-age'], '300')
    t.equal(ok.headers['access-control-allow-credentials'], undefined, 'no credentials mode')
    t.match(String(ok.headers.vary), /Origin/i)
    const refused = await h.call(preflight(OTHER, url))
    t.equal(refused.headers['access-control-allow-origin'], undefined, `${url}: no allow-origin for another origin`)
  }
  const profile = await h.call({ url: '/user/profile', as: 'owner@demo.test', headers: { origin: ALLOWED } })
  t.equal(profile.status, 200)
  t.equal(profile.headers['access-control-allow-origin'], ALLOWED)
  t.match(String(profile.headers['access-control-expose-headers']), /x-request-id/)
  const graphql = await h.call({
    method: 'POST',
    url: '/graphql',
    as: 'owner@demo.test',
    headers: { origin: ALLOWED },
    payload: { query: '{ me { id } }' },
  })
  t.equal(graphql.headers['access-control-allow-origin'], ALLOWED)
  const other = await h.call({ url: '/user/profile', as: 'owner@demo.test', headers: { origin: OTHER } })
  t.equal(other.headers['access-control-allow-origin'], undefined, 'another origin gets no allow-origin')
  const prefix = await h.call({ url: '/health', headers: { origin: `${ALLOWED}.evil.net` } })
  t.equal(prefix.headers['access-control-allow-origin'], undefined, 'origins compare exactly, not as prefixes')
  const errorAnswer = await h.call({ url: '/user/profile', headers: { origin: ALLOWED } })
  t.equal(errorAnswer.status, 401)
  t.equal(errorAnswer.headers['access-control-allow-origin'], ALLOWED, 'errors carry it too, so the page can read them')
  const bad = await h.call({ method: 'OPTIONS', url: '/user/login', headers: { origin: ALLOWED } })
  t.equal(bad.status, 400, 'a preflight without Access-Control-Request-Method is refused')
})

t.test('CORS_CREDENTIALS=true turns on credentials mode', async (t) => {
  const h = await buildTestApp(t, { CORS_ORIGINS: ALLOWED, CORS_CREDENTIALS: 'true' })
  const res = await h.call(preflight(ALLOWED, '/user/login'))
  t.equal(res.headers['access-control-allow-credentials'], 'true')
  t.equal(res.headers['access-control-max-age'], '600', 'the default max age')
})

t.test('no CORS_ORIGINS: no CORS headers and no preflight route, as before', async (t) => {
  const h = await buildTestApp(t)
  const res = await h.call({ url: '/user/profile', as: 'owner@demo.test', headers: { origin: ALLOWED } })
  t.equal(res.status, 200)
  t.same(
    Object.keys(res.headers).filter((name) => name.startsWith('access-control-')),
    [],
  )
  const pre = await h.call(preflight(ALLOWED, '/user/login'))
  t.equal(pre.status, 404)
  t.equal(pre.headers['access-control-allow-origin'], undefined)
})
