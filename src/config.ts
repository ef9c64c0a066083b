// Every setting, read from the environment and validated once at start.
import { randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { isIP } from 'node:net'
import { join, resolve } from 'node:path'
import { OWASP_HASH_COST, type PasswordHashCost } from './crypto/passwords.js'
import { readSigningKey, readVerificationKeys, type SigningKey, type VerificationKey } from './crypto/signingKeys.js'

export type NodeEnv = 'development' | 'production' | 'test'
export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent'

export interface Config {
  nodeEnv: NodeEnv
  port: number
  host: string
  /** postgresql://… ; undefined selects the embedded database in dataDir. */
  databaseUrl: string | undefined
  dataDir: string
  dbPoolSize: number
  /** The requester cache (src/auth/requesterCache.ts): entries, TTL, and where to LISTEN for changes. */
  requesterCache: {
    maxEntries: number
    ttlSeconds: number
    /** DATABASE_LISTEN_URL: a direct PostgreSQL connection for LISTEN (undefined: DATABASE_URL unless pooled). */
    listenUrl: string | undefined
  }
  logLevel: LogLevel
  jwt: {
    /** HS256 signing key (and, always, the MFA pending tokens' key); never logged. */
    secret: string
    /** JWT_PRIVATE_KEY: access tokens are signed with it (EdDSA or ES256, with its kid); undefined: HS256. */
    signingKey: SigningKey | undefined
    /** Public keys that verify access tokens and are published at /.well-known/jwks.json: the signing key's
     * first, then JWT_PUBLIC_KEYS (the previous key until its tokens expire, or the next one before a switch). */
    verificationKeys: VerificationKey[]
    issuer: string
    audience: string
    accessTokenTtlSeconds: number
  }
  refreshTokenTtlSeconds: number
  /**
   * Recent authentication: how long after the password (or second factor) was proven in a session it
   * may still change the password or the second factor without proving it again in the request.
   */
  recentAuthSeconds: number
  /**
   * Trusted devices (docs/devices.md): for how many days a device the user trusts may skip the second
   * factor at login (0: trusting is off), and whether it may where the organization enforces MFA.
   */
  trustedDevices: { days: number; whenEnforced: boolean }
  redisUrl: string | undefined
  graphiql: boolean
  /** OpenAPI at /openapi.json and Swagger UI at /docs. */
  apiDocs: boolean
  /**
   * Which peers' X-Forwarded-For is believed for the client address: false (none: the socket's
   * address), a hop count (that many proxies always in front), or the proxies' addresses/CIDRs.
   */
  trustProxy: TrustProxy
  /** Seeds the demo data on the first start of the embedded database in development. */
  seedDemoData: boolean
  /** Brute-force protection of the auth-flow routes (in Redis when redisUrl is set). */
  attemptLimits: AttemptLimits
  mail: MailConfig
  mfa: MfaConfig
  /** POST /demo/request: where each request is mailed, and the booking link the answer carries. */
  demo: DemoConfig
  /** Sign-in with an OpenID Connect / OAuth 2.0 provider or a Stellar wallet (docs/sign-in.md). */
  signIn: SignInConfig
  /** Browsers on these origins may call the API (CORS); empty: no CORS headers at all. */
  cors: CorsSettings
  /** Prometheus text at /metrics on its own listener; port undefined: no listener, nothing collected. */
  metrics: { port: number | undefined; host: string }
  /** OpenTelemetry traces over OTLP/HTTP, from the spec's OTEL_* variables; undefined: no tracing at all. */
  tracing: TracingConfig | undefined
  /** How long a failing dependency may hold a request, and how its failures are logged and retried. */
  faults: FaultSettings
  /** /graphql answers introspection (__schema, __type) and "Did you mean …" suggestions. */
  graphqlIntrospection: boolean
  /** /graphql also serves as the accounts subgraph of a federated graph (federation v1: _service, _entities). */
  graphqlFederation: boolean
  /** Largest request body, and so largest GraphQL document, in bytes. */
  bodyLimit: number
  /** The largest answer in bytes: a larger one is replaced by an error (src/edge/responseLimit.ts). */
  responseLimitBytes: number
  /** What one GraphQL operation may cost, refused before execution; null only where the benchmark measures what they cost (bench/target.ts). */
  costLimits: CostLimits | null
  /** Trusted documents and automatic persisted queries on /graphql. */
  persistedOperations: PersistedOperationsConfig
  /** argon2id's cost for new password hashes; never below OWASP's outside NODE_ENV=test. */
  passwordHashCost: PasswordHashCost
}

export interface TracingConfig {
  /** Where spans are posted: OTEL_EXPORTER_OTLP_TRACES_ENDPOINT as it is, or OTEL_EXPORTER_OTLP_ENDPOINT + /v1/traces. */
  tracesUrl: string
  protocol: 'http/protobuf' | 'http/json'
  /** The resource: OTEL_RESOURCE_ATTRIBUTES, with service.name from OTEL_SERVICE_NAME (default account-gateway). */
  resourceAttributes: Record<string, string>
}

/** false: no proxy; a number: that many proxies in front; a list: the proxies' addresses (IP or CIDR). */
export type TrustProxy = false | number | string[]

export type MailFeature = 'password-reset' | 'email-verification' | 'invitations' | 'magic-links'
export const MAIL_FEATURES: MailFeature[] = ['password-reset', 'email-verification', 'invitations', 'magic-links']

export interface MailConfig {
  /** smtp(s)://… sends real mail; undefined writes each message as an .eml file to outboxDir. */
  smtpUrl: string | undefined
  outboxDir: string
  from: string
  /** The base of every link a mail carries (no trailing slash). */
  publicUrl: string
  /** The features that send mail; off in production unless SMTP_URL is set or they are asked for. */
  features: ReadonlySet<MailFeature>
}

export interface MfaConfig {
  /** AES-256-GCM key for the TOTP secrets at rest; undefined (production without MFA_ENCRYPTION_KEY) turns MFA off. */
  encryptionKey: Buffer | undefined
  issuer: string
  /** The WebAuthn relying party passkeys are bound to (RP_ID, RP_ORIGIN, RP_NAME). */
  relyingParty: RelyingParty
}

export interface RelyingParty {
  /** A domain (no scheme, no port): the host of PUBLIC_URL by default. */
  id: string
  /** The origins whose pages may register and use passkeys: PUBLIC_URL's origin by default. */
  origins: string[]
  name: string
}

export interface DemoConfig {
  /** Each demo request is mailed here (through the outbox or SMTP); undefined: stored only. */
  mailTo: string | undefined
  /** The answer's calendarUrl, where the requester books a slot; undefined: null. */
  calendarUrl: string | undefined
}

export type OAuthProviderName = 'GOOGLE' | 'GITHUB' | 'MICROSOFT'
export const OAUTH_PROVIDERS: readonly OAuthProviderName[] = ['GOOGLE', 'GITHUB', 'MICROSOFT']

export interface OAuthProviderConfig {
  /** OpenID Connect: the issuer whose discovery document is read. GITHUB: the base of its /login/oauth endpoints. */
  issuer: string
  clientId: string
  /** Never logged. */
  clientSecret: string
  /** Registered with the provider: the frontend page that receives code and state and calls /auth/{provider}/exchange. */
  redirectUri: string
  /** GITHUB only: the REST API base (/user, /user/emails). */
  apiUrl?: string
  /** Plain http:// is allowed for a loopback issuer only (a provider run by the tests, or a local one). */
  allowHttp: boolean
}

export interface SignInConfig {
  /** A provider is off (undefined) unless its client id and secret are set. */
  providers: Record<OAuthProviderName, OAuthProviderConfig | undefined>
  /** How long a pending authorization request (state) or a wallet challenge stays good. */
  challengeTtlSeconds: number
  /** The oldest (by its iat) an ID token obtained by the frontend may be when it is sent (POST /auth/{provider} with token). */
  idTokenMaxAgeSeconds: number
  /** Wallet sign-in (POST /auth/web3) on, and the Stellar networks a challenge may name. */
  web3: { enabled: boolean; networks: string[] }
}

export interface CorsSettings {
  /** Exact origins (scheme://host[:port]). */
  origins: string[]
  credentials: boolean
  maxAgeSeconds: number
}

/** Bounded waits on PostgreSQL and Redis, readiness and shutdown. All durations in milliseconds. */
export interface FaultSettings {
  /** PostgreSQL cancels a statement after this long (statement_timeout); the client gives up a little later. */
  dbStatementTimeoutMs: number
  /** Waiting for a pool connection, or for a new one to open, fails after this long. */
  dbAcquireTimeoutMs: number
  /** After a failed connection attempt, no new one for a delay that doubles up to this. */
  dbReconnectBackoffMaxMs: number
  /** A Redis command fails after this long; nothing is queued while Redis is away. */
  redisCommandTimeoutMs: number
  /** /ready answers 503 when its checks take longer than this. */
  readyTimeoutMs: number
  /** One log line per failure class per interval, with the count. */
  failureLogIntervalMs: number
  /** After SIGTERM, idle keep-alive connections are kept this long to be told to close. */
  shutdownGraceMs: number
}

// ── GraphQL edge: cost limits and persisted operations ───────────────────────────────────────────
export interface CostLimits {
  /** graphql's parser stops after this many tokens. */
  maxTokens: number
  maxAliases: number
  /** Root fields of one operation, fragments expanded. */
  maxRootFields: number
  /** The static cost budget of one operation (see src/edge/cost.ts for the weights). */
  maxCost: number
  /** Fields that hash a password (login, register, a password change…) in one operation. */
  maxPasswordHashes: number
  /** Fields, fragment spreads and inline fragments of one document with its fragments expanded where spread. */
  maxSelections: number
}

export interface PersistedOperationsConfig {
  /** A JSON map sha256 → document (npm run persisted-documents writes it); undefined: the REST operations only. */
  documentsFile: string | undefined
  /** Refuse every operation on /graphql that is not a trusted document. */
  only: boolean
  /** Automatic persisted queries (Apollo Client, urql); never with `only`. */
  automatic: boolean
  /** Bytes of automatically persisted documents kept (in this process, and in Redis with REDIS_URL), least recently used dropped first. */
  automaticMaxBytes: number
  /** Prefix of the Redis keys of automatically persisted documents (with REDIS_URL). */
  automaticKeyPrefix: string
}

/** At most `limit` attempts per fixed window of `windowSeconds`. */
export interface AttemptLimit {
  limit: number
  windowSeconds: number
}

export interface AttemptLimits {
  /** Login attempts per account (normalized email); a successful login resets the count. */
  loginPerAccount: AttemptLimit
  loginPerAddress: AttemptLimit
  registerPerAddress: AttemptLimit
  refreshPerAddress: AttemptLimit
  passwordResetPerAddress: AttemptLimit
  /** Reset mails per account (normalized email), so nobody floods someone's inbox. */
  passwordResetPerAccount: AttemptLimit
  /** Token redemptions (reset, verify, activate) and verification resends per client address. */
  oneTimeTokenPerAddress: AttemptLimit
  /** MFA code attempts per user (setup, verify-login, disable). */
  mfaCodePerUser: AttemptLimit
  /** Magic-link mails (POST /mfa/magic-link/send) per user, so nobody floods an inbox from a stolen password. */
  mfaMagicLinkPerUser: AttemptLimit
  /** Demo requests (POST /demo/request) per client address. */
  demoRequestPerAddress: AttemptLimit
  /** Provider and wallet sign-in requests (start, exchange, challenge, wallet sign-in) per client address. */
  signInPerAddress: AttemptLimit
  /** Invitation mails (sendInvite, resendInvitation) per recipient address, over every organization. */
  invitationPerRecipient: AttemptLimit
  /** Invitation mails per inviting user. */
  invitationPerSender: AttemptLimit
  /** Invitation mails per organization, whoever sends them. */
  invitationPerOrganization: AttemptLimit
  /** Prefix of the Redis keys, so several gateways (or tests) can share one Redis. */
  keyPrefix: string
  /** Keys kept by the in-process store before it evicts the oldest. */
  memoryMaxKeys: number
}

export class ConfigError extends Error {
  readonly problems: string[]

  constructor(problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`)
    this.problems = problems
    this.name = 'ConfigError'
  }
}

/** The minimum signing-key length, in bytes: HS256 wants a key at least as long as its hash. */
export const MIN_JWT_SECRET_BYTES = 32
const LOG_LEVELS: LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']
const JWT_SECRET_FILE = 'jwt-secret'
const MFA_KEY_FILE = 'mfa-key'
export const MFA_KEY_BYTES = 32

type Env = Record<string, string | undefined>

/**
 * Settings that may hold a secret, and so may be read from a file instead: NAME_FILE=/run/secrets/name (Docker
 * and Kubernetes secrets, systemd credentials). The file's content is the value, surrounding whitespace trimmed.
 */
export const FILE_SETTINGS = [
  'JWT_SECRET',
  'JWT_PRIVATE_KEY',
  'JWT_PUBLIC_KEYS',
  'MFA_ENCRYPTION_KEY',
  'DATABASE_URL',
  'DATABASE_LISTEN_URL',
  'REDIS_URL',
  'SMTP_URL',
] as const
/** A secret file is a key or a URL: anything larger is a mistake (a directory's worth, a device). */
export const MAX_SECRET_FILE_BYTES = 64 * 1024

/** The values of the FILE_SETTINGS given as NAME_FILE; never the content in a problem, only the path. */
function fileSecrets(env: Env, problems: string[]): (name: string) => string | undefined {
  const values = new Map<string, string>()
  for (const name of FILE_SETTINGS) {
    const file = env[`${name}_FILE`]?.trim()
    if (!file) continue
    if (env[name]?.trim()) {
      problems.push(`Set ${name} or ${name}_FILE, not both`)
      continue
    }
    try {
      const path = resolve(file)
      if (statSync(path).size > MAX_SECRET_FILE_BYTES) {
        problems.push(`${name}_FILE names a file larger than ${MAX_SECRET_FILE_BYTES} bytes (${file})`)
        continue
      }
      const value = readFileSync(path, 'utf8').trim()
      if (value === '') problems.push(`${name}_FILE names an empty file (${file})`)
      else values.set(name, value)
    } catch {
      problems.push(`${name}_FILE names a file that cannot be read (${file})`)
    }
  }
  return (name) => values.get(name)
}

/** Reads and validates the configuration; throws ConfigError naming every bad value. */
export function loadConfig(env: Env = process.env): Config {
  const problems: string[] = []
  const fileOf = fileSecrets(env, problems)
  const read = (name: string) => {
    const value = fileOf(name) ?? env[name]
    return value === undefined || value.trim() === '' ? undefined : value.trim()
  }
  const int = (name: string, fallback: number, min: number, max: number): number => {
    const raw = read(name)
    if (raw === undefined) return fallback
    const value = Number(raw)
    if (!/^\d+$/.test(raw) || value < min || value > max) {
      problems.push(`${name} must be a whole number from ${min} to ${max} (got "${raw}")`)
      return fallback
    }
    return value
  }
  const bool = (name: string, fallback: boolean): boolean => {
    const raw = read(name)?.toLowerCase()
    if (raw === undefined) return fallback
    if (['1', 'true', 'yes', 'on'].includes(raw)) return true
    if (['0', 'false', 'no', 'off'].includes(raw)) return false
    problems.push(`${name} must be true or false (got "${raw}")`)
    return fallback
  }

  const nodeEnvRaw = read('NODE_ENV') ?? 'development'
  let nodeEnv: NodeEnv = 'development'
  if (nodeEnvRaw === 'development' || nodeEnvRaw === 'production' || nodeEnvRaw === 'test') nodeEnv = nodeEnvRaw
  else problems.push(`NODE_ENV must be development, production or test (got "${nodeEnvRaw}")`)
  const production = nodeEnv === 'production'

  const port = int('PORT', 3000, 0, 65535)
  const host = read('HOST') ?? '127.0.0.1'

  const databaseUrl = read('DATABASE_URL')
  if (databaseUrl !== undefined && !/^postgres(ql)?:\/\/\S+$/.test(databaseUrl)) {
    problems.push('DATABASE_URL must be a postgresql:// URL')
  }
  const dataDir = resolve(read('DATA_DIR') ?? './data')
  const dbPoolSize = int('DB_POOL_SIZE', 10, 1, 200)
  const listenUrl = read('DATABASE_LISTEN_URL')
  if (listenUrl !== undefined && !/^postgres(ql)?:\/\/\S+$/.test(listenUrl))
    problems.push('DATABASE_LISTEN_URL must be a postgresql:// URL')
  const requesterCache = {
    maxEntries: int('REQUESTER_CACHE_SIZE', 10_000, 0, 10_000_000),
    ttlSeconds: int('REQUESTER_CACHE_TTL', 60, 1, 86_400),
    listenUrl,
  }

  const logLevelRaw = (read('LOG_LEVEL') ?? (nodeEnv === 'test' ? 'silent' : 'info')).toLowerCase()
  let logLevel: LogLevel = 'info'
  if ((LOG_LEVELS as string[]).includes(logLevelRaw)) logLevel = logLevelRaw as LogLevel
  else problems.push(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')} (got "${logLevelRaw}")`)

  let secret = read('JWT_SECRET')
  if (secret !== undefined && Buffer.byteLength(secret) < MIN_JWT_SECRET_BYTES) {
    problems.push(`JWT_SECRET must be at least ${MIN_JWT_SECRET_BYTES} bytes long (e.g. openssl rand -base64 48)`)
    secret = undefined
  } else if (secret === undefined && production) {
    problems.push('JWT_SECRET is required in production (at least 32 random bytes, e.g. openssl rand -base64 48)')
  }

  // Asymmetric access tokens (issue 16): a private key as PEM (value or file), more public keys to accept.
  let signingKey: SigningKey | undefined
  const verificationKeys: VerificationKey[] = []
  const privateKeyPem = read('JWT_PRIVATE_KEY')
  const publicKeysPem = read('JWT_PUBLIC_KEYS')
  try {
    if (privateKeyPem !== undefined) verificationKeys.push((signingKey = readSigningKey(privateKeyPem)))
    for (const key of publicKeysPem === undefined ? [] : readVerificationKeys(publicKeysPem)) {
      if (!verificationKeys.some((known) => known.kid === key.kid)) verificationKeys.push(key)
    }
  } catch (error) {
    problems.push((error as Error).message)
  }

  const redisUrl = read('REDIS_URL')
  if (redisUrl !== undefined && !/^rediss?:\/\/\S+$/.test(redisUrl)) problems.push('REDIS_URL must be a redis:// URL')

  const attemptLimit = (name: string, limit: number, windowSeconds: number): AttemptLimit => ({
    limit: int(`RATE_LIMIT_${name}`, limit, 1, 1_000_000),
    windowSeconds: int(`RATE_LIMIT_${name}_WINDOW`, windowSeconds, 1, 86_400),
  })
  const attemptLimits: AttemptLimits = {
    loginPerAccount: attemptLimit('LOGIN_PER_ACCOUNT', 10, 900),
    loginPerAddress: attemptLimit('LOGIN_PER_ADDRESS', 50, 900),
    registerPerAddress: attemptLimit('REGISTER_PER_ADDRESS', 20, 3600),
    refreshPerAddress: attemptLimit('REFRESH_PER_ADDRESS', 60, 60),
    passwordResetPerAddress: attemptLimit('PASSWORD_RESET_PER_ADDRESS', 20, 3600),
    passwordResetPerAccount: attemptLimit('PASSWORD_RESET_PER_ACCOUNT', 5, 3600),
    oneTimeTokenPerAddress: attemptLimit('ONE_TIME_TOKEN_PER_ADDRESS', 30, 900),
    mfaCodePerUser: attemptLimit('MFA_CODE_PER_USER', 5, 900),
    mfaMagicLinkPerUser: attemptLimit('MFA_MAGIC_LINK_PER_USER', 3, 900),
    demoRequestPerAddress: attemptLimit('DEMO_REQUEST_PER_ADDRESS', 5, 3600),
    signInPerAddress: attemptLimit('SIGN_IN_PER_ADDRESS', 60, 900),
    invitationPerRecipient: attemptLimit('INVITATION_PER_RECIPIENT', 3, 3600),
    invitationPerSender: attemptLimit('INVITATION_PER_SENDER', 20, 3600),
    invitationPerOrganization: attemptLimit('INVITATION_PER_ORGANIZATION', 50, 3600),
    keyPrefix: read('RATE_LIMIT_KEY_PREFIX') ?? 'gw:attempts:',
    memoryMaxKeys: int('RATE_LIMIT_MEMORY_MAX_KEYS', 100_000, 100, 10_000_000),
  }

  // Mail and MFA (issue 10): SMTP or the outbox, links, and the TOTP secrets' key.
  const smtpUrl = read('SMTP_URL')
  if (smtpUrl !== undefined && !/^smtps?:\/\/\S+$/.test(smtpUrl)) problems.push('SMTP_URL must be an smtp:// or smtps:// URL')
  const publicUrl = (read('PUBLIC_URL') ?? `http://localhost:${port}`).replace(/\/+$/, '')
  if (!/^https?:\/\/[^\s/]+(\/\S*)?$/.test(publicUrl)) problems.push(`PUBLIC_URL must be an http(s):// URL (got "${publicUrl}")`)
  const featuresRaw = read('MAIL_FEATURES')?.toLowerCase()
  let features = new Set<MailFeature>(production && smtpUrl === undefined ? [] : MAIL_FEATURES)
  if (featuresRaw !== undefined) {
    const named = featuresRaw === 'none' ? [] : featuresRaw.split(',').map((f) => f.trim())
    const unknown = named.filter((f) => !(MAIL_FEATURES as string[]).includes(f))
    if (unknown.length > 0)
      problems.push(`MAIL_FEATURES must be none or a list of ${MAIL_FEATURES.join(', ')} (got "${unknown.join(', ')}")`)
    features = new Set(named.filter((f): f is MailFeature => (MAIL_FEATURES as string[]).includes(f)))
  }
  if (production && smtpUrl === undefined && features.size > 0) {
    problems.push(`SMTP_URL is required in production when MAIL_FEATURES enables ${[...features].join(', ')}`)
  }
  const mfaIssuer = read('MFA_ISSUER') ?? 'Account Gateway'
  const publicLocation = URL.canParse(publicUrl) ? new URL(publicUrl) : new URL('http://localhost')
  const rpOrigins = (read('RP_ORIGIN') ?? publicLocation.origin)
    .split(',')
    .map((origin) => origin.trim().replace(/\/+$/, ''))
    .filter(Boolean)
  for (const origin of rpOrigins) {
    if (!/^https?:\/\/[^\s/]+$/.test(origin)) problems.push(`RP_ORIGIN must list http(s):// origins without a path (got "${origin}")`)
  }
  const rpId = (read('RP_ID') ?? publicLocation.hostname).toLowerCase()
  if (!/^[a-z0-9.-]+$/.test(rpId)) problems.push(`RP_ID must be a domain without scheme or port (got "${rpId}")`)
  const relyingParty: RelyingParty = { id: rpId, origins: rpOrigins, name: read('RP_NAME') ?? mfaIssuer }
  const mfaKeyRaw = read('MFA_ENCRYPTION_KEY')
  let mfaKey: Buffer | undefined
  if (mfaKeyRaw !== undefined) {
    mfaKey = /^[0-9a-f]{64}$/i.test(mfaKeyRaw) ? Buffer.from(mfaKeyRaw, 'hex') : Buffer.from(mfaKeyRaw, 'base64')
    if (mfaKey.length !== MFA_KEY_BYTES) {
      problems.push('MFA_ENCRYPTION_KEY must be 32 bytes, as 64 hex digits or base64 (e.g. openssl rand -base64 32)')
      mfaKey = undefined
    }
  }
  // Demo requests (issue 18): who hears of them, and the booking link.
  const demoMailTo = read('DEMO_REQUEST_MAIL_TO')
  if (demoMailTo !== undefined && !/^[^\s@]+@[^\s@]+$/.test(demoMailTo))
    problems.push(`DEMO_REQUEST_MAIL_TO must be an email address (got "${demoMailTo}")`)
  const demoCalendarUrl = read('DEMO_CALENDAR_URL')
  if (demoCalendarUrl !== undefined && !/^https?:\/\/\S+$/.test(demoCalendarUrl))
    problems.push(`DEMO_CALENDAR_URL must be an http(s):// URL (got "${demoCalendarUrl}")`)
  // Sign-in with providers and wallets (issue 18).
  const signIn = signInConfig(read, bool, int, publicUrl, problems)
  // Observability and browsers: CORS, metrics, tracing.
  const corsOrigins = (read('CORS_ORIGINS') ?? '')
    .split(',')
    .map((origin) => origin.trim())
    .filter((origin) => origin !== '')
  for (const origin of corsOrigins) {
    if (!isExactOrigin(origin)) problems.push(`CORS_ORIGINS must list exact origins like https://app.example.com (got "${origin}")`)
  }
  const cors: CorsSettings = {
    origins: corsOrigins,
    credentials: bool('CORS_CREDENTIALS', false),
    maxAgeSeconds: int('CORS_MAX_AGE', 600, 0, 86_400),
  }
  const metricsPortRaw = read('METRICS_PORT')
  const metrics = {
    port: metricsPortRaw === undefined ? undefined : int('METRICS_PORT', 0, 0, 65535),
    host: read('METRICS_HOST') ?? '127.0.0.1',
  }
  const tracing = tracingConfig(read, problems)
  const faults: FaultSettings = {
    dbStatementTimeoutMs: int('DB_STATEMENT_TIMEOUT_MS', 5_000, 100, 600_000),
    dbAcquireTimeoutMs: int('DB_ACQUIRE_TIMEOUT_MS', 2_000, 50, 60_000),
    dbReconnectBackoffMaxMs: int('DB_RECONNECT_BACKOFF_MAX_MS', 1_000, 0, 60_000),
    redisCommandTimeoutMs: int('REDIS_COMMAND_TIMEOUT_MS', 300, 10, 10_000),
    readyTimeoutMs: int('READY_TIMEOUT_MS', 800, 50, 10_000),
    failureLogIntervalMs: int('FAILURE_LOG_INTERVAL_MS', 10_000, 10, 3_600_000),
    shutdownGraceMs: int('SHUTDOWN_GRACE_MS', 1_000, 0, 60_000),
  }
  const persistedOnly = bool('GRAPHQL_PERSISTED_ONLY', false)
  const automaticPersisted = bool('GRAPHQL_APQ', !persistedOnly)
  if (persistedOnly && automaticPersisted)
    problems.push('GRAPHQL_APQ cannot be on with GRAPHQL_PERSISTED_ONLY: it would let anyone register a document')
  const documentsFile = read('GRAPHQL_PERSISTED_DOCUMENTS')
  const persistedOperations: PersistedOperationsConfig = {
    documentsFile: documentsFile === undefined ? undefined : resolve(documentsFile),
    only: persistedOnly,
    automatic: automaticPersisted && !persistedOnly,
    automaticMaxBytes: int('GRAPHQL_APQ_MAX_BYTES', 4 * 1024 * 1024, 0, 1024 * 1024 * 1024),
    automaticKeyPrefix: read('GRAPHQL_APQ_KEY_PREFIX') ?? 'gw:apq:',
  }
  // The store is bounded in bytes now: an entry count would not bound its memory.
  if (read('GRAPHQL_APQ_CACHE_SIZE') !== undefined)
    problems.push('GRAPHQL_APQ_CACHE_SIZE is replaced by GRAPHQL_APQ_MAX_BYTES (the store is bounded in bytes)')
  if (documentsFile !== undefined && !existsSync(resolve(documentsFile))) {
    problems.push(`GRAPHQL_PERSISTED_DOCUMENTS names a file that does not exist (${documentsFile})`)
  }
  const costLimits: CostLimits = {
    maxTokens: int('GRAPHQL_MAX_TOKENS', 1000, 100, 1_000_000),
    maxAliases: int('GRAPHQL_MAX_ALIASES', 20, 0, 10_000),
    maxRootFields: int('GRAPHQL_MAX_ROOT_FIELDS', 20, 1, 10_000),
    maxCost: int('GRAPHQL_MAX_COST', 2000, 1, 10_000_000),
    maxPasswordHashes: int('GRAPHQL_MAX_PASSWORD_HASHES', 1, 1, 100),
    maxSelections: int('GRAPHQL_MAX_SELECTIONS', 1000, 10, 1_000_000),
  }

  // A cheaper hash is for the test suite only: production and development never hash below OWASP's cost.
  const passwordHashCost: PasswordHashCost = {
    memoryKiB: int('PASSWORD_HASH_MEMORY_KIB', OWASP_HASH_COST.memoryKiB, 8, 4_194_304),
    iterations: int('PASSWORD_HASH_ITERATIONS', OWASP_HASH_COST.iterations, 1, 100),
  }
  if (nodeEnv !== 'test') {
    if (passwordHashCost.memoryKiB < OWASP_HASH_COST.memoryKiB)
      problems.push(`PASSWORD_HASH_MEMORY_KIB below ${OWASP_HASH_COST.memoryKiB} is allowed only with NODE_ENV=test`)
    if (passwordHashCost.iterations < OWASP_HASH_COST.iterations)
      problems.push(`PASSWORD_HASH_ITERATIONS below ${OWASP_HASH_COST.iterations} is allowed only with NODE_ENV=test`)
  }

  const config: Config = {
    nodeEnv,
    port,
    host,
    databaseUrl,
    dataDir,
    dbPoolSize,
    requesterCache,
    logLevel,
    jwt: {
      secret: secret ?? '',
      signingKey,
      verificationKeys,
      issuer: read('JWT_ISSUER') ?? 'account-gateway',
      audience: read('JWT_AUDIENCE') ?? 'account-api',
      accessTokenTtlSeconds: int('JWT_ACCESS_TTL', 3600, 60, 86_400),
    },
    refreshTokenTtlSeconds: int('REFRESH_TOKEN_TTL', 30 * 86_400, 300, 365 * 86_400),
    recentAuthSeconds: int('RECENT_AUTH_SECONDS', 300, 0, 86_400),
    trustedDevices: { days: int('TRUSTED_DEVICE_DAYS', 30, 0, 365), whenEnforced: bool('TRUSTED_DEVICE_WHEN_ENFORCED', false) },
    redisUrl,
    graphiql: bool('GRAPHIQL', !production),
    apiDocs: bool('API_DOCS', !production),
    trustProxy: trustProxy(read('TRUST_PROXY'), problems),
    seedDemoData: bool('SEED_DEMO_DATA', !production) && !production,
    attemptLimits,
    mail: {
      smtpUrl,
      outboxDir: resolve(read('MAIL_OUTBOX_DIR') ?? join(dataDir, 'outbox')),
      from: read('MAIL_FROM') ?? 'Account Gateway <no-reply@localhost>',
      publicUrl,
      features,
    },
    mfa: { encryptionKey: mfaKey, issuer: mfaIssuer, relyingParty },
    demo: { mailTo: demoMailTo, calendarUrl: demoCalendarUrl },
    signIn,
    cors,
    metrics,
    tracing,
    faults,
    // GraphQL edge: the schema is not described to strangers in production.
    graphqlIntrospection: bool('GRAPHQL_INTROSPECTION', !production),
    graphqlFederation: bool('GRAPHQL_FEDERATION', false),
    bodyLimit: int('BODY_LIMIT', 64 * 1024, 4096, 16 * 1024 * 1024),
    responseLimitBytes: int('RESPONSE_LIMIT_BYTES', 4 * 1024 * 1024, 1024, 1024 * 1024 * 1024),
    costLimits,
    persistedOperations,
    passwordHashCost,
  }
  if (problems.length > 0) throw new ConfigError(problems)
  if (!config.jwt.secret) config.jwt.secret = developmentSecret(dataDir)
  if (!config.mfa.encryptionKey && !production) config.mfa.encryptionKey = developmentMfaKey(dataDir)
  return config
}

/** Issuers used when AUTH_<PROVIDER>_ISSUER is unset; Microsoft's depends on the tenant, so it has none. */
const DEFAULT_ISSUERS: Partial<Record<OAuthProviderName, string>> = {
  GOOGLE: 'https://accounts.google.com',
  GITHUB: 'https://github.com',
}
const STELLAR_NETWORKS = ['PUBLIC', 'TESTNET', 'FUTURENET']

const isLoopbackUrl = (url: URL) => ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname)

