import { GraphQLError, GraphQLScalarType, Kind } from 'graphql'

export const DateTime = new GraphQLScalarType<Date | null, string>({
  name: 'DateTime',
  description: 'An ISO-8601 date-time in UTC',
  serialize(value) {
    const date = value instanceof Date ? value : new Date(value as string)
    if (Number.isNaN(date.getTime())) throw new GraphQLError('DateTime cannot represent an invalid date')
    return date.toISOString()
  },
  parseValue(value) {
    const date = new Date(value as string)
    if (typeof value !== 'string' || Number.isNaN(date.getTime())) throw new GraphQLError('DateTime must be an ISO-8601 string')
    return date
  },
  parseLiteral(ast) {
    if (ast.kind !== Kind.STRING || Number.isNaN(new Date(ast.value).getTime()))
      throw new GraphQLError('DateTime must be an ISO-8601 string')
    return new Date(ast.value)
  },
})

/** Byte counts exceed Int's 32 bits: an integer up to Number.MAX_SAFE_INTEGER, a plain JSON number. */
function safeIntOrNull(value: unknown): number | null {
  const n = typeof value === 'bigint' ? value : typeof value === 'number' && Number.isInteger(value) ? BigInt(value) : null
  if (n === null || n > BigInt(Number.MAX_SAFE_INTEGER) || n < BigInt(Number.MIN_SAFE_INTEGER)) return null
  return Number(n)
}

const SAFE_INT_RANGE = 'SafeInt must be an integer within ±(2^53 − 1)'

export const SafeInt = new GraphQLScalarType<bigint, number>({
  name: 'SafeInt',
  description: 'An integer within ±(2^53 − 1), serialized as a JSON number',
  serialize(value) {
    const n = safeIntOrNull(value)
    // A plain Error: a stored value out of range is the server's fault, masked as INTERNAL_SERVER_ERROR.
    if (n === null) throw new Error(`SafeInt cannot represent ${typeof value}`)
    return n
  },
  parseValue(value) {
    const n = safeIntOrNull(value)
    if (n === null) throw new GraphQLError(SAFE_INT_RANGE)
    return BigInt(n)
  },
  parseLiteral(ast) {
    const n = ast.kind === Kind.INT ? safeIntOrNull(BigInt(ast.value)) : null
    if (n === null) throw new GraphQLError(SAFE_INT_RANGE)
    return BigInt(n)
  },
})
