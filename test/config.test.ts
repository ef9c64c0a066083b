import t from 'tap'
import { existsSync, mkdtempSync, readFileSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ConfigError, loadConfig } from '../src/config.js'

const dir = () => mkdtempSync(join(tmpdir(), 'gw-config-'))
const STRONG = 'x'.repeat(48)

t.test('defaults', async (t) => {
  const dataDir = dir()
  const config = loadConfig({ DATA_DIR: dataDir })
  t.equal(config.port, 3000)
  t.equal(config.nodeEnv, 'development')
  t.equal(config.databaseUrl, undefined, 'no DATABASE_URL: the embedded database')
  t.equal(config.dataDir, dataDir)
  t.equal(config.jwt.accessTokenTtlSeconds, 3600, 'access tokens last one hour')
  t.equal(config.refreshTokenTtlSeconds, 30 * 86400)
  t.equal(config.graphiql, true)
  t.equal(config.logLevel, 'info')
})

t.test('development generates a signing key once and keeps it in DATA_DIR', async (t) => {
  const dataDir = dir()
  const first = loadConfig({ DATA_DIR: dataDir })
  t.ok(Buffer.byteLength(first.jwt.secret) >= 32)
  const file = join(dataDir, 'jwt-secret')
  t.ok(existsSync(file))
  t.equal(statSync(file).mode & 0o777, 0o600, 'only the owner may read the key')
  t.equal(readFileSync(file, 'utf8').trim(), first.jwt.secret)
  t.equal(loadConfig({ DATA_DIR: dataDir }).jwt.secret, first.jwt.secret, 'tokens survive restarts')
})

t.test('production refuses to start without a strong signing key', async (t) => {
  t.throws(() => loadConfig({ NODE_ENV: 'production', DATA_DIR: dir() }), /JWT_SECRET is required in production/)
  t.throws(() => loadConfig({ NODE_ENV: 'production', JWT_SECRET: 'short', DATA_DIR: dir() }), /at least 32 bytes/)
  const config = loadConfig({ NODE_ENV: 'production', JWT_SECRET: STRONG, DATA_DIR: dir() })
  t.equal(config.jwt.secret, STRONG)
  t.equal(config.graphiql, false, 'the playground is off in production unless asked for')
  t.equal(config.seedDemoData, false, 'never seed in production')
  t.equal(loadConfig({ NODE_ENV: 'production', JWT_SECRET: STRONG, GRAPHIQL: 'true', DATA_DIR: dir() }).graphiql, true)
})

t.test('every bad value is named, all at once, and no secret is echoed', async (t) => {
  try {
    loadConfig({
      PORT: 'eighty',
      DATABASE_URL: 'mysql://x',
      LOG_LEVEL: 'loud',
      NODE_ENV: 'staging',
      JWT_ACCESS_TTL: '5',
      JWT_SECRET: 'tiny-secret',
      GRAPHIQL: 'maybe',
    })
    t.fail('should throw')
  } catch (err) {
    t.type(err, ConfigError)
    const problems = (err as ConfigError).problems.join('\n')
    for (const name of ['PORT', 'DATABASE_URL', 'LOG_LEVEL', 'NODE_ENV', 'JWT_ACCESS_TTL', 'JWT_SECRET', 'GRAPHIQL']) {
      t.match(problems, name, `${name} is named`)
    }
    t.notMatch((err as Error).message, 'tiny-secret', 'the secret is not repeated')
  }
})

t.test('settings are read from the environment', async (t) => {
  const config = loadConfig({
    PORT: '8080',
    HOST: '0.0.0.0',
    DATABASE_URL: 'postgresql://u@db:5432/app',
    JWT_SECRET: STRONG,
    JWT_ISSUER: 'me',
    JWT_AUDIENCE: 'them',
    JWT_ACCESS_TTL: '600',
    LOG_LEVEL: 'debug',
    NODE_ENV: 'test',
    DATA_DIR: dir(),
  })
  t.match(config, { port: 8080, host: '0.0.0.0', databaseUrl: 'postgresql://u@db:5432/app', logLevel: 'debug', nodeEnv: 'test' })
  t.match(config.jwt, { issuer: 'me', audience: 'them', accessTokenTtlSeconds: 600 })
})

t.test('GraphQL edge settings: cost limits and persisted operations', async (t) => {
  const config = loadConfig({
    NODE_ENV: 'test',
    DATA_DIR: dir(),
    BODY_LIMIT: '8192',
    GRAPHQL_MAX_TOKENS: '500',
    GRAPHQL_MAX_ALIASES: '5',
    GRAPHQL_MAX_ROOT_FIELDS: '3',
    GRAPHQL_MAX_COST: '300',
    GRAPHQL_MAX_PASSWORD_HASHES: '2',
    GRAPHQL_APQ: 'false',
    GRAPHQL_APQ_CACHE_SIZE: '50',
  })
  t.equal(config.bodyLimit, 8192)
  t.same(config.costLimits, { maxTokens: 500, maxAliases: 5, maxRootFields: 3, maxCost: 300, maxPasswordHashes: 2 })
  t.same(config.persistedOperations, { documentsFile: undefined, only: false, automatic: false, automaticCacheSize: 50 })
  try {
    loadConfig({
      NODE_ENV: 'test',
      DATA_DIR: dir(),
      BODY_LIMIT: '10',
      GRAPHQL_MAX_ROOT_FIELDS: '0',
      GRAPHQL_PERSISTED_ONLY: 'true',
      GRAPHQL_APQ: 'on',
    })
    t.fail('should throw')
  } catch (err) {
    const problems = (err as ConfigError).problems.join('\n')
    for (const name of ['BODY_LIMIT', 'GRAPHQL_MAX_ROOT_FIELDS', 'GRAPHQL_APQ cannot be on with GRAPHQL_PERSISTED_ONLY'])
      t.match(problems, name)
  }
})