function signInConfig(
  read: (name: string) => string | undefined,
  bool: (name: string, fallback: boolean) => boolean,
  int: (name: string, fallback: number, min: number, max: number) => number,
  publicUrl: string,
  problems: string[],
): SignInConfig {
  const providers = {} as Record<OAuthProviderName, OAuthProviderConfig | undefined>
  for (const name of OAUTH_PROVIDERS) {
    const env = (key: string) => read(`AUTH_${name}_${key}`)
    const clientId = env('CLIENT_ID')
    const clientSecret = env('CLIENT_SECRET')
    if (clientId === undefined && clientSecret === undefined) {
      providers[name] = undefined
      continue
    }
    if (!clientId || !clientSecret) {
      problems.push(`AUTH_${name}_CLIENT_ID and AUTH_${name}_CLIENT_SECRET must be set together`)
      continue
    }
    const issuer = (env('ISSUER') ?? DEFAULT_ISSUERS[name])?.replace(/\/+$/, '')
    const redirectUri = env('REDIRECT_URI') ?? `${publicUrl}/auth/callback/${name.toLowerCase()}`
    const apiUrl = name === 'GITHUB' ? (env('API_URL') ?? 'https://api.github.com').replace(/\/+$/, '') : undefined
    let allowHttp = false
    const urls: [string, string | undefined][] = [
      [`AUTH_${name}_ISSUER`, issuer],
      [`AUTH_${name}_REDIRECT_URI`, redirectUri],
      ...(apiUrl ? ([[`AUTH_${name}_API_URL`, apiUrl]] as [string, string][]) : []),
    ]
    for (const [key, value] of urls) {
      if (value === undefined) {
        problems.push(`${key} is required when AUTH_${name}_CLIENT_ID is set`)
        continue
      }
      let url: URL
      try {
        url = new URL(value)
      } catch {
        problems.push(`${key} must be an http(s):// URL (got "${value}")`)
        continue
      }
      const loopback = isLoopbackUrl(url)
      if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback))
        problems.push(`${key} must be an https:// URL (http:// only on a loopback host; got "${value}")`)
      if (key !== `AUTH_${name}_REDIRECT_URI` && url.protocol === 'http:') allowHttp = true
    }
    if (issuer === undefined) continue
    providers[name] = { issuer, clientId, clientSecret, redirectUri, apiUrl, allowHttp }
  }
  const networksRaw = read('AUTH_WEB3_NETWORKS')
  const networks = (networksRaw ?? STELLAR_NETWORKS.join(','))
    .split(',')
    .map((n) => n.trim().toUpperCase())
    .filter((n) => n !== '')
  for (const network of networks) {
    if (!STELLAR_NETWORKS.includes(network)) problems.push(`AUTH_WEB3_NETWORKS must list ${STELLAR_NETWORKS.join(', ')} (got "${network}")`)
  }
  return {
    providers,
    challengeTtlSeconds: int('AUTH_CHALLENGE_TTL', 300, 30, 3600),
    idTokenMaxAgeSeconds: int('AUTH_ID_TOKEN_MAX_AGE', 600, 30, 3600),
    web3: { enabled: bool('AUTH_WEB3', true), networks },
  }
}

