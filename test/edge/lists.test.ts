// Bounded lists (safety issue item 2): every list of the schema has a bound in its resolver and in the
// cost model; `sessions` is paged (GraphQL and GET /token, GET /sessions); 20 aliased `sessions` are
// priced at 20 × their page; one answer has a size cap (RESPONSE_LIMIT_BYTES), an error in the envelope.
import t from 'tap'
import { getNamedType, getNullableType, isListType, isObjectType } from 'graphql'
import { buildTestApp, type TestApp } from '../helper.js'
import { buildSchema } from '../../src/graphql/schema.js'
import { LIST_BOUNDS, PAGED_FIELDS } from '../../src/edge/cost.js'

/** About 4 KB of deviceInfo, as much as a login may store. */
const DEVICE_INFO = { userAgent: 'bench', notes: 'x'.repeat(4000) }

/** `count` live sessions of `email`, one second apart, the newest a minute ago; written directly, for speed. */
async function seedSessions(h: TestApp, email: string, count: number) {
  const userId = await h.userId(email)
  const now = Date.now()
  await h.db.prisma.session.createMany({
    data: Array.from({ length: count }, (_, i) => ({
      userId,
      createdAt: new Date(now - 60_000 - i * 1000),
      expiresAt: new Date(now + 86_400_000),
      deviceInfo: DEVICE_INFO,
      userAgent: `agent ${i}`,
    })),
  })
}

const aliased = (n: number, field: string) => Array.from({ length: n }, (_, i) => `a${i}: ${field}`).join(' ')

t.test('every list of the schema is bounded: by its limit, its paged parent, or a static maximum', async (t) => {
  const schema = buildSchema()
  const pagedObjects = new Set<string>()
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue
    for (const field of Object.values(type.getFields())) {
      const paged = field.args.some((a) => a.name === 'limit')
      if (paged && !isListType(getNullableType(field.type))) pagedObjects.add(getNamedType(field.type).name)
    }
  }
  const unbounded: string[] = []
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue
    for (const field of Object.values(type.getFields())) {
      if (!isListType(getNullableType(field.type))) continue
      const coordinate = `${type.name}.${field.name}`
      if (PAGED_FIELDS[coordinate] || LIST_BOUNDS[coordinate] || pagedObjects.has(type.name)) continue
      unbounded.push(coordinate)
    }
  }
  t.same(unbounded, [], 'no list without a bound in src/edge/cost.ts')
  t.ok(PAGED_FIELDS['Query.sessions'], 'sessions is paged')
})

