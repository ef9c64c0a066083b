// Lets Node run the TypeScript of src/, test/ and scripts/ as it is: Node strips the types itself (no transform,
// no source map: a covered line is the TypeScript line), and this hook maps an import of './x.js' written in a
// .ts file to './x.ts' when there is no x.js, as TypeScript's NodeNext resolution does. A synchronous in-thread
// hook (module.registerHooks), so no loader thread and no transform cache: most of what a test process costs
// to start went to tsx's loader, its source maps and their parsing.
import { existsSync } from 'node:fs'
import { registerHooks } from 'node:module'
import { fileURLToPath } from 'node:url'

// No compile cache (module.enableCompileCache()): it saves ~0.6 s of CPU per process, but with it the function
// coverage of two identical runs differed (95.67 %, then 96.44 %), close to the gate's floor; without it the figures
// hold still. (The functions counted twice that stop 22 blamed on it came from tsx on a clean clone's first run:
// scripts/test.js.)

registerHooks({
  resolve(specifier, context, next) {
    if (specifier.endsWith('.js') && (specifier.startsWith('./') || specifier.startsWith('../')) && context.parentURL?.endsWith('.ts')) {
      const typescript = new URL(`${specifier.slice(0, -3)}.ts`, context.parentURL)
      if (existsSync(fileURLToPath(typescript))) return next(typescript.href, context)
    }
    return next(specifier, context)
  },
})

// TEST_PROFILE_LOG=<file>: each test process appends one line when it exits (file, CPU ms of all its threads,
// wall ms since the process started, when this loader ran, peak RSS): where the suite's time goes.
if (process.env.TEST_PROFILE_LOG) {
  const { appendFileSync } = await import('node:fs')
  const { relative } = await import('node:path')
  const loaded = performance.now()
  process.once('exit', () => {
    const { userCPUTime, systemCPUTime, maxRSS } = process.resourceUsage()
    const file = relative(process.cwd(), process.argv[1] ?? '')
    appendFileSync(
      process.env.TEST_PROFILE_LOG,
      `${JSON.stringify({ file, cpuMs: Math.round((userCPUTime + systemCPUTime) / 1000), wallMs: Math.round(performance.now()), loaderMs: Math.round(loaded), maxRssMiB: Math.round(maxRSS / 1024), databases: globalThis.__testDatabases ?? 0, appMs: Math.round(globalThis.__testAppMs ?? 0) })}\n`,
    )
  })
}
