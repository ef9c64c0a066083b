// What makes an email address and a password acceptable at registration. Pure, no I/O.

/** Passwords are hashed with argon2id; past this length the input is abuse, not a password. */
export const MAX_PASSWORD_LENGTH = 1024
export const MIN_PASSWORD_LENGTH = 8
/** RFC 5321: a forward path is at most 254 characters. */
export const MAX_EMAIL_LENGTH = 254

/** Emails are stored lower-cased (a CHECK enforces it), which makes them unique regardless of case. */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase()
}

// local@domain.tld: no spaces, one @, a domain of dot-separated labels that neither start nor end with '-'.
const LOCAL_PART = /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+$/
const DOMAIN_LABEL = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/

/** Whether a (normalized) address is a deliverable-looking email address. */
export function isValidEmail(email: string): boolean {
  if (email.length === 0 || email.length > MAX_EMAIL_LENGTH) return false
  const at = email.lastIndexOf('@')
  if (at <= 0 || at !== email.indexOf('@')) return false
  const local = email.slice(0, at)
  const domain = email.slice(at + 1)
  if (local.length > 64 || !LOCAL_PART.test(local) || local.startsWith('.') || local.endsWith('.') || local.includes('..')) return false
  const labels = domain.split('.')
  if (labels.length < 2 || !labels.every((label) => DOMAIN_LABEL.test(label))) return false
  // The top-level domain is never all digits (that would be an IP address).
  return !/^\d+$/.test(labels.at(-1)!)
}

export type PasswordProblem = 'WEAK_PASSWORD' | 'TOO_LONG'

/** Why a new password is not acceptable, or null: ≥ 8 characters with an upper-case letter, a lower-case letter and a digit. */
export function passwordProblem(password: string): PasswordProblem | null {
  if (password.length > MAX_PASSWORD_LENGTH) return 'TOO_LONG'
  if ([...password].length < MIN_PASSWORD_LENGTH) return 'WEAK_PASSWORD'
  if (!/\p{Lu}/u.test(password) || !/\p{Ll}/u.test(password) || !/\p{Nd}/u.test(password)) return 'WEAK_PASSWORD'
  return null
}

export const WEAK_PASSWORD_MESSAGE =
  'Password must be at least 8 characters long and contain an upper-case letter, a lower-case letter and a digit'

/** The same rule said for the client, for any input; null when the password is acceptable. */
export function passwordMessage(password: unknown): string | null {
  if (typeof password !== 'string') return 'Password must be a string'
  const problem = passwordProblem(password)
  if (problem === 'TOO_LONG') return `Password must be at most ${MAX_PASSWORD_LENGTH} characters long`
  return problem ? WEAK_PASSWORD_MESSAGE : null
}

export function isStrongPassword(password: unknown): password is string {
  return passwordMessage(password) === null
}

/** What is wrong with an email address, for the client; null when it is acceptable. */
export function emailProblem(email: unknown): string | null {
  return typeof email === 'string' && isValidEmail(normalizeEmail(email)) ? null : 'Invalid email address'
}
