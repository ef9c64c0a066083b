// From a field rule's refusal to the GraphQL error every path shows: BAD_USER_INPUT with the API's words
// for the rule's problem (src/graphql/fieldMessages.ts).
import { FieldError } from '../domain/fields.js'
import { badInput } from './errors.js'
import { fieldCode, fieldMessage } from './fieldMessages.js'

/**
 * Runs field rules; a FieldError becomes BAD_USER_INPUT. `withErrorCode`: the auth-flow routes also
 * carry the problem's error_code (INVALID_EMAIL, WEAK_PASSWORD, INVALID_REQUEST).
 */
export function acceptFields<T>(read: () => T, withErrorCode = false): T {
  try {
    return read()
  } catch (err) {
    if (err instanceof FieldError) throw badInput(fieldMessage(err.field, err.problem), withErrorCode ? fieldCode(err.problem) : undefined)
    throw err
  }
}
