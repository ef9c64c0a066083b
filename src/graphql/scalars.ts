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
    if (ast.kind !== Kind.STRING || Number.isNaN(new Date(ast.value).getTime())) throw new GraphQLError('DateTime must be an ISO-8601 string')
    return new Date(ast.value)
  },
})

/** Byte counts exceed Int's 32 bits: an integer up to Number.MAX_SAFE_INTEGER, a plain JSON number. */
function toSafeInt(value: unknown): number {
  const n = typeof value === 'bigint' ? value : typeof value === 'number' && Number.isInteger(value) ? BigInt(value) : null
  if (n === null || n > BigInt(Number.MAX_SAFE_INTEGER) || n < BigInt(Number.MIN_SAFE_INTEGER)) {
    throw new GraphQLError('SafeInt cannot represent a value that is not an integer within ±(2^53 − 1)')
  }
  return Number(n)
}

export const SafeInt = new GraphQLScalarType<bigint, number>({
  name: 'SafeInt',
  description: 'An integer within ±(2^53 − 1), serialized as a JSON number',
  serialize: toSafeInt,
  parseValue: (value) => BigInt(toSafeInt(value)),
  parseLiteral(ast) {
    if (ast.kind !== Kind.INT) throw new GraphQLError('SafeInt must be an integer')
    return BigInt(toSafeInt(BigInt(ast.value)))
  },
})
