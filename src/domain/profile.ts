// Rules for the name fields of a user's profile. Pure, no I/O. (Email and password: credentials.ts.)

export const MAX_NAME_LENGTH = 100

/** What is wrong with a name field (`field` names it in the message); null when it is fine. */
export function nameProblem(field: string, value: unknown): string | null {
  if (typeof value !== 'string') return `${field} must be a string`
  if (value.trim() === '') return `${field} must not be empty`
  if (value.length > MAX_NAME_LENGTH) return `${field} must be at most ${MAX_NAME_LENGTH} characters long`
  return null
}