const OTLP_PROTOCOLS = ['http/protobuf', 'http/json'] as const
/** The spec's limit on a resource attribute's key and value (the SDK's EnvDetector applies it too). */
const MAX_RESOURCE_ATTRIBUTE_LENGTH = 255

/**
 * Tracing by the OpenTelemetry spec's environment variables (opentelemetry.io/docs/specs/otel/configuration/sdk-environment-variables):
 * on when a traces endpoint is set, unless OTEL_SDK_DISABLED=true or OTEL_TRACES_EXPORTER=none. Read here, from
 * the one environment the config is given, rather than by the SDK from process.env: a bad value stops the
 * start with its name instead of being dropped with a debug line. What the SDK reads itself still applies
 * (OTEL_EXPORTER_OTLP_HEADERS, _TIMEOUT, _COMPRESSION, OTEL_TRACES_SAMPLER, OTEL_BSP_*).
 */
function tracingConfig(read: (name: string) => string | undefined, problems: string[]): TracingConfig | undefined {
  const disabled = read('OTEL_SDK_DISABLED')?.toLowerCase()
  if (disabled !== undefined && disabled !== 'true' && disabled !== 'false')
    problems.push(`OTEL_SDK_DISABLED must be true or false (got "${disabled}")`)
  const exporter = read('OTEL_TRACES_EXPORTER')?.toLowerCase()
  if (exporter !== undefined && exporter !== 'otlp' && exporter !== 'none')
    problems.push(`OTEL_TRACES_EXPORTER must be otlp or none (got "${exporter}")`)
  const url = (name: string) => {
    const value = read(name)
    if (value !== undefined && !/^https?:\/\/\S+$/.test(value)) problems.push(`${name} must be an http:// or https:// URL`)
    return value
  }
  const base = url('OTEL_EXPORTER_OTLP_ENDPOINT')
  const tracesUrl = url('OTEL_EXPORTER_OTLP_TRACES_ENDPOINT') ?? (base === undefined ? undefined : `${base.replace(/\/+$/, '')}/v1/traces`)
  const protocol = read('OTEL_EXPORTER_OTLP_TRACES_PROTOCOL') ?? read('OTEL_EXPORTER_OTLP_PROTOCOL') ?? 'http/protobuf'
  if (!(OTLP_PROTOCOLS as readonly string[]).includes(protocol))
    problems.push(`OTEL_EXPORTER_OTLP_(TRACES_)PROTOCOL must be ${OTLP_PROTOCOLS.join(' or ')} (got "${protocol}")`)
  const resourceAttributes: Record<string, string> = { 'service.name': 'account-gateway' }
  const raw = read('OTEL_RESOURCE_ATTRIBUTES')
  // key=value pairs, comma-separated, ',' '=' and '%' percent-encoded in keys and values (the spec's "W3C Baggage" subset).
  for (const pair of raw === undefined ? [] : raw.split(',').filter((p) => p.trim() !== '')) {
    const parts = pair.split('=')
    let key: string | undefined
    let value: string | undefined
    try {
      if (parts.length === 2) [key, value] = parts.map((part) => decodeURIComponent(part.trim()))
    } catch {
      // not percent-decodable: refused below
    }
    if (!key || value === undefined || key.length > MAX_RESOURCE_ATTRIBUTE_LENGTH || value.length > MAX_RESOURCE_ATTRIBUTE_LENGTH) {
      problems.push(
        `OTEL_RESOURCE_ATTRIBUTES must be key=value pairs separated by commas, percent-encoded, at most ${MAX_RESOURCE_ATTRIBUTE_LENGTH} characters each (not "${pair.trim()}")`,
      )
      continue
    }
    resourceAttributes[key] = value
  }
  const serviceName = read('OTEL_SERVICE_NAME')
  if (serviceName !== undefined) resourceAttributes['service.name'] = serviceName
  if (disabled === 'true' || exporter === 'none' || tracesUrl === undefined) return undefined
  return { tracesUrl, protocol: protocol as TracingConfig['protocol'], resourceAttributes }
}

