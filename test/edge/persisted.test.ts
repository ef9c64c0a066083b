// Persisted operations: automatic persisted queries as Apollo Client and urql speak them (GET and POST),
// trusted documents from the file `npm run persisted-documents` writes, and persisted-only mode.
import t from 'tap'
import { execFileSync } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { join } from 'node:path'
import { buildTestApp, freshDatabase, testConfig, TYPESCRIPT_LOADER } from '../helper.js'
import { buildApp } from '../../src/app.js'
import { sha256 } from '../../src/crypto/digest.js'
import { compatRoutes } from '../../src/rest/plugin.js'
import { ConfigError, loadConfig } from '../../src/config.js'
import { scratchDir } from '../scratch.js'

const persistedQuery = (query: string) => ({ persistedQuery: { version: 1, sha256Hash: sha256(query) } })
const getUrl = (params: Record<string, unknown>) =>
  `/graphql?${new URLSearchParams(Object.entries(params).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)])).toString()}`

t.test('automatic persisted queries: PersistedQueryNotFound, then the text with its hash registers it', async (t) => {
  const h = await buildTestApp(t)
  const query = 'query Apq { me { email } }'
  const post = (payload: object) => h.call({ method: 'POST', url: '/graphql', payload, as: 'owner@demo.test' })

  let res = await post({ extensions: persistedQuery(query) })
  t.equal(res.status, 200, 'a request error, in application/json')
  t.notOk('data' in res.body, 'nothing ran')
  t.equal(res.body.errors[0].message, 'PersistedQueryNotFound', 'the message Apollo Client and urql look for')
  const strict = await h.call({
    method: 'POST',
    url: '/graphql',
    payload: { extensions: persistedQuery(query) },
    headers: { accept: 'application/graphql-response+json' },
    as: 'owner@demo.test',
  })
  t.equal(strict.status, 400, 'and a 400 in graphql-response+json')
  t.same(strict.body, res.body)
  t.equal(res.body.errors[0].extensions.code, 'BAD_USER_INPUT')
  t.equal(res.body.errors[0].extensions.reason, 'PERSISTED_QUERY_NOT_FOUND')

  res = await post({ query, extensions: { persistedQuery: { version: 1, sha256Hash: sha256('something else') } } })
  t.equal(res.status, 200, 'a text with a hash that is not its own')
  t.notOk('data' in res.body)
  t.equal(res.body.errors[0].extensions.reason, 'PERSISTED_QUERY_MISMATCH')
  res = await post({ extensions: persistedQuery(query) })
  t.equal(res.body.errors[0].message, 'PersistedQueryNotFound', 'a mismatch registers nothing')

  res = await post({ query, extensions: persistedQuery(query) })
  t.same(res.body, { data: { me: { email: 'owner@demo.test' } } }, 'the retry runs')
  for (let run = 1; run <= 3; run++) {
    res = await post({ extensions: persistedQuery(query) })
    t.same(res.body, { data: { me: { email: 'owner@demo.test' } } }, `the hash alone runs it (run ${run})`)
  }
  res = await h.call({ method: 'GET', url: getUrl({ extensions: persistedQuery(query) }), as: 'user@demo.test' })
  t.same(res.body, { data: { me: { email: 'user@demo.test' } } }, 'over GET too')

  const viaGet = '{ me { orgRoleDescription } }'
  res = await h.call({ method: 'GET', url: getUrl({ extensions: persistedQuery(viaGet) }), as: 'user@demo.test' })
  t.equal(res.body.errors[0].message, 'PersistedQueryNotFound')
  res = await h.call({ method: 'GET', url: getUrl({ query: viaGet, extensions: persistedQuery(viaGet) }), as: 'user@demo.test' })
  t.same(res.body, { data: { me: { orgRoleDescription: 'USER' } } }, 'a GET retry registers it as well')
  res = await h.call({ method: 'GET', url: getUrl({ extensions: persistedQuery(viaGet) }), as: 'user@demo.test' })
  t.same(res.body, { data: { me: { orgRoleDescription: 'USER' } } })

  res = await post({ extensions: { persistedQuery: { version: 2, sha256Hash: sha256(query) } } })
  t.equal(res.status, 200)
  t.equal(res.body.errors[0].message, 'PersistedQueryNotSupported', 'an unknown protocol version')

  const costly = `{ ${Array.from({ length: 10 }, (_, i) => `a${i}: organizationUsers(limit: 200) { data { id } }`).join(' ')} }`
  res = await post({ query: costly, extensions: persistedQuery(costly) })
  t.equal(res.body.errors[0].extensions.reason, 'COST_LIMIT', 'a registration goes through the cost limits')
  res = await post({ extensions: persistedQuery(costly) })
  t.equal(res.body.errors[0].message, 'PersistedQueryNotFound', 'and a refused text is not kept')

  const rest = compatRoutes.find((r) => r.url === '/user/profile')!.operation
  res = await post({ extensions: persistedQuery(rest) })
  t.equal(res.body.data.me.email, 'owner@demo.test', "a REST route's operation is trusted: known by its hash from the start")
})

