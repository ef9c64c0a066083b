// Recent authentication (a "sudo mode"): changing the password or the second factor needs a session
// whose password or second factor was proven a short while ago, or the proof in the request itself.

/** Whether a proof made at `provenAt` (null: never) still covers a sensitive change at `now`. */
export function isRecentlyProven(provenAt: Date | null, now: Date, windowSeconds: number): boolean {
  if (provenAt === null) return false
  return now.getTime() - provenAt.getTime() <= windowSeconds * 1000
}
