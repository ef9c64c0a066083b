// Two depth limits as graphql validation rules: introspection (GraphiQL's own query is 15 deep) and the
// operations themselves. Fragment-aware: a fragment spread adds no level of its own, its fragment's fields do.
import { GraphQLError, Kind, type SelectionSetNode, type ValidationContext, type ValidationRule } from 'graphql'

/** GraphiQL's introspection query is exactly 15 deep; anything deeper is refused. */
export const INTROSPECTION_DEPTH_LIMIT = 15
/** Deep enough for every documented operation, too shallow for abusive nesting. */
export const OPERATION_DEPTH_LIMIT = 8

/**
 * The depth of a selection set: `{ me { id } }` is 2. A field or an inline fragment adds a level; a
 * fragment spread adds its fragment's depth (each fragment measured once per document). With
 * `skipIntrospection`, fields named `__…` are left out together with everything below them.
 */
function depthOf(
  context: ValidationContext,
  set: SelectionSetNode | undefined,
  skipIntrospection: boolean,
  fragmentDepths: Map<string, number>,
  visiting: Set<string>,
): number {
  let deepest = 0
  for (const selection of set?.selections ?? []) {
    let depth: number
    if (selection.kind === Kind.FRAGMENT_SPREAD) {
      const name = selection.name.value
      let known = fragmentDepths.get(name)
      if (known === undefined) {
        const fragment = context.getFragment(name)
        // An unknown or cyclic fragment counts nothing here: graphql's own rules refuse the document.
        if (!fragment || visiting.has(name)) continue
        visiting.add(name)
        known = depthOf(context, fragment.selectionSet, skipIntrospection, fragmentDepths, visiting)
        visiting.delete(name)
        fragmentDepths.set(name, known)
      }
      depth = known
    } else if (selection.kind === Kind.FIELD && skipIntrospection && selection.name.value.startsWith('__')) {
      continue
    } else {
      depth = 1 + depthOf(context, selection.selectionSet, skipIntrospection, fragmentDepths, visiting)
    }
    deepest = Math.max(deepest, depth)
  }
  return deepest
}

/** Refuses every operation deeper than `limit`, as a request error (BAD_USER_INPUT). */
function depthRule(limit: number, skipIntrospection: boolean): ValidationRule {
  return (context) => {
    const fragmentDepths = new Map<string, number>()
    return {
      OperationDefinition(operation) {
        const depth = depthOf(context, operation.selectionSet, skipIntrospection, fragmentDepths, new Set())
        if (depth > limit) {
          const name = operation.name?.value ?? 'unnamedQuery'
          context.reportError(new GraphQLError(`\`${name} query depth (${depth}) exceeds the query depth limit of ${limit}\``))
        }
        return false
      },
    }
  }
}

/** The operations without their introspection fields (__schema, __type), whose depth is limited apart. */
export const operationDepthRule: ValidationRule = depthRule(OPERATION_DEPTH_LIMIT, true)

/** The whole document, introspection included, within INTROSPECTION_DEPTH_LIMIT. */
export const documentDepthRule: ValidationRule = depthRule(INTROSPECTION_DEPTH_LIMIT, false)
