// Recent authentication (a "sudo mode"): changing the password or the second factor needs a session
// whose password or second factor was proven a short while ago, or the proof in the request itself.

/** Whether a proof made at `provenAt` (null: never) still covers a sensitive change at `now`. */
export function isRecentlyProven(provenAt: Date | null, now: Date, windowSeconds: number): boolean {
  if (provenAt === null) return false
  return now.getTime() - provenAt.getTime() <= windowSeconds * 1000
}

/** What a client is told to do when the proof is too old: the REST error_code and the message. */
export const REAUTHENTICATION_REQUIRED = 'REAUTHENTICATION_REQUIRED'
export const reauthenticationMessage = (proof: 'currentPassword' | 'code') =>
  proof === 'currentPassword'
    ? 'Recent authentication required: sign in again or send currentPassword'
    : 'Recent authentication required: sign in again or send a current MFA code'
