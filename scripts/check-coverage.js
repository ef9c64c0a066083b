#!/usr/bin/env node
// The coverage gate: after a full `npm test` (tap writes .tap/report/coverage-summary.json), fails when line,
// statement, function or branch coverage of src/ is below its floor. The floors are what the suite reached when
// the gate was set; raise them as coverage grows, never lower them to let a change through.
//
//   node scripts/check-coverage.js            # after npm test (CI runs it after the embedded-database run)
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { PROJECT_ROOT } from './build.js'

/** Percent, one decimal down from the figure measured on the embedded database (README, "Tests"). */
export const FLOORS = { lines: 74.6, statements: 74.6, functions: 74.6, branches: 74.6 }

const file = join(PROJECT_ROOT, '.tap', 'report', 'coverage-summary.json')
if (!existsSync(file)) {
  console.error(`coverage: no ${file}; run the whole suite with coverage first (npm test)`)
  process.exit(1)
}
const { total } = JSON.parse(readFileSync(file, 'utf8'))
let failed = false
for (const [kind, floor] of Object.entries(FLOORS)) {
  const pct = total[kind].pct
  const ok = pct >= floor
  if (!ok) failed = true
  console.log(`coverage: ${kind} ${pct}% (${total[kind].covered}/${total[kind].total}), floor ${floor}%${ok ? '' : ' — BELOW THE FLOOR'}`)
}
process.exit(failed ? 1 : 0)
