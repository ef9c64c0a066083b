// A TCP proxy in the test process, in front of a real server: it can freeze (bytes stop flowing both
// ways, as with kill -STOP) or go down (connections refused) without touching the server behind it.
import net from 'node:net'

export interface TcpProxy {
  port: number
  /** Connections accepted since the start (or the last count reset). */
  accepted: number
  freeze(): void
  /** Freezes everything as soon as a client sends bytes containing `text` (which reach the server; its answer does not). */
  freezeOn(text: string): void
  /** Accepts connections and cuts them at once, like a server that is restarting. */
  refuse(): void
  thaw(): void
  /** Refuses new connections and cuts the open ones, like a stopped server. */
  down(): Promise<void>
  up(): Promise<void>
  close(): Promise<void>
}

interface Pair {
  client: net.Socket
  upstream: net.Socket
  flowing: boolean
}

export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  let frozen = false
  let refusing = false
  let freezeTrigger: string | null = null
  const pairs = new Set<Pair>()
  const flow = (pair: Pair) => {
    if (pair.flowing) return
    pair.flowing = true
    pair.client.pipe(pair.upstream)
    pair.upstream.pipe(pair.client)
  }
  const stop = (pair: Pair) => {
    if (!pair.flowing) return
    pair.flowing = false
    // Unpiping as well as pausing: pipe() would resume a paused source on the next drain.
    pair.client.unpipe(pair.upstream)
    pair.upstream.unpipe(pair.client)
    pair.client.pause()
    pair.upstream.pause()
  }
  const cut = (pair: Pair) => {
    pair.client.destroy()
    pair.upstream.destroy()
    pairs.delete(pair)
  }
  const onConnection = (client: net.Socket) => {
    proxy.accepted += 1
    if (refusing) return void client.destroy()
    const pair: Pair = { client, upstream: net.connect(target.port, target.host), flowing: false }
    pairs.add(pair)
    client.on('error', () => cut(pair)).on('close', () => cut(pair))
    if (frozen) client.pause() // a 'data' listener must not start a frozen connection flowing
    // After pipe()'s own listener: the chunk has gone upstream when the freeze stops the answer.
    client.on('data', (chunk: Buffer) => {
      if (freezeTrigger !== null && chunk.includes(freezeTrigger)) {
        freezeTrigger = null
        proxy.freeze()
      }
    })
    pair.upstream.on('error', () => cut(pair)).on('close', () => cut(pair))
    if (!frozen) flow(pair)
  }
  let server = net.createServer(onConnection)
  const listen = (port: number) =>
    new Promise<void>((resolve, reject) => {
      server.once('error', reject)
      server.listen(port, '127.0.0.1', () => resolve())
    })
  await listen(0)
  const port = (server.address() as net.AddressInfo).port
  const proxy: TcpProxy = {
    port,
    accepted: 0,
    freeze() {
      frozen = true
      for (const pair of pairs) stop(pair)
    },
    freezeOn(text) {
      freezeTrigger = text
    },
    refuse() {
      refusing = true
      for (const pair of [...pairs]) cut(pair)
    },
    thaw() {
      frozen = false
      freezeTrigger = null
      refusing = false
      for (const pair of pairs) flow(pair)
    },
    async down() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()))
      for (const pair of [...pairs]) cut(pair)
      await closed
    },
    async up() {
      server = net.createServer(onConnection)
      await listen(port)
    },
    async close() {
      for (const pair of [...pairs]) cut(pair)
      await new Promise<void>((resolve) => (server.listening ? server.close(() => resolve()) : resolve()))
    },
  }
  return proxy
}
