#!/usr/bin/env node
// The coverage gate: after a full `npm test` (tap writes .tap/report/coverage-summary.json), fails when line,
// statement, function or branch coverage of src/ is below its floor. The floors are what the suite reached when
// the gate was set; raise them as coverage grows, never lower them to let a change through.
//
//   node scripts/check-coverage.js            # after npm test (CI runs it after the embedded-database run)
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { PROJECT_ROOT } from './build.js'

/**
 * Percent. Before the move to tsx the suite reported 74.6 % of lines (ts-node); one file run both ways covers
 * the same lines or more under tsx (test/rest/quota.test.ts: 75.22 % ts-node, 75.64 % tsx). The full
 * embedded-database run on this branch reported lines 75.7, branches 73.83, functions 57.0, but with a fault
 * (since fixed in test/tsx.mjs) that left some files out of the report, so the floors sit below both.
 */
export const FLOORS = { lines: 74.5, statements: 74.5, branches: 72.5, functions: 55.0 }

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
