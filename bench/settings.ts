// Settings of npm run bench that need more than a number.

/** Databases the benchmark must never drop, whatever BENCH_DATABASE says. */
const PROTECTED = new Set(['postgres', 'template0', 'template1'])

/**
 * The benchmark's own database on the DATABASE_URL server (BENCH_DATABASE, default gw_bench): dropped
 * and re-created on every run, so two people on one server each name theirs.
 */
export function benchDatabaseName(env: Record<string, string | undefined>, adminUrl: string): string {
  const name = env.BENCH_DATABASE || 'gw_bench'
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name)) {
    throw new Error(`BENCH_DATABASE must be a plain PostgreSQL name (lower-case letters, digits, _; at most 63): ${JSON.stringify(name)}`)
  }
  const adminDatabase = decodeURIComponent(new URL(adminUrl).pathname.slice(1))
  if (PROTECTED.has(name) || name === adminDatabase) {
    throw new Error(`BENCH_DATABASE=${name} is refused: the benchmark drops its database, and ${name} is not its own`)
  }
  return name
}
