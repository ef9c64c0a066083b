// A request refused before any resolver runs (malformed JSON, wrong types, too large) still gets
// its route's documented envelope: 4xx, never 500.
import t from 'tap'
import { buildTestApp } from '../helper.js'

t.test('refused requests keep each route envelope', async (t) => {
  const h = await buildTestApp(t)
  const userId = await h.userId('user@demo.test')
  const json = { 'content-type': 'application/json' }

  let res = await h.call({ method: 'POST', url: '/user/register', headers: json, payload: '{"email": ' })
  t.equal(res.status, 400)
  t.same(res.body, { success: false, error_code: 'INVALID_REQUEST', message: 'Malformed JSON body' })

  res = await h.call({ method: 'POST', url: '/user/login', payload: { email: 'owner@demo.test', password: 7 } })
  t.equal(res.status, 400)
  t.equal(res.body.success, false)
  t.equal(res.body.error_code, 'INVALID_REQUEST')
  t.match(res.body.message, /password/)

  res = await h.call({ method: 'PUT', url: `/organization/users/${userId}`, as: 'owner@demo.test', payload: { name: 5 } })
  t.equal(res.status, 400)
  t.same(Object.keys(res.body).sort(), ['data', 'message', 'success'])
  t.same(res.body.data, {}, 'this route documents data: {} on errors')

  res = await h.call({ method: 'PUT', url: `/organization/users/${userId}`, as: 'owner@demo.test', headers: json, payload: '{' })
  t.equal(res.status, 400)
  t.same(res.body, { success: false, data: {}, message: 'Malformed JSON body' })

  res = await h.call({ method: 'GET', url: '/organization/users?limit=lots', as: 'owner@demo.test' })
  t.equal(res.status, 400)
  t.match(res.body, { success: false, data: [], total: 0, message: /limit/ })

  res = await h.call({ method: 'PUT', url: `/user/${userId}/role`, as: 'owner@demo.test', payload: { orgRole: 'OWNER' } })
  t.equal(res.status, 400)
  t.equal(res.body.success, false)
  t.type(res.body.message, 'string')

  res = await h.call({
    method: 'PUT',
    url: `/user/${userId}`,
    as: 'owner@demo.test',
    headers: json,
    payload: JSON.stringify({ name: 'x'.repeat(70_000) }),
  })
  t.equal(res.status, 413, 'a body beyond the limit')
  t.equal(res.body.success, false)
})
