// The API's words for the field rules' problems (src/domain/fields.ts says only what is wrong), and the
// error_code the auth-flow routes document for each. REST's request-schema refusals use the same words
// (src/rest/plugin.ts), so a value gets one message whichever path refuses it.
import type { FieldProblem } from '../domain/fields.js'

/** The error_code the auth-flow routes document for a refused field; other routes show only the message. */
export type FieldCode = 'INVALID_REQUEST' | 'INVALID_EMAIL' | 'WEAK_PASSWORD'

export const WEAK_PASSWORD_MESSAGE =
  'Password must be at least 8 characters long and contain an upper-case letter, a lower-case letter and a digit'
export const INVALID_EMAIL_MESSAGE = 'Invalid email address'

/** The message for `field`'s problem: it names the field and says what is wrong. */
export function fieldMessage(field: string, problem: FieldProblem): string {
  switch (problem.reason) {
    case 'NOT_STRING':
      return `${field} must be a string`
    case 'NOT_OBJECT':
      return `${field} must be an object`
    case 'EMPTY':
      return `${field} must not be empty`
    case 'TOO_LONG':
      return `${field} must be at most ${problem.max} characters long`
    case 'TOO_DEEP':
      return `${field} must be at most ${problem.max} levels deep`
    case 'TOO_BIG':
      return `${field} must be at most ${problem.maxBytes} bytes as JSON`
    case 'CONTROL_CHARACTERS':
      return `${field} must not contain control characters`
    case 'SPACES':
      return `${field} must not contain spaces`
    case 'NOT_PRINTABLE_ASCII':
      return `${field} must be printable ASCII without spaces`
    case 'NOT_HTTP_URL':
      return `${field} must be an absolute http:// or https:// URL`
    case 'URL_CREDENTIALS':
      return `${field} must not contain a user name or password`
    case 'INVALID_EMAIL':
      return INVALID_EMAIL_MESSAGE
    case 'WEAK_PASSWORD':
      return WEAK_PASSWORD_MESSAGE
    case 'PASSWORD_TOO_LONG':
      return `Password must be at most ${problem.max} characters long`
  }
}

/** The documented error_code of a problem on the auth-flow routes. */
export function fieldCode(problem: FieldProblem): FieldCode {
  if (problem.reason === 'INVALID_EMAIL') return 'INVALID_EMAIL'
  if (problem.reason === 'WEAK_PASSWORD') return 'WEAK_PASSWORD'
  return 'INVALID_REQUEST'
}
