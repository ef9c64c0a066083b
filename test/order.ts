// Runs a test file's top-level subtests in another order, or one of them alone, to prove that none depends on
// what an earlier one left behind. Loaded with --import by scripts/test-order.js (never by `npm test`):
//   TEST_ORDER=reverse        the last subtest first
//   TEST_ORDER=shuffle:<seed> a seeded shuffle (the seed is printed, so a failing order can be replayed)
//   TEST_ORDER=only:<n>       only the n-th subtest (1-based), after the file's own top-level setup
// The file's top level still runs in full (its shared app, its fixtures); only the t.test calls on the root are
// held until the file has finished loading, then started in the chosen order.
import t from 'tap'
import { pathToFileURL } from 'node:url'

type TestArgs = Parameters<typeof t.test>

const order = process.env.TEST_ORDER ?? ''
const held: TestArgs[] = []
const original = t.test.bind(t)

/** A small seeded generator (mulberry32): the same seed gives the same order on every machine. */
function random(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0
    let r = Math.imul(seed ^ (seed >>> 15), 1 | seed)
    r = (r + Math.imul(r ^ (r >>> 7), 61 | r)) ^ r
    return ((r ^ (r >>> 14)) >>> 0) / 4294967296
  }
}

function arrange(tests: TestArgs[]): TestArgs[] {
  if (order === 'reverse') return [...tests].reverse()
  const shuffle = /^shuffle:(\d+)$/.exec(order)
  if (shuffle) {
    const next = random(Number(shuffle[1]))
    const out = [...tests]
    for (let i = out.length - 1; i > 0; i--) {
      const j = Math.floor(next() * (i + 1))
      ;[out[i], out[j]] = [out[j]!, out[i]!]
    }
    return out
  }
  const only = /^only:(\d+)$/.exec(order)
  if (only) {
    const n = Number(only[1])
    if (n < 1 || n > tests.length) throw new Error(`TEST_ORDER=${order}: the file has ${tests.length} top-level subtests`)
    return [tests[n - 1]!]
  }
  throw new Error(`TEST_ORDER=${order}: expected reverse, shuffle:<seed> or only:<n>`)
}

if (order) {
  ;(t as { test: unknown }).test = (...args: TestArgs) => {
    held.push(args)
    return Promise.resolve()
  }
  // The main module is the test file: importing it here shares its one evaluation, and resolves once its top
  // level (including top-level await) is done, so every subtest it declares is held by then.
  const main = pathToFileURL(process.argv[1]!).href
  setImmediate(() => {
    import(main).then(
      () => {
        ;(t as { test: unknown }).test = original
        const names = held.map((args) => args.find((a) => typeof a === 'string') ?? '(unnamed)')
        const arranged = arrange(held)
        t.comment(
          `TEST_ORDER=${order}: ${arranged.map((args) => names.indexOf(args.find((a) => typeof a === 'string') ?? '(unnamed)') + 1).join(', ')} of ${held.length}`,
        )
        for (const args of arranged) void original(...args)
      },
      (err: unknown) => t.threw(err),
    )
  })
}
