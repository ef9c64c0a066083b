// From a field rule's refusal to the GraphQL error every path shows: BAD_USER_INPUT with the rule's message.
import { FieldError } from '../domain/fields.js'
import { badInput } from './errors.js'

/**
 * Runs field rules; a FieldError becomes BAD_USER_INPUT. `withErrorCode`: the auth-flow routes also
 * carry the rule's error_code (INVALID_EMAIL, WEAK_PASSWORD, INVALID_REQUEST).
 */
export function acceptFields<T>(read: () => T, withErrorCode = false): T {
  try {
    return read()
  } catch (err) {
    if (err instanceof FieldError) throw badInput(err.message, withErrorCode ? err.code : undefined)
    throw err
  }
}
