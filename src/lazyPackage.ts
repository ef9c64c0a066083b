// Packages that only some gateways or some requests need (a wallet sign-in, a passkey, Redis, SMTP) are loaded at
// their first use rather than at start: together they were a third of a second of CPU at every start (and in
// every test process). Loaded synchronously, through the package's CommonJS entry, so callers stay as they were.
import { createRequire } from 'node:module'

const require = createRequire(import.meta.url)

/** A function that returns the package, loading it the first time it is called. */
export function lazyPackage<T>(name: string): () => T {
  let loaded: T | undefined
  return () => (loaded ??= require(name) as T)
}
