// Process entry: read the configuration, build the app, listen, and stop cleanly on a signal.
import net from 'node:net'
import { buildApp } from './app.js'
import { ConfigError, loadConfig } from './config.js'

/** No new connection for this long: clients have gone elsewhere, the listener can close. */
const QUIET_MS = 100
/** The least time given to settling, even with no grace: clients must get to send what is on its way. */
const SETTLE_MIN_MS = 1000
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
const openConnections = (server: net.Server) =>
  new Promise<number>((resolve) => server.getConnections((err, count) => resolve(err ? 0 : count)))

async function main() {
  let config
  try {
    config = loadConfig()
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message)
      process.exit(1)
    }
    throw err
  }
  const app = await buildApp(config)
  let stopping = false
  const stop = async (signal: string) => {
    if (stopping) return
    stopping = true
    app.log.info({ signal }, 'stopping: finishing in-flight requests')
    const forceAfter = 3 * config.faults.shutdownGraceMs + 10_000
    const force = setTimeout(() => {
      app.log.error(`in-flight requests did not finish within ${forceAfter} ms; exiting`)
      process.exit(1)
    }, forceAfter)
    force.unref()
    // Keep serving a moment: responses close their connections and new requests get a 503 envelope, so a
    // client reusing a keep-alive connection is told to go elsewhere instead of meeting a reset.
    const grace = config.faults.shutdownGraceMs
    let lastConnection = Date.now()
    app.server.on('connection', () => (lastConnection = Date.now()))
    app.drain.start()
    await sleep(grace)
    // Close the listener once clients have stopped connecting (QUIET_MS without a new connection; at most
    // one more grace): closing it drops the connections the kernel has queued but not yet handed over, so
    // their requests would meet a reset. Meanwhile answers keep their connections, so that clients reuse
    // them instead of reconnecting.
    app.drain.holdConnections(true)
    const settle = Math.max(grace, SETTLE_MIN_MS)
    const quietBy = Date.now() + settle
    for (;;) {
      await sleep(10)
      // setImmediate runs right after a poll phase, where the kernel's queued connections are accepted: checked
      // here, quiet means none is waiting, unless one arrived within these microseconds.
      await new Promise((resolve) => setImmediate(resolve))
      if (Date.now() - lastConnection >= QUIET_MS || Date.now() >= quietBy) break
    }
    // Stop accepting, and leave the open connections alone (http.Server#close would at once destroy every one
    // without a request in flight, including those whose request is still on the wire): each is answered
    // (503, Connection: close) as its request arrives and then ends; those still silent a grace later close.
    net.Server.prototype.close.call(app.server)
    app.drain.holdConnections(false)
    app.log.info({ quietMs: Date.now() - lastConnection }, 'stopped listening')
    const silentBy = Date.now() + settle
    while ((await openConnections(app.server)) > 0 && Date.now() < silentBy) await sleep(10)
    app.server.closeIdleConnections()
    await app.close()
    process.exit(0)
  }
  process.once('SIGTERM', () => void stop('SIGTERM'))
  process.once('SIGINT', () => void stop('SIGINT'))
  await app.listen({ port: config.port, host: config.host })
  if (config.graphiql) app.log.info(`GraphiQL playground at http://${config.host}:${config.port}/graphiql`)
}

main().catch((err) => {
  console.error('The gateway could not start:', err instanceof Error ? err.message : err)
  process.exit(1)
})
