// One benchmark target in its own process, so it has a core to itself: `gateway` (the real app) or
// `baseline` (a hand-written Fastify route doing the same work: token check, one pg query, the JSON).
// Prints "listening <port>" when ready.
import Fastify from 'fastify'
import pg from 'pg'
import { buildApp } from '../src/app.js'
import { loadConfig } from '../src/config.js'
import { createAccessTokens } from '../src/auth/tokens.js'
import { orgRoleDescription, orgRolesFor } from '../src/domain/roles.js'
import { errorEnvelope, profile, sharedSchemas, successEnvelope } from '../src/rest/schemas.js'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { openDatabase } from '../src/db/database.js'
import { migrate } from '../src/db/migrate.js'
import { apolloPlugin, yogaPlugin } from './peers.js'

const kind = process.argv[2]
const config = loadConfig({ ...process.env, NODE_ENV: 'production', LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'warn', GRAPHIQL: 'false' })

async function baseline() {
  const app = Fastify({ logger: false })
  // The REST routes' named shapes ($ref: Profile, ErrorEnvelope), so the baseline serializes with the very same schemas.
  for (const schema of sharedSchemas()) app.addSchema(schema)
  const pool = new pg.Pool({ connectionString: config.databaseUrl, max: config.dbPoolSize })
  const tokens = createAccessTokens(config.jwt)
  const SQL = `SELECT u.id, u.email, u.name, u.last_name, u.org_id, u.org_role, u.validated, u.mfa_required, u.is_business, u.deleted_at,
    (s.id IS NOT NULL AND s.revoked_at IS NULL AND s.expires_at > now()) AS session_live
    FROM users u LEFT JOIN sessions s ON s.id = $2 AND s.user_id = u.id WHERE u.id = $1`
  app.get(
    '/user/profile',
    { schema: { response: { 200: successEnvelope(profile), 401: errorEnvelope, 404: errorEnvelope } } },
    async (request, reply) => {
      const header = request.headers.authorization
      let claims
      try {
        claims = tokens.verify(header!.slice(7))
      } catch {
        return reply.code(401).send({ success: false, error_code: 'NO_AUTH_USER', message: 'Authentication required' })
      }
      const { rows } = await pool.query({ name: 'requester', text: SQL, values: [claims.sub, claims.sid] })
      const u = rows[0]
      if (!u || u.deleted_at) return reply.code(404).send({ success: false, message: 'User not found' })
      return {
        success: true,
        data: {
          id: u.id,
          name: u.name,
          lastName: u.last_name,
          email: u.email,
          orgId: u.org_id,
          orgRole: u.org_role,
          orgRoleDescription: orgRoleDescription(u.org_role),
          orgRoles: orgRolesFor(u.org_role),
          validated: u.validated,
          mfaRequired: u.mfa_required,
          isBusiness: u.is_business,
        },
      }
    },
  )
  return app
}

/**
 * gateway-embedded: the gateway on the embedded database (npm start's default), in a scratch data directory
 * holding a copy of the PostgreSQL benchmark database's rows (same ids, so the same tokens work).
 */
async function embeddedCopy(): Promise<string> {
  const dataDir = mkdtempSync(join(tmpdir(), 'gw-bench-embedded-'))
  process.once('exit', () => rmSync(dataDir, { recursive: true, force: true }))
  const embedded = await openDatabase({ dataDir })
  await migrate(embedded)
  const source = new pg.Client({ connectionString: config.databaseUrl })
  await source.connect()
  const { rows: tables } = await source.query<{ name: string }>(
    `SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' AND tablename <> '_prisma_migrations'`,
  )
  // The migrations' own reference rows are replaced by the source's; rows in any order: foreign keys are not
  // checked while copying.
  await embedded.sql.exec(`TRUNCATE ${tables.map(({ name }) => `"${name}"`).join(', ')} CASCADE`)
  await embedded.sql.exec(`SET session_replication_role = replica`)
  for (const { name } of tables) {
    const { rows } = await source.query(`SELECT * FROM "${name}"`)
    for (let i = 0; i < rows.length; i += 1000) {
      const batch = JSON.stringify(rows.slice(i, i + 1000))
      await embedded.sql.query(`INSERT INTO "${name}" SELECT * FROM json_populate_recordset(null::"${name}", $1::json)`, [batch])
    }
  }
  await embedded.sql.exec(`SET session_replication_role = origin; ANALYZE`)
  await source.end()
  await embedded.close()
  return dataDir
}

// gateway-unlimited: the gateway without its GraphQL cost limits, to measure what they cost. yoga, apollo: the
// gateway with GraphQL Yoga or Apollo Server mounted beside its own engine (bench/peers.ts).
const app =
  kind === 'baseline'
    ? await baseline()
    : kind === 'gateway-embedded'
      ? await buildApp({ ...config, databaseUrl: undefined, dataDir: await embeddedCopy() })
      : await buildApp(kind === 'gateway-unlimited' ? { ...config, costLimits: null } : config, {
          graphqlPlugins: kind === 'yoga' ? [yogaPlugin] : kind === 'apollo' ? [apolloPlugin] : [],
        })
await app.listen({ port: 0, host: '127.0.0.1' })
const address = app.server.address()
console.log(`listening ${typeof address === 'object' && address ? address.port : ''}`)
process.on('message', (message) => {
  if (message === 'usage') {
    const cpu = process.cpuUsage()
    process.send!({ rss: process.memoryUsage().rss, cpuMicros: cpu.user + cpu.system })
  }
})
process.on('SIGTERM', () => void app.close().then(() => process.exit(0)))
