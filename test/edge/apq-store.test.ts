// Automatic persisted queries are registered by anyone: their store is bounded in bytes
// (GRAPHQL_APQ_MAX_BYTES), least recently used out first, in memory and in Redis alike; with Redis away
// the gateway keeps them in memory and never answers 500.
import t from 'tap'
import { Redis } from 'ioredis'
import { buildTestApp, type TestApp } from '../helper.js'
import { MemoryDocuments, RedisDocuments, entryBytes } from '../../src/edge/apqStore.js'
import { sha256 } from '../../src/crypto/digest.js'
import { REDIS_URL, redisAnswers, uniquePrefix } from '../auth/limitsScenario.js'

/** A valid document of about `bytes` bytes: a comment pads it (comments are no tokens). */
const padded = (name: string, bytes: number) => `# ${'x'.repeat(bytes)}\nquery ${name} { me { id } }`

const apq = (h: TestApp, query: string, withText: boolean) =>
  h.call({
    method: 'POST',
    url: '/graphql',
    payload: { ...(withText && { query }), extensions: { persistedQuery: { version: 1, sha256Hash: sha256(query) } } },
    as: 'user@demo.test',
  })

t.test('in memory: never more bytes than the bound, least recently used out first', async (t) => {
  const store = new MemoryDocuments(10_000)
  const documents = Array.from({ length: 100 }, (_, i) => padded(`Q${i}`, 900 + i))
  let worst = 0
  for (const [i, text] of documents.entries()) {
    await store.set(sha256(text), text)
    worst = Math.max(worst, store.bytes)
    // Q0 stays in use all along.
    if (i > 0) t.equal(await store.get(sha256(documents[0]!)), documents[0], `Q0 is still there after Q${i}`)
  }
  t.ok(worst <= 10_000, `at most 10,000 bytes held (worst ${worst})`)
  t.ok(store.size >= 8 && store.size <= 10, `about ten 1 KB documents kept (${store.size})`)
  t.equal(await store.get(sha256(documents[1]!)), undefined, 'Q1, unused since, is gone')
  t.equal(await store.get(sha256(documents[99]!)), documents[99], 'the newest is there')
  await store.set('h'.repeat(64), 'x'.repeat(20_000))
  t.equal(await store.get('h'.repeat(64)), undefined, 'a document larger than the whole bound is not kept')
  t.ok(store.bytes <= 10_000)
  const again = store.bytes
  await store.set(sha256(documents[99]!), documents[99]!)
  t.equal(store.bytes, again, 'registering a known document again counts it once')
})

t.test('through /graphql: 1,000 × 6 KB registrations hold at most GRAPHQL_APQ_MAX_BYTES', async (t) => {
  const h = await buildTestApp(t, { GRAPHQL_APQ_MAX_BYTES: '65536' })
  const documents = Array.from({ length: 40 }, (_, i) => padded(`Big${i}`, 6000))
  for (const text of documents) t.equal((await apq(h, text, true)).status, 200)
  t.equal((await apq(h, documents[0]!, false)).body.errors[0].message, 'PersistedQueryNotFound', 'the oldest went')
  const newest = await apq(h, documents[39]!, false)
  t.ok(newest.body.data.me.id, 'the newest runs by its hash')
  // Ten of them fit in 64 KB; the 11th from the end was dropped.
  t.ok((await apq(h, documents[30]!, false)).body.data, 'the tenth newest is kept')
  t.equal((await apq(h, documents[29]!, false)).body.errors[0].message, 'PersistedQueryNotFound', 'the eleventh newest is not')
  t.equal(entryBytes(sha256(documents[0]!), documents[0]!) * 10 <= 65536, true, 'ten entries fit the bound')
  const junk = await h.call({
    method: 'POST',
    url: '/graphql',
    payload: { extensions: { persistedQuery: { version: 1, sha256Hash: 'not-a-hash' } } },
    as: 'user@demo.test',
  })
  t.equal(junk.body.errors[0].message, 'PersistedQueryNotFound', 'a hash that is no sha256 is looked up nowhere')
  const off = await buildTestApp(t, { GRAPHQL_APQ_MAX_BYTES: '0' })
  t.ok((await apq(off, documents[0]!, true)).body.data, 'a bound of 0 keeps nothing, and still runs the text')
  t.equal((await apq(off, documents[0]!, false)).body.errors[0].message, 'PersistedQueryNotFound')
})

t.test('in Redis: one bound in bytes for every gateway', async (t) => {
  if (!(await redisAnswers(t))) return
  const prefix = uniquePrefix(t)
  const stores = [0, 1].map(() => new RedisDocuments({ url: REDIS_URL, keyPrefix: prefix, maxBytes: 20_000, commandTimeoutMs: 2000 }))
  t.teardown(() => Promise.all(stores.map((s) => s.close())))
  const redis = new Redis(REDIS_URL)
  t.teardown(() => redis.quit())
  const documents = Array.from({ length: 60 }, (_, i) => padded(`R${i}`, 1900))
  for (const [i, text] of documents.entries()) await stores[i % 2]!.set(sha256(text), text)
  const total = Number(await redis.hget(`${prefix}docs`, ':bytes'))
  const fields = await redis.hkeys(`${prefix}docs`)
  let stored = 0
  for (const field of fields) if (field !== ':bytes') stored += (await redis.hstrlen(`${prefix}docs`, field)) + field.length
  t.equal(total, stored, 'the running total is what the documents take')
  t.ok(total <= 20_000 && total > 15_000, `at most 20,000 bytes in Redis (${total})`)
  t.equal(await redis.zcard(`${prefix}recency`), fields.length - 1, 'one recency entry per document')
  const fresh = new RedisDocuments({ url: REDIS_URL, keyPrefix: prefix, maxBytes: 20_000, commandTimeoutMs: 2000 })
  t.teardown(() => fresh.close())
  t.equal(await fresh.get(sha256(documents[59]!)), documents[59], 'a third gateway finds the newest')
  t.equal(await fresh.get(sha256(documents[0]!)), undefined, 'the oldest is gone for everyone')
  t.ok(fresh.local.bytes > 0, 'and keeps a copy in its own memory')
})

t.test('Redis unreachable: kept in memory, no 500', async (t) => {
  // Nothing listens on port 1: every command fails at once.
  const h = await buildTestApp(t, { REDIS_URL: 'redis://127.0.0.1:1', REDIS_COMMAND_TIMEOUT_MS: '200' })
  const query = padded('Away', 100)
  t.equal((await apq(h, query, false)).body.errors[0].message, 'PersistedQueryNotFound')
  const registered = await apq(h, query, true)
  t.equal(registered.status, 200)
  t.ok(registered.body.data.me.id, 'the text runs')
  const again = await apq(h, query, false)
  t.equal(again.status, 200)
  t.ok(again.body.data.me.id, 'and this gateway knows it by its hash')
})
