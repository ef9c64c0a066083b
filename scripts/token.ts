// npm run token -- <email>: starts a session for that user and prints an access token as the last line.
// Works while the server is stopped, against the same DATABASE_URL / DATA_DIR.
import { loadConfig } from '../src/config.js'
import { openDatabase } from '../src/db/database.js'
import { prepareEmbedded } from '../src/db/plugin.js'
import { createAccessTokens } from '../src/auth/tokens.js'
import { startSession } from '../src/db/repositories/sessions.js'
import { findByEmailForLogin } from '../src/db/repositories/users.js'
import { MIGRATE_HINT, pendingMigrations, readMigrations } from '../src/db/migrate.js'

const email = process.argv[2]?.trim().toLowerCase()
if (!email) {
  console.error('usage: npm run token -- <email>')
  process.exit(2)
}
const config = loadConfig()
const db = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, poolSize: 1 }).catch((err) => {
  // Typically: the embedded database is held by a running server (log in with POST /user/login instead).
  console.error(err instanceof Error ? err.message : err)
  process.exit(1)
})
try {
  await prepareEmbedded(db, config.seedDemoData, config.passwordHashCost)
  // PostgreSQL is migrated by npm run db:migrate, not here: say so, as /ready does, rather than fail on a missing table.
  const pending = await pendingMigrations(db)
  const user = pending.length > 0 ? undefined : await findByEmailForLogin(db.prisma, email)
  if (pending.length > 0) {
    console.error(
      `the database is not migrated: ${pending.length} of ${readMigrations().length} migrations not applied (run ${MIGRATE_HINT} first)`,
    )
    process.exitCode = 1
  } else if (!user) {
    console.error(`no user with email ${email}`)
    process.exitCode = 1
  } else {
    const session = await startSession(db.prisma, user.id, config.refreshTokenTtlSeconds, {
      userAgent: 'npm run token',
      loginMethod: 'CLI',
    })
    const { accessToken, expiresAt } = createAccessTokens(config.jwt).issue(user.id, session.id)
    console.log(
      `access token for ${email}${user.deletedAt ? ' (deactivated)' : ''}, valid until ${new Date(expiresAt * 1000).toISOString()}:`,
    )
    console.log(accessToken)
  }
} finally {
  await db.close()
}
