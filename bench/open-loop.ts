// npx tsx bench/open-loop.ts <port> <path> <requests/s> [seconds] [bearer token]: latency under an even stream of
// requests (open loop, as wrk2 measures it), which autocannon's per-second cap cannot give. Requests are due at evenly
// spaced times over 32 keep-alive connections; a request that finds no idle connection waits in a queue, and every
// answer's latency counts from the time its request was due, so a stall is charged to every request it delayed.
// The first second is left out (connections warming up). Prints p50, p90, p99 and the maximum, in milliseconds.
// Expects 200 answers with a Content-Length (every gateway route answers so); anything else stops it with exit 1.
import net from 'node:net'

const [port, path, rateArg, secondsArg = '5', token = ''] = process.argv.slice(2)
const rate = Number(rateArg)
if (!port || !path || !(rate > 0)) {
  console.error('usage: npx tsx bench/open-loop.ts <port> <path> <requests/s> [seconds] [bearer token]')
  process.exit(2)
}
const CONNECTIONS = 32
const duration = Number(secondsArg) * 1000
const request = Buffer.from(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\n${token ? `authorization: Bearer ${token}\r\n` : ''}\r\n`)

interface Connection {
  socket: net.Socket
  /** When the request in flight was due. */
  due: number
  received: Buffer
}
const latencies: number[] = []
const waiting: number[] = []
const idle: Connection[] = []
let start = 0
let sent = 0

function answered(connection: Connection) {
  const now = performance.now()
  if (connection.due >= start + 1000) latencies.push(now - connection.due)
  const next = waiting.shift()
  if (next === undefined) {
    idle.push(connection)
    return
  }
  connection.due = next
  connection.socket.write(request)
}

function open(): Promise<void> {
  const socket = net.connect(Number(port), '127.0.0.1')
  socket.setNoDelay(true)
  const connection: Connection = { socket, due: 0, received: Buffer.alloc(0) }
  socket.on('data', (chunk: Buffer) => {
    connection.received = connection.received.length ? Buffer.concat([connection.received, chunk]) : chunk
    for (;;) {
      const headEnd = connection.received.indexOf('\r\n\r\n')
      if (headEnd < 0) return
      const head = connection.received.toString('latin1', 0, headEnd)
      const length = /\r\ncontent-length: *(\d+)/i.exec(head)
      if (!head.startsWith('HTTP/1.1 200') || !length) {
        console.error(`open-loop: expected a 200 with a Content-Length, got: ${head.split('\r\n')[0]}`)
        process.exit(1)
      }
      const total = headEnd + 4 + Number(length[1])
      if (connection.received.length < total) return
      connection.received = connection.received.subarray(total)
      answered(connection)
    }
  })
  socket.on('error', (error) => {
    console.error(`open-loop: ${error.message}`)
    process.exit(1)
  })
  return new Promise((resolve) => socket.once('connect', () => resolve(void idle.push(connection))))
}

await Promise.all(Array.from({ length: CONNECTIONS }, open))
start = performance.now()
function tick() {
  const now = performance.now()
  for (const due = Math.floor(((now - start) * rate) / 1000); sent < due; sent++) {
    const at = start + (sent * 1000) / rate
    const connection = idle.pop()
    if (!connection) waiting.push(at)
    else {
      connection.due = at
      connection.socket.write(request)
    }
  }
  if (now - start < duration) setImmediate(tick)
  else setTimeout(report, 200)
}
function report() {
  latencies.sort((a, b) => a - b)
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]!.toFixed(2)
  console.log(
    `${rate} req/s offered, ${latencies.length} answers counted: p50 ${at(0.5)} ms, p90 ${at(0.9)} ms, p99 ${at(0.99)} ms, max ${at(1)} ms`,
  )
  process.exit(0)
}
tick()
