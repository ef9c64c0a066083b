// Process entry: read the configuration, build the app, listen, and stop cleanly on a signal.
import { buildApp } from './app.js'
import { ConfigError, loadConfig } from './config.js'

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
    const force = setTimeout(() => {
      app.log.error('in-flight requests did not finish within 10 s; exiting')
      process.exit(1)
    }, 10_000)
    force.unref()
    // Keep serving a moment: responses close their connections and new requests get a 503 envelope, so a
    // client reusing a keep-alive connection is told to go elsewhere instead of meeting a reset.
    app.drain.start()
    await new Promise((resolve) => setTimeout(resolve, config.faults.shutdownGraceMs))
    // A connection that stayed idle through the grace would hold the server open.
    const idle = setInterval(() => app.server.closeIdleConnections(), 100)
    idle.unref()
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
