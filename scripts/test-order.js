#!/usr/bin/env node
// Proves that a test file's top-level subtests do not depend on each other's order: runs each file with its
// subtests reversed, shuffled, or each one alone (see test/order.ts), on the database the environment names.
//
//   node scripts/test-order.js [--reverse] [--shuffle[=seed]] [--each] test/path/a.test.ts …
//
// With no mode it runs --reverse and --shuffle. Exits 1 when any run fails, naming the file and the order.
import { spawnSync } from 'node:child_process'
import { randomInt } from 'node:crypto'

const args = process.argv.slice(2)
const files = args.filter((a) => !a.startsWith('--'))
const flags = args.filter((a) => a.startsWith('--'))
if (files.length === 0 || flags.some((f) => !/^--(reverse|each|shuffle(=\d+)?)$/.test(f))) {
  console.error('usage: node scripts/test-order.js [--reverse] [--shuffle[=seed]] [--each] test/…/file.test.ts …')
  process.exit(2)
}
const modes = flags.length ? flags : ['--reverse', '--shuffle']

function run(file, order) {
  const res = spawnSync(
    'npx',
    [
      'tap',
      '--disable-coverage',
      '-R',
      'tap',
      '--node-arg=--import=./test/typescript.mjs',
      '--node-arg=--liftoff-only',
      '--node-arg=--import=./test/order.ts',
      file,
    ],
    { env: { ...process.env, TEST_ORDER: order }, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 },
  )
  const out = `${res.stdout}${res.stderr}`
  const arranged = /# TEST_ORDER=\S+: ([\d, ]*) of (\d+)/.exec(out)
  const ok = res.status === 0 && arranged !== null
  console.log(`${ok ? 'ok    ' : 'FAILED'} ${file} TEST_ORDER=${order}${arranged ? ` (subtests ${arranged[1]} of ${arranged[2]})` : ''}`)
  if (!ok) {
    const failures = out.split('\n').filter((line) => /^\s*not ok /.test(line))
    console.log((failures.length ? failures : out.split('\n').slice(-30)).join('\n'))
  }
  return { ok, count: arranged ? Number(arranged[2]) : 0 }
}

let failed = 0
for (const file of files) {
  let count = 0
  for (const mode of modes) {
    if (mode === '--each') continue
    const order = mode === '--reverse' ? 'reverse' : `shuffle:${mode.split('=')[1] ?? randomInt(1, 2 ** 31)}`
    const r = run(file, order)
    count ||= r.count
    if (!r.ok) failed++
  }
  if (modes.includes('--each')) {
    count ||= run(file, 'only:1').count
    for (let n = 1; n <= count; n++) if (!run(file, `only:${n}`).ok) failed++
  }
}
process.exit(failed ? 1 : 0)
