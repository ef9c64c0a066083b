// Loads TypeScript for the test processes through tsx (esbuild; transforms cached on disk), in place of tap's
// default ts-node, which transpiles every src file again in every test process: about 2 s of CPU less per file.
//
// tsx puts the TypeScript text into its source maps (sourcesContent) only when NODE_V8_COVERAGE is set, and tap
// takes coverage through the inspector, without it; without that text the report maps tsx's whitespace-minified
// output onto the wrong lines (and counts a file as one line). So .taprc sets NODE_V8_COVERAGE for the test
// processes: tsx's loader thread reads it when it starts, which is before this file runs. Node then also writes
// its own copy of the coverage into that directory when the process exits (a few MB; stopping node's collection
// early would cost tap's report whole files). Here the variable is removed, so that the test's child processes
// do not collect coverage too, and the files of earlier runs (older than ten minutes) are deleted.
import { readdirSync, rmSync, statSync } from 'node:fs'
import { join, resolve } from 'node:path'
import 'tsx'

const dir = process.env.NODE_V8_COVERAGE
if (dir !== undefined) {
  delete process.env.NODE_V8_COVERAGE
  const stale = Date.now() - 10 * 60_000
  try {
    for (const name of readdirSync(resolve(dir))) {
      const file = join(resolve(dir), name)
      if (statSync(file, { throwIfNoEntry: false })?.mtimeMs < stale) rmSync(file, { force: true })
    }
  } catch {
    // no directory yet
  }
}
