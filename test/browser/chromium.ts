// What the browser tests share: where Chromium is, how it starts on this machine's closed network, and the
// local pages they run in (an origin of their own per page server).
import { existsSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Teardown } from '../helper.js'

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
/** Headless, no sandbox (root), and nothing that would reach out to Google's hosts from a closed network. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
]
/** Whether Chromium is missing; then the test has failed saying how to install it. */
export function chromiumMissing(t: { fail(message: string): unknown }): boolean {
  if (existsSync(CHROMIUM)) return false
  t.fail(`Chromium not found at ${CHROMIUM}. Install it with: apt-get update && apt-get install -y chromium (or set CHROMIUM_PATH)`)
  return true
}

/** The test fails with the first line of why Chromium did not start. */
export function chromiumDidNotStart(t: { fail(message: string): unknown }, err: unknown): void {
  t.fail(`Chromium at ${CHROMIUM} did not start: ${(err as Error).message.split('\n')[0]}`)
}

/**
 * A blank page on a local origin of its own (every path answers it), listening on 127.0.0.1; answers the origin as
 * `http://<host>:<port>` (`localhost` is a secure context and a valid WebAuthn RP ID; 127.0.0.1 is another origin).
 */
export async function servePage(t: Teardown, host = '127.0.0.1', title = 'client'): Promise<string> {
  const server: Server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
    res.end(`<!doctype html><html><head><title>${title}</title><link rel="icon" href="data:,"></head><body>${title}</body></html>`)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  t.teardown(() => new Promise((resolve) => server.close(resolve)))
  return `http://${host}:${(server.address() as AddressInfo).port}`
}
