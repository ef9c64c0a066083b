// @ts-check
// npm start: rebuilds only what changed (nothing on a warm start), then runs the compiled entry —
// the server, or another compiled tool given as argument — in this very process.
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { BuildError, PROJECT_ROOT, buildStale } from './build.js'

const entry = process.argv[2] ?? 'dist/src/server.js'
try {
  buildStale()
} catch (err) {
  if (!(err instanceof BuildError)) throw err
  console.error(err.message)
  process.exit(1)
}
await import(pathToFileURL(join(PROJECT_ROOT, entry)).href)
