import { GraphQLError, GraphQLScalarType, Kind, type ValueNode } from 'graphql'

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value)

function literal(ast: ValueNode): unknown {
  switch (ast.kind) {
    case Kind.OBJECT:
      return Object.fromEntries(ast.fields.map((f) => [f.name.value, literal(f.value)]))
    case Kind.LIST:
      return ast.values.map(literal)
    case Kind.INT:
    case Kind.FLOAT:
      return Number(ast.value)
    case Kind.STRING:
    case Kind.BOOLEAN:
    case Kind.ENUM:
      return ast.value
    case Kind.NULL:
      return null
    default:
      // A variable inside a literal object: not supported, pass the whole object as a variable instead.
      throw new GraphQLError('JSONObject literals cannot contain variables')
  }
}

export const JSONObject = new GraphQLScalarType<Record<string, unknown>, Record<string, unknown>>({
  name: 'JSONObject',
  description: 'A JSON object',
  serialize(value) {
    if (!isObject(value)) throw new GraphQLError('JSONObject cannot represent a non-object')
    return value
  },
  parseValue(value) {
    if (!isObject(value)) throw new GraphQLError('JSONObject must be an object')
    return value
  },
  parseLiteral(ast) {
    if (ast.kind !== Kind.OBJECT) throw new GraphQLError('JSONObject must be an object')
    return literal(ast) as Record<string, unknown>
  },
})
