import t from 'tap'
import { randomBytes } from 'node:crypto'
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { ConfigError, FILE_SETTINGS, loadConfig, MAX_SECRET_FILE_BYTES } from '../src/config.js'
import { hashPassword } from '../src/crypto/passwords.js'
import { scratchDir } from './scratch.js'

const dir = () => scratchDir('gw-config-')
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

t.test('mail and MFA settings (issue 10)', async (t) => {
  const dev = loadConfig({ DATA_DIR: dir(), PORT: '3456' })
  t.equal(dev.mail.smtpUrl, undefined)
  t.equal(dev.mail.outboxDir, join(dev.dataDir, 'outbox'))
  t.equal(dev.mail.publicUrl, 'http://localhost:3456')
  t.same([...dev.mail.features].sort(), ['email-verification', 'invitations', 'magic-links', 'password-reset'])
  t.equal(dev.mfa.encryptionKey?.length, 32, 'a development MFA key is generated')
  t.same(loadConfig({ DATA_DIR: dev.dataDir }).mfa.encryptionKey, dev.mfa.encryptionKey, 'and kept in DATA_DIR')

  const prod = loadConfig({ NODE_ENV: 'production', JWT_SECRET: STRONG, DATA_DIR: dir() })
  t.equal(prod.mail.features.size, 0, 'production without SMTP_URL sends no mail')
  t.equal(prod.mfa.encryptionKey, undefined, 'production without MFA_ENCRYPTION_KEY has no MFA')
  t.throws(
    () => loadConfig({ NODE_ENV: 'production', JWT_SECRET: STRONG, DATA_DIR: dir(), MAIL_FEATURES: 'password-reset' }),
    /SMTP_URL is required in production when MAIL_FEATURES enables password-reset/,
  )
  const smtp = loadConfig({
    NODE_ENV: 'production',
    JWT_SECRET: STRONG,
    DATA_DIR: dir(),
    SMTP_URL: 'smtp://mail:25',
    MFA_ENCRYPTION_KEY: 'ab'.repeat(32),
  })
  t.equal(smtp.mail.features.size, 4)
  t.equal(smtp.mfa.encryptionKey?.toString('hex'), 'ab'.repeat(32))
  const custom = loadConfig({
    DATA_DIR: dir(),
    MAIL_OUTBOX_DIR: '/tmp/x-outbox',
    PUBLIC_URL: 'https://app.example/',
    MAIL_FEATURES: 'none',
  })
  t.equal(custom.mail.outboxDir, '/tmp/x-outbox')
  t.equal(custom.mail.publicUrl, 'https://app.example')
  t.equal(custom.mail.features.size, 0)

  const bad = (env: Record<string, string>, pattern: RegExp) => t.throws(() => loadConfig({ DATA_DIR: dir(), ...env }), pattern)
  bad({ SMTP_URL: 'http://mail' }, /SMTP_URL must be an smtp:\/\//)
  bad({ PUBLIC_URL: 'ftp://x' }, /PUBLIC_URL must be an http\(s\):\/\//)
  bad({ MAIL_FEATURES: 'password-reset,fax' }, /MAIL_FEATURES must be none or a list/)
  bad({ MFA_ENCRYPTION_KEY: 'short' }, /MFA_ENCRYPTION_KEY must be 32 bytes/)
})

t.test('observability and browser settings: defaults, values and refusals', async (t) => {
  const defaults = loadConfig({ DATA_DIR: dir() })
  t.same(defaults.cors, { origins: [], credentials: false, maxAgeSeconds: 600 }, 'no CORS unless origins are set')
  t.same(defaults.metrics, { port: undefined, host: '127.0.0.1' }, 'no metrics listener unless METRICS_PORT is set')
  t.equal(defaults.tracing, undefined, 'no tracing unless an OTLP endpoint is set')
  const set = loadConfig({
    DATA_DIR: dir(),
    CORS_ORIGINS: 'https://app.example.com, http://localhost:5173',
    CORS_CREDENTIALS: 'true',
    CORS_MAX_AGE: '60',
    METRICS_PORT: '9464',
    METRICS_HOST: '0.0.0.0',
    OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318',
    OTEL_SERVICE_NAME: 'gw-eu-1',
  })
  t.same(set.cors, { origins: ['https://app.example.com', 'http://localhost:5173'], credentials: true, maxAgeSeconds: 60 })
  t.same(set.metrics, { port: 9464, host: '0.0.0.0' })
  t.same(set.tracing, {
    tracesUrl: 'http://collector:4318/v1/traces',
    protocol: 'http/protobuf',
    resourceAttributes: { 'service.name': 'gw-eu-1' },
  })
  for (const [env, named] of [
    [{ CORS_ORIGINS: '*' }, 'CORS_ORIGINS'],
    [{ CORS_ORIGINS: 'https://app.example.com/' }, 'CORS_ORIGINS'],
    [{ CORS_ORIGINS: 'app.example.com' }, 'CORS_ORIGINS'],
    [{ CORS_MAX_AGE: '-1' }, 'CORS_MAX_AGE'],
    [{ METRICS_PORT: '70000' }, 'METRICS_PORT'],
    [{ METRICS_PORT: 'nine' }, 'METRICS_PORT'],
    [{ OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318' }, 'OTEL_EXPORTER_OTLP_ENDPOINT'],
    [{ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'collector:4318/v1/traces' }, 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT'],
    [{ OTEL_SDK_DISABLED: 'maybe' }, 'OTEL_SDK_DISABLED'],
    [{ OTEL_TRACES_EXPORTER: 'zipkin' }, 'OTEL_TRACES_EXPORTER'],
    [{ OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' }, 'PROTOCOL'],
    [{ OTEL_RESOURCE_ATTRIBUTES: 'region=eu=1' }, 'OTEL_RESOURCE_ATTRIBUTES'],
    [{ OTEL_RESOURCE_ATTRIBUTES: '=eu' }, 'OTEL_RESOURCE_ATTRIBUTES'],
    [{ OTEL_RESOURCE_ATTRIBUTES: 'team=%E0%A4%A' }, 'OTEL_RESOURCE_ATTRIBUTES'],
    [{ OTEL_RESOURCE_ATTRIBUTES: `k=${'v'.repeat(256)}` }, 'OTEL_RESOURCE_ATTRIBUTES'],
  ] as const) {
    t.throws(() => loadConfig({ DATA_DIR: dir(), ...env }), new RegExp(named), `${JSON.stringify(env)} is refused`)
  }
})

t.test('OpenTelemetry by the spec’s variables: endpoints, OTEL_SDK_DISABLED, OTEL_TRACES_EXPORTER, the resource', async (t) => {
  const tracing = (env: Record<string, string>) => loadConfig({ DATA_DIR: dir(), ...env }).tracing
  t.same(
    tracing({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'https://collector.example:4318/custom/traces' }),
    {
      tracesUrl: 'https://collector.example:4318/custom/traces',
      protocol: 'http/protobuf',
      resourceAttributes: { 'service.name': 'account-gateway' },
    },
    'the traces endpoint alone turns tracing on, used as it is',
  )
  t.equal(
    tracing({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://a:4318/', OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://b:4318/v1/traces' })?.tracesUrl,
    'http://b:4318/v1/traces',
    'the signal-specific endpoint wins over the base',
  )
  t.equal(tracing({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://a:4318/' })?.tracesUrl, 'http://a:4318/v1/traces', 'the base gets the signal path')
  t.equal(tracing({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://a:4318', OTEL_SDK_DISABLED: 'TRUE' }), undefined, 'OTEL_SDK_DISABLED=true: off')
  t.ok(tracing({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://a:4318', OTEL_SDK_DISABLED: 'false' }), 'OTEL_SDK_DISABLED=false: on')
  t.equal(
    tracing({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://a:4318', OTEL_TRACES_EXPORTER: 'none' }),
    undefined,
    'OTEL_TRACES_EXPORTER=none: off',
  )
  t.equal(
    tracing({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://a:4318', OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json' })?.protocol,
    'http/json',
    'JSON when asked for',
  )
  t.equal(
    tracing({
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://a:4318',
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'http/protobuf',
    })?.protocol,
    'http/protobuf',
    'the signal-specific protocol wins',
  )
  t.same(
    tracing({
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://a:4318',
      OTEL_RESOURCE_ATTRIBUTES: 'service.name=from-attributes, deployment.environment.name=prod,team=a%2Cb%3Dc ,,',
    })?.resourceAttributes,
    { 'service.name': 'from-attributes', 'deployment.environment.name': 'prod', team: 'a,b=c' },
    'OTEL_RESOURCE_ATTRIBUTES, percent-decoded; its service.name counts when OTEL_SERVICE_NAME is unset',
  )
  t.same(
    tracing({
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://a:4318',
      OTEL_RESOURCE_ATTRIBUTES: 'service.name=from-attributes',
      OTEL_SERVICE_NAME: 'gw',
    })?.resourceAttributes,
    { 'service.name': 'gw' },
    'OTEL_SERVICE_NAME wins over the attribute',
  )
})

t.test('failure behaviour settings: defaults, and bad values named', async (t) => {
  const config = loadConfig({ DATA_DIR: dir() })
  t.same(config.faults, {
    dbStatementTimeoutMs: 5_000,
    dbAcquireTimeoutMs: 2_000,
    dbReconnectBackoffMaxMs: 1_000,
    redisCommandTimeoutMs: 300,
    readyTimeoutMs: 800,
    failureLogIntervalMs: 10_000,
    shutdownGraceMs: 1_000,
  })
  t.equal(loadConfig({ DATA_DIR: dir(), DB_STATEMENT_TIMEOUT_MS: '250' }).faults.dbStatementTimeoutMs, 250)
  const names = ['DB_STATEMENT_TIMEOUT_MS', 'DB_ACQUIRE_TIMEOUT_MS', 'REDIS_COMMAND_TIMEOUT_MS', 'READY_TIMEOUT_MS', 'SHUTDOWN_GRACE_MS']
  try {
    loadConfig({ DATA_DIR: dir(), ...Object.fromEntries(names.map((name) => [name, '-1'])), READY_TIMEOUT_MS: '5s' })
    t.fail('should throw')
  } catch (err) {
    for (const name of names) t.match((err as ConfigError).problems.join('\n'), name, `${name} is named`)
  }
})

t.test('GRAPHQL_INTROSPECTION: on outside production, off in production, either way when set', async (t) => {
  t.equal(loadConfig({ DATA_DIR: dir() }).graphqlIntrospection, true)
  t.equal(loadConfig({ NODE_ENV: 'production', JWT_SECRET: STRONG, DATA_DIR: dir() }).graphqlIntrospection, false)
  t.equal(
    loadConfig({ NODE_ENV: 'production', JWT_SECRET: STRONG, GRAPHQL_INTROSPECTION: 'on', DATA_DIR: dir() }).graphqlIntrospection,
    true,
  )
  t.equal(loadConfig({ GRAPHQL_INTROSPECTION: 'false', DATA_DIR: dir() }).graphqlIntrospection, false)
  t.throws(() => loadConfig({ GRAPHQL_INTROSPECTION: 'sometimes', DATA_DIR: dir() }), /GRAPHQL_INTROSPECTION must be true or false/)
})
t.test('GRAPHQL_FEDERATION: off unless set, in every environment', async (t) => {
  t.equal(loadConfig({ DATA_DIR: dir() }).graphqlFederation, false)
  t.equal(loadConfig({ NODE_ENV: 'production', JWT_SECRET: STRONG, DATA_DIR: dir() }).graphqlFederation, false)
  t.equal(loadConfig({ GRAPHQL_FEDERATION: 'true', DATA_DIR: dir() }).graphqlFederation, true)
  t.throws(() => loadConfig({ GRAPHQL_FEDERATION: 'v2', DATA_DIR: dir() }), /GRAPHQL_FEDERATION must be true or false/)
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
    GRAPHQL_MAX_SELECTIONS: '400',
    GRAPHQL_APQ: 'false',
    GRAPHQL_APQ_MAX_BYTES: '50000',
    GRAPHQL_APQ_KEY_PREFIX: 'apq:',
    RESPONSE_LIMIT_BYTES: '100000',
  })
  t.equal(config.bodyLimit, 8192)
  t.same(config.costLimits, { maxTokens: 500, maxAliases: 5, maxRootFields: 3, maxCost: 300, maxPasswordHashes: 2, maxSelections: 400 })
  t.same(config.persistedOperations, {
    documentsFile: undefined,
    only: false,
    automatic: false,
    automaticMaxBytes: 50000,
    automaticKeyPrefix: 'apq:',
  })
  t.equal(config.responseLimitBytes, 100000)
  try {
    loadConfig({
      NODE_ENV: 'test',
      DATA_DIR: dir(),
      BODY_LIMIT: '10',
      GRAPHQL_MAX_ROOT_FIELDS: '0',
      GRAPHQL_PERSISTED_ONLY: 'true',
      GRAPHQL_APQ: 'on',
      GRAPHQL_APQ_CACHE_SIZE: '1000',
      RESPONSE_LIMIT_BYTES: '10',
    })
    t.fail('should throw')
  } catch (err) {
    const problems = (err as ConfigError).problems.join('\n')
    for (const name of [
      'BODY_LIMIT',
      'GRAPHQL_MAX_ROOT_FIELDS',
      'GRAPHQL_APQ cannot be on with GRAPHQL_PERSISTED_ONLY',
      'GRAPHQL_APQ_CACHE_SIZE is replaced by GRAPHQL_APQ_MAX_BYTES',
      'RESPONSE_LIMIT_BYTES',
    ])
      t.match(problems, name)
  }
})

t.test('password hash cost: OWASP by default; cheaper only with NODE_ENV=test, stronger anywhere', async (t) => {
  const cheap = { PASSWORD_HASH_MEMORY_KIB: '8', PASSWORD_HASH_ITERATIONS: '1' }
  for (const NODE_ENV of ['development', 'production', 'test'])
    t.same(loadConfig({ NODE_ENV, DATA_DIR: dir(), JWT_SECRET: STRONG }).passwordHashCost, { memoryKiB: 19_456, iterations: 2 }, NODE_ENV)
  for (const NODE_ENV of ['development', 'production']) {
    try {
      loadConfig({ NODE_ENV, DATA_DIR: dir(), JWT_SECRET: STRONG, ...cheap })
      t.fail(`${NODE_ENV} accepted a cheaper hash`)
    } catch (err) {
      t.type(err, ConfigError)
      const problems = (err as ConfigError).problems.join('\n')
      t.match(problems, /PASSWORD_HASH_MEMORY_KIB below 19456 is allowed only with NODE_ENV=test/, NODE_ENV)
      t.match(problems, /PASSWORD_HASH_ITERATIONS below 2 is allowed only with NODE_ENV=test/, NODE_ENV)
    }
  }
  t.same(loadConfig({ NODE_ENV: 'test', DATA_DIR: dir(), ...cheap }).passwordHashCost, { memoryKiB: 8, iterations: 1 })
  const production = loadConfig({ NODE_ENV: 'production', DATA_DIR: dir(), JWT_SECRET: STRONG }).passwordHashCost
  t.match(await hashPassword('x', production), /^\$argon2id\$v=19\$m=19456,t=2,p=1\$/, 'a production hash is argon2id at OWASP cost')
  const stronger = { PASSWORD_HASH_MEMORY_KIB: '65536', PASSWORD_HASH_ITERATIONS: '3' }
  t.same(loadConfig({ NODE_ENV: 'production', DATA_DIR: dir(), JWT_SECRET: STRONG, ...stronger }).passwordHashCost, {
    memoryKiB: 65_536,
    iterations: 3,
  })
})

t.test('secrets from files: NAME_FILE for every setting that may hold one (Docker and Kubernetes secrets)', async (t) => {
  const secrets = dir()
  const write = (name: string, content: string) => {
    const file = join(secrets, name)
    writeFileSync(file, content, { mode: 0o600 })
    return file
  }
  const mfaKey = randomBytes(32)
  const config = loadConfig({
    NODE_ENV: 'production',
    DATA_DIR: dir(),
    JWT_SECRET_FILE: write('jwt_secret', `${STRONG}\n`),
    MFA_ENCRYPTION_KEY_FILE: write('mfa_key', `${mfaKey.toString('base64')}\n`),
    DATABASE_URL_FILE: write('database_url', 'postgresql://gateway:s3cret@db:5432/gateway\n'),
    REDIS_URL_FILE: write('redis_url', 'redis://:s3cret@redis:6379\n'),
    SMTP_URL_FILE: write('smtp_url', 'smtp://mailer:s3cret@mail:1025\n'),
  })
  t.equal(config.jwt.secret, STRONG, 'JWT_SECRET_FILE, the trailing newline trimmed')
  t.same(config.mfa.encryptionKey, mfaKey, 'MFA_ENCRYPTION_KEY_FILE: MFA on in production')
  t.equal(config.databaseUrl, 'postgresql://gateway:s3cret@db:5432/gateway')
  t.equal(config.redisUrl, 'redis://:s3cret@redis:6379')
  t.equal(config.mail.smtpUrl, 'smtp://mailer:s3cret@mail:1025', 'SMTP_URL_FILE: mail on in production')
  t.ok(config.mail.features.size > 0)

  const problems = (env: Record<string, string>) => {
    try {
      loadConfig({ DATA_DIR: dir(), ...env })
    } catch (err) {
      return (err as ConfigError).problems.join('\n')
    }
    return ''
  }
  const secretFile = write('short', 'too-short-but-secret-value\n')
  const short = problems({ JWT_SECRET_FILE: secretFile })
  t.match(short, /JWT_SECRET must be at least 32 bytes/, 'a value from a file is validated like any other')
  t.notMatch(short, 'too-short-but-secret-value', 'and never repeated in the error')
  t.match(problems({ JWT_SECRET: STRONG, JWT_SECRET_FILE: write('both', STRONG) }), /Set JWT_SECRET or JWT_SECRET_FILE, not both/)
  t.match(problems({ REDIS_URL_FILE: join(secrets, 'missing') }), /REDIS_URL_FILE names a file that cannot be read/)
  t.match(problems({ REDIS_URL_FILE: secrets }), /REDIS_URL_FILE names a file that cannot be read/, 'a directory')
  t.match(problems({ SMTP_URL_FILE: write('empty', '\n') }), /SMTP_URL_FILE names an empty file/)
  t.match(
    problems({ DATABASE_URL_FILE: write('huge', 'x'.repeat(MAX_SECRET_FILE_BYTES + 1)) }),
    /DATABASE_URL_FILE names a file larger than/,
  )
  const badUrl = problems({ DATABASE_URL_FILE: write('bad_url', 'mysql://root:hunter2@db/x') })
  t.match(badUrl, /DATABASE_URL must be a postgresql:\/\/ URL/)
  t.notMatch(badUrl, 'hunter2', 'no password in the error')
  t.same(
    [...FILE_SETTINGS].sort(),
    [
      'DATABASE_LISTEN_URL',
      'DATABASE_URL',
      'JWT_PRIVATE_KEY',
      'JWT_PUBLIC_KEYS',
      'JWT_SECRET',
      'MFA_ENCRYPTION_KEY',
      'REDIS_URL',
      'SMTP_URL',
    ],
    'every secret setting (README, Configuration)',
  )
})

t.test('passkey relying party: PUBLIC_URL by default, RP_ID/RP_ORIGIN/RP_NAME when set, bad values named', async (t) => {
  const byDefault = loadConfig({ DATA_DIR: dir(), PUBLIC_URL: 'https://app.example.com/base', MFA_ISSUER: 'Acme' })
  t.same(byDefault.mfa.relyingParty, { id: 'app.example.com', origins: ['https://app.example.com'], name: 'Acme' })
  const set = loadConfig({
    DATA_DIR: dir(),
    RP_ID: 'Example.com',
    RP_ORIGIN: 'https://app.example.com, https://admin.example.com/',
    RP_NAME: 'Example',
  })
  t.same(set.mfa.relyingParty, { id: 'example.com', origins: ['https://app.example.com', 'https://admin.example.com'], name: 'Example' })
  t.equal(loadConfig({ DATA_DIR: dir() }).attemptLimits.mfaMagicLinkPerUser.limit, 3)
  t.throws(() => loadConfig({ DATA_DIR: dir(), RP_ID: 'https://example.com' }), /RP_ID must be a domain/)
  t.throws(() => loadConfig({ DATA_DIR: dir(), RP_ORIGIN: 'https://example.com/path' }), /RP_ORIGIN must list http\(s\):\/\/ origins/)
})

t.test('sign-in providers: off unless client id and secret are set; issuers https (http on loopback only)', async (t) => {
  const off = loadConfig({ DATA_DIR: dir() }).signIn
  t.same(off.providers, { GOOGLE: undefined, GITHUB: undefined, MICROSOFT: undefined })
  t.equal(off.web3.enabled, true)
  t.same(off.web3.networks, ['PUBLIC', 'TESTNET', 'FUTURENET'])

  const on = loadConfig({
    DATA_DIR: dir(),
    PUBLIC_URL: 'https://app.example.com',
    AUTH_GOOGLE_CLIENT_ID: 'id',
    AUTH_GOOGLE_CLIENT_SECRET: 'secret',
    AUTH_GITHUB_CLIENT_ID: 'gid',
    AUTH_GITHUB_CLIENT_SECRET: 'gsecret',
  }).signIn.providers
  t.match(on.GOOGLE, {
    issuer: 'https://accounts.google.com',
    redirectUri: 'https://app.example.com/auth/callback/google',
    allowHttp: false,
  })
  t.match(on.GITHUB, { issuer: 'https://github.com', apiUrl: 'https://api.github.com' })
  t.equal(on.MICROSOFT, undefined)

  const bad = (env: Record<string, string>, pattern: RegExp) => t.throws(() => loadConfig({ DATA_DIR: dir(), ...env }), pattern)
  bad({ AUTH_GOOGLE_CLIENT_ID: 'id' }, /AUTH_GOOGLE_CLIENT_ID and AUTH_GOOGLE_CLIENT_SECRET must be set together/)
  bad({ AUTH_MICROSOFT_CLIENT_ID: 'id', AUTH_MICROSOFT_CLIENT_SECRET: 's' }, /AUTH_MICROSOFT_ISSUER is required/)
  bad(
    { AUTH_GOOGLE_CLIENT_ID: 'id', AUTH_GOOGLE_CLIENT_SECRET: 's', AUTH_GOOGLE_ISSUER: 'http://idp.example.com' },
    /AUTH_GOOGLE_ISSUER must be an https:\/\/ URL/,
  )
  bad({ AUTH_WEB3_NETWORKS: 'MAINNET' }, /AUTH_WEB3_NETWORKS must list PUBLIC, TESTNET, FUTURENET/)
  const loopback = loadConfig({
    DATA_DIR: dir(),
    AUTH_GOOGLE_CLIENT_ID: 'id',
    AUTH_GOOGLE_CLIENT_SECRET: 's',
    AUTH_GOOGLE_ISSUER: 'http://127.0.0.1:4000/',
  }).signIn.providers.GOOGLE
  t.match(loopback, { issuer: 'http://127.0.0.1:4000', allowHttp: true })
})
