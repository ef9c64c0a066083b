// npx tsx bench/profile-top.ts <file.cpuprofile> [count]: the functions a V8 CPU profile (node --cpu-prof,
// BENCH_PROFILE=dir npm run bench) spent the most time in, by self time, with their share of the samples.
import { readFileSync } from 'node:fs'

interface ProfileNode {
  id: number
  callFrame: { functionName: string; url: string; lineNumber: number }
  hitCount?: number
}

const [file, countArg] = process.argv.slice(2)
if (!file) {
  console.error('usage: npx tsx bench/profile-top.ts <file.cpuprofile> [count]')
  process.exit(2)
}
const profile = JSON.parse(readFileSync(file, 'utf8')) as { nodes: ProfileNode[]; samples: number[] }
const hits = new Map<number, number>()
for (const id of profile.samples) hits.set(id, (hits.get(id) ?? 0) + 1)
const byFrame = new Map<string, number>()
for (const node of profile.nodes) {
  const { functionName, url, lineNumber } = node.callFrame
  const where = url ? `${url.replace(/^.*node_modules\//, '').replace(/^file:\/\/.*?\/(src|bench)\//, '$1/')}:${lineNumber + 1}` : ''
  const key = `${functionName || '(anonymous)'} ${where}`.trim()
  byFrame.set(key, (byFrame.get(key) ?? 0) + (hits.get(node.id) ?? 0))
}
const total = profile.samples.length
for (const [frame, n] of [...byFrame].sort((a, b) => b[1] - a[1]).slice(0, Number(countArg ?? 20))) {
  console.log(`${((100 * n) / total).toFixed(1).padStart(5)} %  ${frame}`)
}
