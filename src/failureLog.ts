// Failures of a dependency (PostgreSQL, Redis) come in floods: one log line per class per interval, with a count.
import type { FastifyBaseLogger, FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'

interface Window {
  suppressed: number
  timer: NodeJS.Timeout
}

export class FailureLog {
  private readonly windows = new Map<string, Window>()

  private readonly log: FastifyBaseLogger
  private readonly intervalMs: number

  constructor(log: FastifyBaseLogger, intervalMs: number) {
    this.log = log
    this.intervalMs = intervalMs
  }

  /** The first failure of a class is logged in full; the rest of its interval only counts. */
  report(failure: string, err: unknown) {
    const window = this.windows.get(failure)
    if (window) {
      window.suppressed += 1
      return
    }
    this.log.error({ err, failure }, `${failure}`)
    this.open(failure)
  }

  /** Logs what is still counted (on close). */
  flush() {
    for (const [failure, window] of this.windows) {
      clearTimeout(window.timer)
      this.summarize(failure, window.suppressed)
    }
    this.windows.clear()
  }

  private open(failure: string) {
    const timer = setTimeout(() => this.end(failure), this.intervalMs)
    timer.unref()
    this.windows.set(failure, { suppressed: 0, timer })
  }

  private end(failure: string) {
    const suppressed = this.windows.get(failure)?.suppressed ?? 0
    this.windows.delete(failure)
    // Still failing: keep counting in a new window, so an outage costs one line per interval.
    if (suppressed > 0) {
      this.summarize(failure, suppressed)
      this.open(failure)
    }
  }

  private summarize(failure: string, count: number) {
    if (count === 0) return
    this.log.error({ failure, count, intervalMs: this.intervalMs }, `${failure}: ${count} more in the last ${this.intervalMs} ms`)
  }
}

declare module 'fastify' {
  interface FastifyInstance {
    failures: FailureLog
  }
}

async function failureLogPlugin(app: FastifyInstance) {
  const failures = new FailureLog(app.log, app.config.faults.failureLogIntervalMs)
  app.decorate('failures', failures)
  app.addHook('onClose', async () => failures.flush())
}

export default fp(failureLogPlugin, { name: 'failure-log', dependencies: ['config'] })
