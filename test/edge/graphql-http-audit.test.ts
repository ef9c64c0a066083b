// GraphQL over HTTP: graphql-http's server audit passes without an error or a warning in development and production.
import t from 'tap'
import { auditServer } from 'graphql-http'
import { buildTestApp } from '../helper.js'

for (const mode of ['development', 'production'] as const) {
  t.test(`auditServer in ${mode}: 0 errors, 0 warnings`, async (t) => {
    const h = await buildTestApp(t, { NODE_ENV: mode, LOG_LEVEL: 'silent' })
    await h.app.listen({ host: '127.0.0.1', port: 0 })
    const { port } = h.app.server.address() as { port: number }
    const results = await auditServer({ url: `http://127.0.0.1:${port}/graphql` })
    const notOk = results.filter((r) => r.status !== 'ok').map((r) => `${r.status} ${r.id} ${r.name}: ${'reason' in r ? r.reason : ''}`)
    t.same(notOk, [], 'every audit ok')
    t.ok(results.length >= 60, `${results.length} audits ran`)
  })
}
