// Two depth limits: introspection (GraphiQL's own query is 15 deep) and the operations themselves,
// both measured with mercurius' fragment-aware algorithm.
import { GraphQLError, Kind, visit, type DocumentNode, type ValidationRule } from 'graphql'
import { createRequire } from 'node:module'

/** GraphiQL's introspection query is exactly 15 deep; anything deeper is refused. */
export const INTROSPECTION_DEPTH_LIMIT = 15
/** Deep enough for every documented operation, too shallow for abusive nesting. */
export const OPERATION_DEPTH_LIMIT = 8

const queryDepth = createRequire(import.meta.url)('mercurius/lib/queryDepth.js') as (
  definitions: DocumentNode['definitions'],
  limit: number,
) => Error[]

/** The document without its introspection fields (__schema, __type), whose depth is limited apart. */
function withoutIntrospection(document: DocumentNode): DocumentNode {
  return visit(document, {
    [Kind.FIELD]: (node) => (node.name.value.startsWith('__') ? null : undefined),
  })
}

export const operationDepthRule: ValidationRule = (context) => ({
  Document(document) {
    for (const error of queryDepth(withoutIntrospection(document).definitions, OPERATION_DEPTH_LIMIT)) {
      context.reportError(new GraphQLError(error.message))
    }
  },
})

/** The whole document, introspection included, within INTROSPECTION_DEPTH_LIMIT (mercurius' queryDepth option, as a rule). */
export const documentDepthRule: ValidationRule = (context) => ({
  Document(document) {
    for (const error of queryDepth(document.definitions, INTROSPECTION_DEPTH_LIMIT)) context.reportError(new GraphQLError(error.message))
  },
})