t.test('sessions with 206 of them', async (t) => {
  const h = await buildTestApp(t)
  const email = 'billing@demo.test'
  await h.tokenFor(email) // the caller's own session: the newest
  await seedSessions(h, email, 205)

  t.test('GraphQL: a page of 100 by default, limit and offset for the others', async (t) => {
    const first = await h.graphql('{ sessions { tokenId current } }', {}, email)
    t.equal(first.body.data.sessions.length, 100, 'the default page')
    t.equal(first.body.data.sessions[0].current, true, "newest first: the request's own session")
    const last = await h.graphql('{ sessions(limit: 100, offset: 200) { tokenId } }', {}, email)
    t.equal(last.body.data.sessions.length, 6, 'the last page')
    const page = await h.graphql('query ($l: Int, $o: Int) { sessions(limit: $l, offset: $o) { tokenId } }', { l: 3, o: 99 }, email)
    t.same(
      page.body.data.sessions.map((s: { tokenId: string }) => s.tokenId).slice(0, 1),
      [first.body.data.sessions[99].tokenId],
      'pages follow one another',
    )
    t.equal(page.body.data.sessions.length, 3)
  })

  t.test('GraphQL: a limit outside 1–100 or a negative offset is BAD_USER_INPUT', async (t) => {
    for (const [args, message] of [
      ['limit: 0', 'limit must be between 1 and 100'],
      ['limit: 101', 'limit must be between 1 and 100'],
      ['offset: -1', 'offset must not be negative'],
    ] as const) {
      const res = await h.graphql(`{ sessions(${args}) { tokenId } }`, {}, email)
      t.equal(res.status, 200, args)
      t.equal(res.body.data, null, `${args}: nothing listed`)
      t.equal(res.body.errors[0].extensions.code, 'BAD_USER_INPUT', args)
      t.equal(res.body.errors[0].message, message, args)
    }
    const variable = await h.graphql('query ($l: Int) { sessions(limit: $l) { tokenId } }', { l: 100_000 }, email)
    t.equal(variable.body.errors[0].message, 'limit must be between 1 and 100', 'from a variable as well')
  })

  t.test('GET /token and GET /sessions keep their envelopes, with the first page by default', async (t) => {
    const tokens = await h.call({ method: 'GET', url: '/token', as: email })
    t.equal(tokens.status, 200)
    t.equal(tokens.body.success, true)
    t.equal(tokens.body.tokens.length, 100, 'tokens: the first 100')
    t.same(tokens.body.data, tokens.body.tokens, 'data: the same list')
    t.equal(tokens.body.tokens[1].deviceInfo.notes, DEVICE_INFO.notes, 'deviceInfo as before')
    const paged = await h.call({ method: 'GET', url: '/token?limit=2&offset=1', as: email })
    t.same(
      paged.body.tokens.map((s: { tokenId: string }) => s.tokenId),
      tokens.body.tokens.slice(1, 3).map((s: { tokenId: string }) => s.tokenId),
    )
    const sessions = await h.call({ method: 'GET', url: '/sessions?limit=5', as: email })
    t.equal(sessions.status, 200)
    t.equal(sessions.body.sessions.length, 5)
    t.equal((await h.call({ method: 'GET', url: '/sessions', as: email })).body.sessions.length, 100)
    for (const url of ['/token?limit=101', '/sessions?limit=0']) {
      const res = await h.call({ method: 'GET', url, as: email })
      t.equal(res.status, 400, url)
      t.same(res.body, { success: false, message: 'limit must be between 1 and 100' }, url)
    }
    const junk = await h.call({ method: 'GET', url: '/token?offset=-3', as: email })
    t.equal(junk.status, 400, 'not a number: refused by the route schema')
    t.equal(junk.body.success, false)
  })

  t.test('20 aliased sessions: refused with deviceInfo, cheap without', async (t) => {
    const refused = await h.graphql(`{ ${aliased(20, 'sessions { tokenId userAgent deviceInfo }')} }`, {}, email)
    t.equal(refused.status, 200)
    t.notOk('data' in refused.body, 'nothing ran')
    t.equal(refused.body.errors[0].extensions.reason, 'COST_LIMIT')
    t.equal(refused.body.errors[0].message, 'The operation costs 4000; at most 2000 is allowed', '20 × 100 × (1 + 1)')
    const smaller = await h.graphql(`{ ${aliased(20, 'sessions(limit: 50) { tokenId deviceInfo }')} }`, {}, email)
    t.equal(smaller.body.data.a19.length, 50, 'a smaller page fits the budget')
    const cheap = await h.graphql(`{ ${aliased(20, 'sessions { tokenId userAgent }')} }`, {}, email)
    t.equal(Object.keys(cheap.body.data).length, 20)
    t.equal(cheap.body.data.a0.length, 100, 'each alias gets its page, no more')
    t.ok(JSON.stringify(cheap.body).length < 200_000, 'about 20 × 100 × 80 bytes')
  })
})

t.test('one answer has a size cap: over it, an error in the envelope', async (t) => {
  const h = await buildTestApp(t, { RESPONSE_LIMIT_BYTES: '65536' })
  const email = 'user@demo.test'
  await h.tokenFor(email)
  await seedSessions(h, email, 30)

  t.test('/graphql: data null and a RESPONSE_LIMIT error, in both media types', async (t) => {
    for (const accept of ['application/json', 'application/graphql-response+json']) {
      const res = await h.call({
        method: 'POST',
        url: '/graphql',
        payload: { query: '{ sessions { tokenId deviceInfo } }' },
        headers: { accept },
        as: email,
      })
      t.equal(res.status, 200, `${accept}: it ran`)
      t.same(
        res.body,
        {
          data: null,
          errors: [
            {
              message: 'The answer is larger than 65536 bytes: ask for fewer fields or a smaller page (limit, offset)',
              extensions: { code: 'BAD_USER_INPUT', reason: 'RESPONSE_LIMIT' },
            },
          ],
        },
        accept,
      )
    }
    const fits = await h.graphql('{ sessions(limit: 5) { tokenId deviceInfo } }', {}, email)
    t.equal(fits.body.data.sessions.length, 5, 'a smaller page fits')
  })

  t.test('REST: a 400 in the route envelope', async (t) => {
    const res = await h.call({ method: 'GET', url: '/token', as: email })
    t.equal(res.status, 400)
    t.match(res.headers['content-type'], /^application\/json; charset=utf-8/)
    t.same(res.body, {
      success: false,
      message: 'The answer is larger than 65536 bytes: ask for fewer fields or a smaller page (limit, offset)',
    })
    const page = await h.call({ method: 'GET', url: '/token?limit=5', as: email })
    t.equal(page.status, 200, 'a page under the cap')
    t.equal(page.body.tokens.length, 5)
    t.match(page.headers['content-type'], /^application\/json; charset=utf-8/)
    t.equal((await h.call({ method: 'GET', url: '/sessions', as: email })).status, 200, 'without deviceInfo the same list fits')
  })
})
