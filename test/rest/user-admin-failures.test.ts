// When the database is gone: every user-administration route answers its documented 500, and
// leaks no driver message.
import t from 'tap'
import { buildTestApp } from '../helper.js'

const h = await buildTestApp(t)
const someone = await h.userId('user@demo.test')
const tokens = { authorization: `Bearer ${await h.tokenFor('owner@demo.test')}` }
await h.db.close()

const call = (method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: object) => h.call({ method, url, payload, headers: tokens })

t.test('500 envelopes', async (t) => {
  const standard = (body: Record<string, unknown>) => {
    t.equal(body.success, false)
    t.equal(body.message, 'Internal server error')
    t.type(body.error, 'string')
  }
  const cases: [string, () => ReturnType<typeof call>, (body: any) => void][] = [
    ['PUT /user/{id}', () => call('PUT', `/user/${someone}`, { name: 'X' }), standard],
    ['PUT /user/{id}/role', () => call('PUT', `/user/${someone}/role`, { orgRole: 1 }), standard],
    [
      'POST /organization/users',
      () => call('POST', '/organization/users', { email: 'a@b.cd', password: 'Abcdefg1', firstName: 'A', lastName: 'B' }),
      standard,
    ],
    ['DELETE /organization/users/{id}', () => call('DELETE', `/organization/users/${someone}`), standard],
    ['POST /organization/users/{id}/activate', () => call('POST', `/organization/users/${someone}/activate`), standard],
    [
      'PUT /organization/users/{id}',
      () => call('PUT', `/organization/users/${someone}`, { name: 'X' }),
      (body) => {
        standard(body)
        t.same(body.data, {})
      },
    ],
    ['GET /organization/users', () => call('GET', '/organization/users'), (body) => t.same(body, { success: false, data: [], total: 0 })],
    [
      'GET /user/quota',
      () => call('GET', '/user/quota'),
      (body) => t.same(body, { success: false, error_code: 'INTERNAL_ERROR', message: 'Internal server error' }),
    ],
  ]
  for (const [label, request, check] of cases) {
    const res = await request()
    t.equal(res.status, 500, label)
    check(res.body)
    t.notMatch(JSON.stringify(res.body), /PGlite|pool|stack|\.ts|ECONN|prisma/i, `${label}: nothing internal`)
  }
})