/** The most proxies a hop count may name: a longer chain is a mistake. */
const MAX_PROXY_HOPS = 10
/** @fastify/proxy-addr's named ranges. */
const NAMED_PROXY_RANGES = ['loopback', 'linklocal', 'uniquelocal']

/**
 * TRUST_PROXY: unset or false, a hop count, or the proxies' addresses. `true` would believe any
 * client's own X-Forwarded-For, so it is refused (README, Behind a load balancer).
 */
function trustProxy(raw: string | undefined, problems: string[]): TrustProxy {
  const value = raw?.toLowerCase()
  if (value === undefined || ['false', 'no', 'off', '0'].includes(value)) return false
  if (['true', 'yes', 'on'].includes(value)) {
    problems.push(
      "TRUST_PROXY=true would take every client's own X-Forwarded-For as its address (per-address limits bypassed, " +
        'session addresses forged): set the number of proxies in front (TRUST_PROXY=1) or their addresses ' +
        '(TRUST_PROXY=10.0.0.0/8,192.0.2.7)',
    )
    return false
  }
  if (/^\d+$/.test(value)) {
    const hops = Number(value)
    if (hops <= MAX_PROXY_HOPS) return hops
    problems.push(`TRUST_PROXY must be a hop count from 0 to ${MAX_PROXY_HOPS} or a list of proxy addresses (got "${raw}")`)
    return false
  }
  const entries = value.split(',').map((entry) => entry.trim())
  const bad = entries.filter((entry) => !isProxyAddress(entry))
  if (bad.length > 0) {
    problems.push(
      `TRUST_PROXY must be a hop count or a comma-separated list of addresses, CIDR ranges (10.0.0.0/8) or ` +
        `${NAMED_PROXY_RANGES.join(', ')} (not "${bad.join(', ')}")`,
    )
    return false
  }
  return entries
}

