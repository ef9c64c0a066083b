// The GraphiQL page and its assets: served here, same-origin only, under a strict CSP; off in production by default.
import t, { type Test } from 'tap'
import { buildTestApp } from '../helper.js'
import { loadConfig } from '../../src/config.js'
import { PLAYGROUND_ASSETS } from '../../src/playground/plugin.js'

/** The CSP's directives, by name. */
function directives(header: unknown): Map<string, string[]> {
  return new Map(
    String(header)
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter((d) => d[0])
      .map(([name, ...values]) => [name!, values]),
  )
}

/** A policy that lets the page load nothing, and run nothing, from anywhere but the gateway itself. */
function assertStrictCsp(t: Test, header: unknown) {
  const csp = directives(header)
  t.same(csp.get('default-src'), ["'self'"], 'default-src is self only')
  t.same(csp.get('script-src'), ["'self'"], 'no inline or eval script')
  t.same(csp.get('style-src'), ["'self'"], 'no inline style')
  t.same(csp.get('connect-src'), ["'self'"], 'fetches go to the gateway only')
  t.same(csp.get('object-src'), ["'none'"])
  t.same(csp.get('frame-ancestors'), ["'none'"])
  for (const [name, values] of csp) {
    for (const value of values) t.ok(["'self'", "'none'", 'data:'].includes(value), `${name} allows only the own origin (${value})`)
  }
}

t.test('the playground page', async (t) => {
  const h = await buildTestApp(t)
  const page = await h.call({ url: '/graphiql' })
  t.equal(page.status, 200)
  t.equal(page.headers['content-type'], 'text/html; charset=utf-8')
  assertStrictCsp(t, page.headers['content-security-policy'])
  t.equal(page.headers['x-content-type-options'], 'nosniff')

  const html = page.body as string
  t.notMatch(html, /(https?:)?\/\/[a-z0-9]/i, 'no absolute or protocol-relative URL: nothing from another origin')
  t.notMatch(html, /<script(?![^>]*\bsrc=)[^>]*>/i, 'no inline script')
  t.notMatch(html, /<style|\sstyle=|\son[a-z]+=/i, 'no inline style or event handler')

  const referenced = [...html.matchAll(/(?:src|href)="(\/[^"]+)"/g)].map((m) => m[1]!)
  t.ok(referenced.length >= 6, 'the page loads its scripts and styles from the gateway')
  for (const url of referenced) {
    const asset = await h.app.inject({ url })
    t.equal(asset.statusCode, 200, `${url} is served`)
    const expected = url.endsWith('.css') ? 'text/css; charset=utf-8' : 'text/javascript; charset=utf-8'
    t.equal(asset.headers['content-type'], expected, `${url} has its content type`)
    t.ok(Number(asset.headers['content-length']) > 0, `${url} is not empty`)
  }
  t.equal(Object.keys(PLAYGROUND_ASSETS).length, referenced.length, 'every served asset is one the page uses')

  const missing = await h.call({ url: '/graphiql/assets/nope.js' })
  t.equal(missing.status, 404)
  t.same(missing.body, { success: false, message: 'Route not found' })
})

function assertApiHeaders(t: Test, headers: Record<string, unknown>) {
  const csp = directives(headers['content-security-policy'])
  t.same(csp.get('default-src'), ["'none'"], 'a JSON answer may load nothing')
  t.same(csp.get('frame-ancestors'), ["'none'"], 'nor be framed')
  t.equal(headers['x-content-type-options'], 'nosniff')
  t.equal(headers['cache-control'], 'no-store', 'answers with tokens and personal data are not cached')
}

t.test('JSON routes get the API security headers without any change to their responses', async (t) => {
  const h = await buildTestApp(t)
  const profile = await h.call({ url: '/user/profile', as: 'owner@demo.test' })
  t.equal(profile.status, 200)
  t.equal(profile.headers['content-type'], 'application/json; charset=utf-8')
  t.equal(profile.body.data.email, 'owner@demo.test')
  assertApiHeaders(t, profile.headers)

  const refused = await h.call({ url: '/user/profile' })
  t.equal(refused.status, 401)
  assertApiHeaders(t, refused.headers)

  const gql = await h.graphql('{ me { email } }', {}, 'owner@demo.test')
  t.same(gql.body, { data: { me: { email: 'owner@demo.test' } } })
  const raw = await h.app.inject({ method: 'POST', url: '/graphql', payload: { query: '{ __typename }' } })
  t.equal(raw.headers['content-type'], 'application/json; charset=utf-8')
  assertApiHeaders(t, raw.headers as Record<string, unknown>)
})

t.test('the playground can be switched off, and is off in production unless asked for', async (t) => {
  t.equal(loadConfig({ NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(32) }).graphiql, false, 'off by default in production')
  t.equal(loadConfig({ NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(32), GRAPHIQL: 'true' }).graphiql, true, 'GRAPHIQL=true turns it on')
  t.equal(loadConfig({ NODE_ENV: 'development', DATA_DIR: t.testdir() }).graphiql, true, 'on by default in development')

  const offSettings: Record<string, string>[] = [{ GRAPHIQL: 'false' }, { NODE_ENV: 'production', LOG_LEVEL: 'silent' }]
  for (const env of offSettings) {
    const h = await buildTestApp(t, env)
    for (const url of ['/graphiql', '/graphiql/assets/graphiql.js']) {
      const res = await h.call({ url })
      t.equal(res.status, 404, `${url} is not served with ${JSON.stringify(env)}`)
      t.same(res.body, { success: false, message: 'Route not found' })
    }
  }
  const on = await buildTestApp(t, { NODE_ENV: 'production', LOG_LEVEL: 'silent', GRAPHIQL: 'true' })
  t.equal((await on.call({ url: '/graphiql' })).status, 200, 'GRAPHIQL=true serves it in production')
})
