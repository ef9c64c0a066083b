// npm run db:seed: adds the demo organizations and users (never in production).
import { loadConfig } from '../src/config.js'
import { openDatabase } from '../src/db/database.js'
import { migrate } from '../src/db/migrate.js'
import { DEMO_PASSWORD, seedDemoData } from '../src/db/seed.js'

const config = loadConfig()
if (config.nodeEnv === 'production') {
  console.error('refusing to seed demo data with NODE_ENV=production')
  process.exit(1)
}
const db = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, poolSize: 1 })
try {
  await migrate(db)
  console.log((await seedDemoData(db)) ? `demo data seeded; every demo user's password is ${DEMO_PASSWORD}` : 'demo data already present')
} finally {
  await db.close()
}