/** An IP address, a CIDR range (address/prefix length) or one of proxy-addr's named ranges. */
function isProxyAddress(entry: string): boolean {
  if (NAMED_PROXY_RANGES.includes(entry)) return true
  const [address, prefix, extra] = entry.split('/')
  if (extra !== undefined || address === undefined) return false
  const family = isIP(address)
  if (family === 0) return false
  if (prefix === undefined) return true
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128)
}

/** scheme://host[:port] and nothing else: CORS compares origins as exact strings. */
function isExactOrigin(value: string): boolean {
  try {
    const url = new URL(value)
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.origin === value
  } catch {
    return false
  }
}

/** Outside production: a random key kept in DATA_DIR, so tokens survive restarts. */
function developmentSecret(dataDir: string): string {
  const file = join(dataDir, JWT_SECRET_FILE)
  if (existsSync(file)) {
    const kept = readFileSync(file, 'utf8').trim()
    if (Buffer.byteLength(kept) >= MIN_JWT_SECRET_BYTES) return kept
  }
  mkdirSync(dataDir, { recursive: true })
  const secret = randomBytes(48).toString('base64url')
  writeFileSync(file, secret + '\n', { mode: 0o600 })
  return secret
}

/** Outside production: a random MFA key kept in DATA_DIR, so enrolled authenticators survive restarts. */
function developmentMfaKey(dataDir: string): Buffer {
  const file = join(dataDir, MFA_KEY_FILE)
  if (existsSync(file)) {
    const kept = Buffer.from(readFileSync(file, 'utf8').trim(), 'base64')
    if (kept.length === MFA_KEY_BYTES) return kept
  }
  mkdirSync(dataDir, { recursive: true })
  const key = randomBytes(MFA_KEY_BYTES)
  writeFileSync(file, key.toString('base64') + '\n', { mode: 0o600 })
  return key
}
