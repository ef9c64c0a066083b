// The password rule of registration and of every password change. Pure, no I/O.

export const MIN_PASSWORD_LENGTH = 8
/** argon2 hashes anything, but a megabyte "password" is an attack on the CPU, not a password. */
export const MAX_PASSWORD_LENGTH = 256

/** What is wrong with a proposed password, in the user's words; null when it meets the rule. */
export function passwordProblem(password: unknown): string | null {
  if (typeof password !== 'string') return 'Password must be a string'
  if (password.length < MIN_PASSWORD_LENGTH) return `Password must be at least ${MIN_PASSWORD_LENGTH} characters long`
  if (password.length > MAX_PASSWORD_LENGTH) return `Password must be at most ${MAX_PASSWORD_LENGTH} characters long`
  if (!/[A-Z]/.test(password)) return 'Password must contain an upper-case letter'
  if (!/[a-z]/.test(password)) return 'Password must contain a lower-case letter'
  if (!/[0-9]/.test(password)) return 'Password must contain a digit'
  return null
}

/** ≥ 8 characters with an upper-case letter, a lower-case letter and a digit. */
export function isStrongPassword(password: unknown): password is string {
  return passwordProblem(password) === null
}