t.test('GRAPHQL_APQ=false: hashes name trusted documents only', async (t) => {
  const h = await buildTestApp(t, { GRAPHQL_APQ: 'false' })
  const query = '{ me { id } }'
  await h.call({ method: 'POST', url: '/graphql', payload: { query, extensions: persistedQuery(query) }, as: 'owner@demo.test' })
  const res = await h.call({ method: 'POST', url: '/graphql', payload: { extensions: persistedQuery(query) }, as: 'owner@demo.test' })
  t.equal(res.body.errors[0].message, 'PersistedQueryNotFound', 'nothing was registered')
  const text = await h.graphql(query, {}, 'owner@demo.test')
  t.equal(text.status, 200, 'texts still run')
})

t.test('trusted documents from npm run persisted-documents, and persisted-only mode', async (t) => {
  const dir = scratchDir('gw-persisted-')
  const frontend = join(dir, 'frontend')
  execFileSync('mkdir', ['-p', join(frontend, 'nested')])
  writeFileSync(join(frontend, 'profile.graphql'), 'query FrontProfile { me { ...Names } }\nfragment Names on Profile { name lastName }\n')
  writeFileSync(join(frontend, 'nested', 'sessions.gql'), 'query FrontSessions { sessions { current } me { ...Names } }\n')
  const file = join(dir, 'persisted-documents.json')
  execFileSync(process.execPath, ['--import', TYPESCRIPT_LOADER, 'scripts/persisted-documents.ts', '--out', file, frontend], {
    env: { ...process.env, GRAPHQL_PERSISTED_DOCUMENTS: '' },
  })
  const documents: Record<string, string> = JSON.parse(readFileSync(file, 'utf8'))
  const profile = Object.entries(documents).find(([, text]) => text.includes('FrontProfile'))!
  t.ok(profile, "the frontend's operations are in the map")
  t.match(profile[1], /fragment Names on Profile/, 'with the fragments they use')
  t.ok(
    Object.values(documents)
      .find((text) => text.includes('FrontSessions'))!
      .includes('fragment Names'),
    'fragments come from any of the files',
  )
  for (const route of compatRoutes)
    t.equal(documents[sha256(route.operation)], route.operation, `${route.method} ${route.url} is in the map`)

  const h = await buildTestApp(t, { GRAPHQL_PERSISTED_DOCUMENTS: file, GRAPHQL_PERSISTED_ONLY: 'true' })
  const post = (payload: object) => h.call({ method: 'POST', url: '/graphql', payload, as: 'owner@demo.test' })

  let res = await post({ extensions: { persistedQuery: { version: 1, sha256Hash: profile[0] } } })
  t.same(res.body, { data: { me: { name: 'Olivia', lastName: 'Owner' } } }, 'a trusted document runs by its hash')
  res = await h.call({
    method: 'GET',
    url: getUrl({ extensions: { persistedQuery: { version: 1, sha256Hash: profile[0] } } }),
    as: 'owner@demo.test',
  })
  t.same(res.body, { data: { me: { name: 'Olivia', lastName: 'Owner' } } }, 'over GET too')
  res = await post({ query: profile[1] })
  t.equal(res.status, 200, "a trusted document's text is accepted as well")

  for (const payload of [{ query: '{ me { id } }' }, { query: '{ me { id } }', extensions: persistedQuery('{ me { id } }') }]) {
    res = await post(payload)
    t.equal(res.status, 200, 'a request error, in application/json')
    t.notOk('data' in res.body)
    t.equal(res.body.errors[0].message, 'Only persisted operations are accepted')
    t.equal(res.body.errors[0].extensions.reason, 'PERSISTED_ONLY')
  }
  await post({ query: '{ me { id } }', extensions: persistedQuery('{ me { id } }') })
  res = await post({ extensions: persistedQuery('{ me { id } }') })
  t.equal(res.body.errors[0].message, 'PersistedQueryNotFound', 'no registration in persisted-only mode')
  res = await h.call({ method: 'GET', url: getUrl({ query: '{ me { id } }' }), as: 'owner@demo.test' })
  t.equal(res.body.errors[0].extensions.reason, 'PERSISTED_ONLY', 'GET alike')

  const rest = await h.call({ method: 'GET', url: '/user/profile', as: 'owner@demo.test' })
  t.equal(rest.status, 200, 'REST routes run their fixed operations as before')
  const restByHash = await post({ extensions: persistedQuery(compatRoutes.find((r) => r.url === '/user/quota')!.operation) })
  t.equal(restByHash.body.data.quota.subscription.name.length > 0, true, "a REST route's operation by its hash")
})

