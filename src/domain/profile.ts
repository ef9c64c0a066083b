// Rules for the fields of a user's profile: names and e-mail addresses. Pure, no I/O.

export const MAX_NAME_LENGTH = 100
export const MAX_EMAIL_LENGTH = 254

/** What is wrong with a name field (`field` names it in the message); null when it is fine. */
export function nameProblem(field: string, value: unknown): string | null {
  if (typeof value !== 'string') return `${field} must be a string`
  if (value.trim() === '') return `${field} must not be empty`
  if (value.length > MAX_NAME_LENGTH) return `${field} must be at most ${MAX_NAME_LENGTH} characters long`
  return null
}

/** E-mail addresses are compared and stored lower-cased (a CHECK constraint holds the database to it). */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase()
}

// Deliberately simple: one @, no spaces, a dot in the domain. Deliverability is the mail server's call.
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/

export function emailProblem(email: unknown): string | null {
  if (typeof email !== 'string') return 'Email must be a string'
  const normalized = normalizeEmail(email)
  if (normalized.length > MAX_EMAIL_LENGTH || !EMAIL.test(normalized)) return 'Invalid email address'
  return null
}
