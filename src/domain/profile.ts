// Kept so that code written against the old module still compiles; the rules live in fields.ts.
export { MAX_NAME_LENGTH, nameProblem } from './fields.js'