t.test('a trusted-documents file that could never run stops the start, naming the document', async (t) => {
  const dir = scratchDir('gw-persisted-bad-')
  const db = await freshDatabase(t)
  const cases: [string, Record<string, unknown>, RegExp][] = [
    ['wrong hash', { [sha256('x')]: '{ me { id } }' }, /not the sha256 of its document/],
    ['invalid', { [sha256('{ me { nope } }')]: '{ me { nope } }' }, /Cannot query field "nope"/],
    [
      'too costly',
      {
        [sha256('{ a: me { id } b: organizationUsers(limit: 3000) { data { id } } }')]:
          '{ a: me { id } b: organizationUsers(limit: 3000) { data { id } } }',
      },
      /costs 3002/,
    ],
  ]
  for (const [name, content, message] of cases) {
    const file = join(dir, `${name}.json`)
    writeFileSync(file, JSON.stringify(content))
    await t.rejects(buildApp(testConfig({ GRAPHQL_PERSISTED_DOCUMENTS: file }), { database: db }), message, name)
  }
  const manifest = join(dir, 'manifest.json')
  const body = 'query Manifest { me { id } }'
  writeFileSync(
    manifest,
    JSON.stringify({
      format: 'apollo-persisted-query-manifest',
      version: 1,
      operations: [{ id: sha256(body), name: 'Manifest', type: 'query', body }],
    }),
  )
  const app = await buildApp(testConfig({ GRAPHQL_PERSISTED_DOCUMENTS: manifest, GRAPHQL_PERSISTED_ONLY: 'true' }), { database: db })
  t.teardown(() => app.close())
  const res = await app.inject({ method: 'POST', url: '/graphql', payload: { extensions: persistedQuery(body) } })
  t.equal(res.json().errors[0].extensions.code, 'UNAUTHENTICATED', "an Apollo manifest's operation is trusted (and runs: no token here)")
})

t.test('settings', async (t) => {
  const base = { NODE_ENV: 'test', JWT_SECRET: 'x'.repeat(32) }
  const config = loadConfig(base)
  t.same(config.persistedOperations, {
    documentsFile: undefined,
    only: false,
    automatic: true,
    automaticMaxBytes: 4 * 1024 * 1024,
    automaticKeyPrefix: 'gw:apq:',
  })
  t.equal(config.responseLimitBytes, 4 * 1024 * 1024)
  t.same(config.costLimits, {
    maxTokens: 1000,
    maxAliases: 20,
    maxRootFields: 20,
    maxCost: 2000,
    maxPasswordHashes: 1,
    maxSelections: 1000,
  })
  t.equal(config.bodyLimit, 65536)
  t.equal(
    loadConfig({ ...base, GRAPHQL_PERSISTED_ONLY: 'true', GRAPHQL_PERSISTED_DOCUMENTS: fileURLToPath(import.meta.url) }).persistedOperations
      .automatic,
    false,
  )
  t.throws(() => loadConfig({ ...base, GRAPHQL_PERSISTED_ONLY: 'true', GRAPHQL_APQ: 'true' }), ConfigError)
  t.throws(() => loadConfig({ ...base, GRAPHQL_PERSISTED_DOCUMENTS: '/nonexistent/documents.json' }), /does not exist/)
  t.throws(
    () => loadConfig({ ...base, GRAPHQL_MAX_COST: '0', GRAPHQL_MAX_TOKENS: 'many' }),
    /GRAPHQL_MAX_COST[\s\S]*GRAPHQL_MAX_TOKENS|GRAPHQL_MAX_TOKENS[\s\S]*GRAPHQL_MAX_COST/,
  )
})

t.test('a persisted document runs exactly the operation named, on every run (compiled forms keyed by text and name)', async (t) => {
  const h = await buildTestApp(t)
  const query = 'query Email { me { email } } query Role { me { orgRoleDescription } }'
  const hashOnly = { extensions: persistedQuery(query) }
  let res = await h.call({ method: 'POST', url: '/graphql', payload: { query, ...hashOnly, operationName: 'Email' }, as: 'user@demo.test' })
  t.same(res.body, { data: { me: { email: 'user@demo.test' } } }, 'registered by the retry')
  for (let run = 1; run <= 3; run++) {
    for (const [operationName, data] of [
      ['Email', { me: { email: 'user@demo.test' } }],
      ['Role', { me: { orgRoleDescription: 'USER' } }],
    ] as const) {
      res = await h.call({ method: 'POST', url: '/graphql', payload: { ...hashOnly, operationName }, as: 'user@demo.test' })
      t.same(res.body, { data }, `POST ${operationName}, run ${run}`)
      res = await h.call({ method: 'GET', url: getUrl({ ...hashOnly, operationName }), as: 'user@demo.test' })
      t.same(res.body, { data }, `GET ${operationName}, run ${run}`)
    }
  }
  res = await h.call({ method: 'POST', url: '/graphql', payload: hashOnly, as: 'user@demo.test' })
  t.equal(res.body.errors[0].message, 'Must provide operation name if query contains multiple operations.')
  const mutation = 'mutation Out { logout(refreshToken: "not-a-token") { success } }'
  await h.call({
    method: 'POST',
    url: '/graphql',
    payload: { query: mutation, extensions: persistedQuery(mutation) },
    as: 'user@demo.test',
  })
  res = await h.call({ method: 'GET', url: getUrl({ extensions: persistedQuery(mutation) }), as: 'user@demo.test' })
  t.equal(res.status, 405, 'a persisted mutation is still no GET')
})
