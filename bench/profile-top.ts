// npx tsx bench/profile-top.ts <file.cpuprofile> [count]: the functions a V8 CPU profile (node --cpu-prof,
// BENCH_PROFILE=dir npm run bench) spent the most time in while serving, by self time, with their share of the
// counted samples. Idle time and the start (module loading, compiling: samples with such a frame on their stack)
// and plugin boot (avvio) are left out, so what remains is what the requests cost.
import { readFileSync } from 'node:fs'

interface ProfileNode {
  id: number
  callFrame: { functionName: string; url: string; lineNumber: number }
  children?: number[]
}

const [file, countArg] = process.argv.slice(2)
if (!file) {
  console.error('usage: npx tsx bench/profile-top.ts <file.cpuprofile> [count]')
  process.exit(2)
}
const profile = JSON.parse(readFileSync(file, 'utf8')) as { nodes: ProfileNode[]; samples: number[] }
const nodes = new Map(profile.nodes.map((node) => [node.id, node]))
const parent = new Map<number, number>()
for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id)
const starting = (node: ProfileNode) =>
  /^node:internal\/(modules|bootstrap|source_map)|tsx\/dist|cjs-module-lexer|avvio\//.test(node.callFrame.url) ||
  ['(idle)', '(program)', 'wrapSafe', 'compileSourceTextModule', 'compileFunction'].includes(node.callFrame.functionName)
const counted = new Map<number, boolean>()
function serving(id: number): boolean {
  const known = counted.get(id)
  if (known !== undefined) return known
  const node = nodes.get(id)!
  const up = parent.get(id)
  const result = !starting(node) && (up === undefined || serving(up))
  counted.set(id, result)
  return result
}
const byFrame = new Map<string, number>()
let total = 0
for (const id of profile.samples) {
  if (!serving(id)) continue
  total += 1
  const { functionName, url, lineNumber } = nodes.get(id)!.callFrame
  const where = url ? `${url.replace(/^.*node_modules\//, '').replace(/^file:\/\/.*?\/(src|bench)\//, '$1/')}:${lineNumber + 1}` : ''
  const key = `${functionName || '(anonymous)'} ${where}`.trim()
  byFrame.set(key, (byFrame.get(key) ?? 0) + 1)
}
console.log(`${total} samples while serving (of ${profile.samples.length})`)
for (const [frame, n] of [...byFrame].sort((a, b) => b[1] - a[1]).slice(0, Number(countArg ?? 20))) {
  console.log(`${((100 * n) / total).toFixed(1).padStart(5)} %  ${frame}`)
}
