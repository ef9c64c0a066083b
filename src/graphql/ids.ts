// The id rule lives with the other field rules.
export { isUuid } from '../domain/fields.js'
