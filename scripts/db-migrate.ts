// npm run db:migrate: applies pending migrations to DATABASE_URL (or the embedded database in DATA_DIR).
import { loadConfig } from '../src/config.js'
import { openDatabase } from '../src/db/database.js'
import { migrate } from '../src/db/migrate.js'

const config = loadConfig()
const db = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, poolSize: 1 })
try {
  const applied = await migrate(db)
  console.log(applied.length ? `applied: ${applied.join(', ')}` : 'the database is up to date')
} catch (err) {
  console.error('migration failed:', err instanceof Error ? err.message : err)
  process.exitCode = 1
} finally {
  await db.close()
}
