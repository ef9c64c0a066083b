// Cost limits: what one GraphQL operation may ask of the gateway, measured on the parsed document
// before validation (graphql's validation is itself quadratic in repeated fields) and before execution.
import {
  Kind,
  getNamedType,
  getNullableType,
  isCompositeType,
  isInputObjectType,
  isListType,
  isObjectType,
  isInterfaceType,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValueNode,
  type FieldNode,
} from 'graphql'
import type { CostLimits } from '../config.js'
import { GatewayError, badInput } from '../graphql/errors.js'
import {
  DEVICES_MAX_PAGE,
  MAX_PASSKEY_TRANSPORTS,
  MAX_PASSKEYS_PER_USER,
  QUOTA_MAX_CAPABILITIES,
  SESSIONS_MAX_PAGE,
  UNPAGED_LIMIT,
} from '../domain/listBounds.js'
import { DEFINED_ROLES } from '../domain/roles.js'
import { BACKUP_CODE_COUNT } from '../mfa/totp.js'
import { COST_LIMIT } from './reasons.js'

/** The weights of the static cost model (README: "Cost limits"). Scalars and __typename cost nothing. */
export const WEIGHTS = {
  /** Every object (or list element object) the response holds: roughly a row or a resolver call. */
  object: 1,
  /** A JSONObject field (deviceInfo: up to 4 KB; settings: up to 16 KB): a scalar, but a large one. */
  json: 1,
  /** Any root field of a mutation: a transaction, an audit event. */
  write: 10,
  mail: 50,
  /** argon2 hashing or verifying: tens of milliseconds of CPU each. */
  passwordHash: 100,
  /** The whole schema: bounded by the schema, not by data; its own subtree is not counted again. */
  schemaIntrospection: 100,
  typeIntrospection: 10,
} as const

/**
 * Paged fields: the size of the page when `limit` is absent, and its largest (what a variable may ask for).
 * Their resolvers refuse a larger limit and return no more than this.
 */
export const PAGED_FIELDS: Record<string, { absent: number; max: number }> = {
  // No limit (or a null variable): every user, up to UNPAGED_LIMIT.
  'Query.organizationUsers': { absent: UNPAGED_LIMIT, max: UNPAGED_LIMIT },
  'Query.sessions': { absent: SESSIONS_MAX_PAGE, max: SESSIONS_MAX_PAGE },
  'Query.devices': { absent: DEVICES_MAX_PAGE, max: DEVICES_MAX_PAGE },
  'Device.sessions': { absent: SESSIONS_MAX_PAGE, max: SESSIONS_MAX_PAGE },
}
/** A `limit` argument of a field not in PAGED_FIELDS: assume the worst a page may be. */
const UNKNOWN_PAGE = { absent: 1000, max: 1000 }

/**
 * Every other list of the schema and the most elements it can hold (its resolver never returns more):
 * each element costs its selection again. A list of a paged object (OrganizationUserList.data) holds its page.
 * test/edge/cost.test.ts fails when schema.graphql gains a list that is in neither table.
 */
export const LIST_BOUNDS: Record<string, number> = {
  'Quota.quotaUsage': QUOTA_MAX_CAPABILITIES,
  'Profile.orgRoles': DEFINED_ROLES.length,
  'MemberRole.orgRoles': DEFINED_ROLES.length,
  'OrganizationUser.orgRoles': DEFINED_ROLES.length,
  'Query.mfaMethods': 3,
  'MfaStatus.enabledMethods': 3,
  'MfaSetup.backupCodes': BACKUP_CODE_COUNT,
  'Query.passkeys': MAX_PASSKEYS_PER_USER,
  'Passkey.transports': MAX_PASSKEY_TRANSPORTS,
}
/** A list in no table (a new field someone forgot): assume the worst. */
export const UNKNOWN_LIST_BOUND = 1000

/** Fields that send mail, and the argument (or input field) that asks for it; null: always. */
const MAIL_FIELDS: Record<string, string | null> = {
  'Mutation.createOrganizationUser': 'sendInvite',
  // A verification mail when that feature is on; counted always, the cost is static.
  'Mutation.register': null,
  'Mutation.requestPasswordReset': null,
  'Mutation.resendVerification': null,
  'Mutation.sendMfaMagicLink': null,
  'Mutation.resendInvitation': null,
  // Only when DEMO_REQUEST_MAIL_TO is set; counted always.
  'Mutation.requestDemo': null,
}

/** Deeper than any valid operation (the depth limits are 8 and 15): refused without recursing further. */
const MAX_NESTING = 64

/** Where every count stops growing: sums and products saturate here instead of losing precision. */
export const SATURATED = Number.MAX_SAFE_INTEGER
const saturating = (n: number) => (n >= SATURATED || Number.isNaN(n) ? SATURATED : n)

/**
 * graphql-jit compiles only a document with one operation whose expanded size is at most this: its
 * compilation works on the expanded form, so a larger text runs through graphql's own execute instead.
 */
export const COMPILE_MAX_SELECTIONS = 256

export interface OperationCost {
  name: string | undefined
  cost: number
  /** Fields, fragment spreads and inline fragments of the operation with every fragment expanded where it is spread. */
  selections: number
  aliases: number
  rootFields: number
  passwordHashes: number
}

/** A refusal by a cost limit: BAD_USER_INPUT with extensions.reason COST_LIMIT; 400 over REST too. */
export class CostLimitError extends GatewayError {
  constructor(message: string) {
    super('BAD_USER_INPUT', message, { reason: COST_LIMIT })
    this.name = 'CostLimitError'
    this.statusCode = 400
  }
}

interface Totals {
  cost: number
  aliases: number
  passwordHashes: number
}

const NOTHING: Totals = { cost: 0, aliases: 0, passwordHashes: 0 }

class TooDeep extends Error {}

/** Whether an argument value may carry `field` (an input object's field): a variable always may. */
function mayCarry(value: ValueNode | undefined, field: string | null): boolean {
  if (!value || value.kind === Kind.NULL) return false
  if (field === null) return !(value.kind === Kind.BOOLEAN && !value.value)
  if (value.kind === Kind.VARIABLE) return true
  if (value.kind !== Kind.OBJECT) return false
  const inner = value.fields.find((f) => f.name.value === field)?.value
  return mayCarry(inner, null)
}

/** Where a field's arguments can hold a password: [argument, input field or null for the argument itself]. */
const passwordPaths = new WeakMap<GraphQLField<unknown, unknown>, [string, string | null][]>()
function passwordPathsOf(field: GraphQLField<unknown, unknown>): [string, string | null][] {
  let paths = passwordPaths.get(field)
  if (!paths) {
    paths = []
    for (const arg of field.args) {
      if (/password/i.test(arg.name)) paths.push([arg.name, null])
      const type = getNamedType(arg.type)
      if (isInputObjectType(type)) {
        for (const name of Object.keys(type.getFields())) if (/password/i.test(name)) paths.push([arg.name, name])
      }
    }
    passwordPaths.set(field, paths)
  }
  return paths
}

const argument = (node: FieldNode, name: string) => node.arguments?.find((a) => a.name.value === name)?.value

function pageSize(node: FieldNode, coordinate: string): number {
  const page = PAGED_FIELDS[coordinate] ?? UNKNOWN_PAGE
  const limit = argument(node, 'limit')
  if (!limit || limit.kind === Kind.NULL) return page.absent
  if (limit.kind === Kind.INT) return Math.max(1, Number(limit.value))
  return page.max
}

class OperationMeasure {
  private readonly memo = new Map<string, Totals>()
  private readonly visiting = new Set<string>()

  private readonly schema: GraphQLSchema
  private readonly fragments: Map<string, FragmentDefinitionNode>

  constructor(schema: GraphQLSchema, fragments: Map<string, FragmentDefinitionNode>) {
    this.schema = schema
    this.fragments = fragments
  }

  private readonly rootMemo = new Map<string, number>()

  rootFields(set: SelectionSetNode | undefined): number {
    let count = 0
    for (const selection of set?.selections ?? []) {
      if (selection.kind === Kind.FIELD) count = saturating(count + 1)
      else if (selection.kind === Kind.INLINE_FRAGMENT) count = saturating(count + this.rootFields(selection.selectionSet))
      else if (selection.kind === Kind.FRAGMENT_SPREAD) {
        const name = selection.name.value
        if (this.visiting.has(name)) continue
        let fields = this.rootMemo.get(name)
        if (fields === undefined) {
          this.visiting.add(name)
          fields = this.rootFields(this.fragments.get(name)?.selectionSet)
          this.visiting.delete(name)
          this.rootMemo.set(name, fields)
        }
        count = saturating(count + fields)
      }
    }
    return count
  }

  totals(
    set: SelectionSetNode | undefined,
    parent: GraphQLNamedType | undefined,
    page: number | undefined,
    free: boolean,
    depth: number,
  ): Totals {
    if (depth > MAX_NESTING) throw new TooDeep()
    const sum: Totals = { cost: 0, aliases: 0, passwordHashes: 0 }
    // A fragment counts again at each spread (memoised: measured once, added where used).
    const add = (t: Totals) => {
      sum.cost = saturating(sum.cost + t.cost)
      sum.aliases = saturating(sum.aliases + t.aliases)
      sum.passwordHashes = saturating(sum.passwordHashes + t.passwordHashes)
    }
    for (const selection of set?.selections ?? []) {
      if (selection.kind === Kind.FIELD) {
        add(this.field(selection, parent, page, free, depth))
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const type = selection.typeCondition ? this.schema.getType(selection.typeCondition.name.value) : parent
        add(this.totals(selection.selectionSet, type, page, free, depth + 1))
      } else if (selection.kind === Kind.FRAGMENT_SPREAD) {
        const name = selection.name.value
        const fragment = this.fragments.get(name)
        // An unknown or cyclic spread: validation refuses the document after this check.
        if (!fragment || this.visiting.has(name)) continue
        const key = `${name}|${page}|${free}`
        let totals = this.memo.get(key)
        if (!totals) {
          this.visiting.add(name)
          totals = this.totals(fragment.selectionSet, this.schema.getType(fragment.typeCondition?.name?.value), page, free, depth + 1)
          this.visiting.delete(name)
          this.memo.set(key, totals)
        }
        add(totals)
      }
    }
    return sum
  }

  private field(node: FieldNode, parent: GraphQLNamedType | undefined, page: number | undefined, free: boolean, depth: number): Totals {
    const name = node.name?.value
    const aliases = node.alias ? 1 : 0
    if (name === '__typename') return { cost: 0, aliases, passwordHashes: 0 }
    if (name === '__schema' || name === '__type') {
      const inner = this.totals(node.selectionSet, undefined, undefined, true, depth + 1)
      const cost = free ? 0 : name === '__schema' ? WEIGHTS.schemaIntrospection : WEIGHTS.typeIntrospection
      return { cost, aliases: saturating(aliases + inner.aliases), passwordHashes: 0 }
    }
    const definition = parent && (isObjectType(parent) || isInterfaceType(parent)) ? parent.getFields()[name] : undefined
    if (!definition) {
      // Unknown here (introspection types, or a field validation will refuse): count its aliases only.
      const inner = this.totals(node.selectionSet, undefined, undefined, true, depth + 1)
      return { cost: free ? 0 : WEIGHTS.object, aliases: saturating(aliases + inner.aliases), passwordHashes: 0 }
    }
    const type = getNamedType(definition.type)
    const composite = isCompositeType(type)
    const coordinate = `${parent!.name}.${name}`
    let extra = 0
    let passwordHashes = 0
    if (parent === this.schema.getMutationType()) {
      extra += WEIGHTS.write
      if (passwordPathsOf(definition).some(([arg, field]) => mayCarry(argument(node, arg), field))) {
        passwordHashes = 1
        extra += WEIGHTS.passwordHash
      }
      const mail = MAIL_FIELDS[coordinate]
      const asksForMail = (a: { name: { value: string }; value: ValueNode }) =>
        a.name.value === mail ? mayCarry(a.value, null) : mayCarry(a.value, mail!)
      if (mail !== undefined && (mail === null || node.arguments?.some(asksForMail))) {
        extra += WEIGHTS.mail
      }
    }
    const paged = definition.args.some((a) => a.name === 'limit')
    const list = isListType(getNullableType(definition.type))
    // A paged list costs by its limit; a paged object (a page with its total) passes the limit to its lists;
    // any other list by its bound: each element costs its selection again.
    const times = list ? (paged ? pageSize(node, coordinate) : (page ?? LIST_BOUNDS[coordinate] ?? UNKNOWN_LIST_BOUND)) : 1
    const childPage = paged && !list ? pageSize(node, coordinate) : undefined
    const inner = composite ? this.totals(node.selectionSet, type, childPage, free, depth + 1) : NOTHING
    const each = (composite ? WEIGHTS.object : type.name === 'JSONObject' ? WEIGHTS.json : 0) + inner.cost
    const own = free ? 0 : saturating(extra + saturating(times * each))
    return {
      cost: own,
      aliases: saturating(aliases + inner.aliases),
      passwordHashes: saturating(passwordHashes + inner.passwordHashes),
    }
  }
}

const expandedSizes = new WeakMap<DocumentNode, number[]>()

/**
 * The expanded size of each operation of a document: its fields, fragment spreads and inline fragments,
 * each fragment's counted again at every spread. Memoised per fragment, so linear in the text however
 * the fragments double; saturates at SATURATED. What graphql-jit compiles and execution walks is this size.
 */
export function expandedSelections(document: DocumentNode): number[] {
  const known = expandedSizes.get(document)
  if (known) return known
  const definitions = Array.isArray(document?.definitions) ? document.definitions : []
  const fragments = new Map<string, FragmentDefinitionNode>()
  for (const d of definitions) if (d?.kind === Kind.FRAGMENT_DEFINITION && d.name?.value) fragments.set(d.name.value, d)
  const memo = new Map<string, number>()
  const visiting = new Set<string>()
  const size = (set: SelectionSetNode | undefined, depth: number): number => {
    if (depth > MAX_NESTING) throw new TooDeep()
    let count = 0
    for (const selection of set?.selections ?? []) {
      let inner = 0
      if (selection.kind === Kind.FRAGMENT_SPREAD) {
        const name = selection.name?.value
        const fragment = fragments.get(name)
        // An unknown or cyclic spread counts as itself: validation refuses it later.
        if (fragment && !visiting.has(name)) {
          let fragmentSize = memo.get(name)
          if (fragmentSize === undefined) {
            visiting.add(name)
            fragmentSize = size(fragment.selectionSet, depth + 1)
            visiting.delete(name)
            memo.set(name, fragmentSize)
          }
          inner = fragmentSize
        }
      } else {
        inner = size(selection.selectionSet, depth + 1)
      }
      count = saturating(count + 1 + inner)
    }
    return count
  }
  const sizes: number[] = []
  for (const d of definitions) if (d?.kind === Kind.OPERATION_DEFINITION) sizes.push(size(d.selectionSet, 0))
  expandedSizes.set(document, sizes)
  return sizes
}

/**
 * The compile policy: whether graphql-jit may compile this document. Only one operation, at most
 * COMPILE_MAX_SELECTIONS expanded: compilation is never the price of a client's text (issue 13 item 1).
 */
export function mayCompile(document: DocumentNode): boolean {
  try {
    const sizes = expandedSelections(document)
    return sizes.length === 1 && sizes[0]! <= COMPILE_MAX_SELECTIONS
  } catch {
    return false
  }
}

/** The measures of every operation of a document (all of them: whichever operationName is named). */
export function measureDocument(schema: GraphQLSchema, document: DocumentNode): OperationCost[] {
  const definitions = Array.isArray(document?.definitions) ? document.definitions : []
  const fragments = new Map<string, FragmentDefinitionNode>()
  for (const d of definitions) if (d?.kind === Kind.FRAGMENT_DEFINITION && d.name?.value) fragments.set(d.name.value, d)
  const measures: OperationCost[] = []
  // One measure for all operations: a fragment is measured once per document, however many operations spread it.
  const measure = new OperationMeasure(schema, fragments)
  const sizes = expandedSelections(document)
  for (const d of definitions) {
    if (d?.kind !== Kind.OPERATION_DEFINITION) continue
    const operation = d as OperationDefinitionNode
    const root =
      operation.operation === 'mutation'
        ? schema.getMutationType()
        : operation.operation === 'subscription'
          ? schema.getSubscriptionType()
          : schema.getQueryType()
    const totals = measure.totals(operation.selectionSet, root ?? undefined, undefined, false, 0)
    const selections = sizes[measures.length]!
    measures.push({ name: operation.name?.value, rootFields: measure.rootFields(operation.selectionSet), selections, ...totals })
  }
  return measures
}

/** Why a document is refused by the limits, or undefined when every operation in it fits. */
export function costRefusal(schema: GraphQLSchema, document: DocumentNode, limits: CostLimits, bodyLimit: number): string | undefined {
  const text = document?.loc?.source?.body
  if (text !== undefined && text.length * 3 > bodyLimit && Buffer.byteLength(text) > bodyLimit) {
    return `The document is larger than ${bodyLimit} bytes`
  }
  let measures: OperationCost[]
  try {
    measures = measureDocument(schema, document)
  } catch (err) {
    if (err instanceof TooDeep) return `The document nests selections more than ${MAX_NESTING} levels deep`
    // Only a syntax tree sent as JSON can be malformed: refuse it rather than fail on it.
    throw badInput('The document is not a well-formed GraphQL syntax tree')
  }
  for (const m of measures) {
    const operation = m.name ? `Operation "${m.name}"` : 'The operation'
    if (m.rootFields > limits.maxRootFields)
      return `${operation} has ${m.rootFields} root fields; at most ${limits.maxRootFields} are allowed`
    if (m.aliases > limits.maxAliases) return `${operation} has ${m.aliases} aliases; at most ${limits.maxAliases} are allowed`
    if (m.passwordHashes > limits.maxPasswordHashes) {
      return `${operation} has ${m.passwordHashes} fields that check or set a password; at most ${limits.maxPasswordHashes} is allowed`
    }
    if (m.cost > limits.maxCost) return `${operation} costs ${m.cost}; at most ${limits.maxCost} is allowed`
    if (m.selections > limits.maxSelections) {
      return `${operation} has ${m.selections} selections with its fragments expanded; at most ${limits.maxSelections} are allowed`
    }
  }
  // Validation walks every operation: together they stay within the same bound.
  const selections = measures.reduce((sum, m) => saturating(sum + m.selections), 0)
  if (selections > limits.maxSelections) {
    return `The document's ${measures.length} operations have ${selections} selections with their fragments expanded; at most ${limits.maxSelections} are allowed`
  }
  return undefined
}

/** Verdicts by document text, so a text refused once is refused again without measuring it. */
const VERDICTS_KEPT = 1000

/** Mercurius' preValidation hook: refuses a document over the limits before graphql validates it. */
export function costCheck(limits: CostLimits, bodyLimit: number) {
  const verdicts = new Map<string, string | null>()
  return async function refuseCostly(schema: GraphQLSchema, document: DocumentNode) {
    const text = document?.loc?.source?.body
    let refusal = text === undefined ? undefined : verdicts.get(text)
    if (refusal === undefined) {
      refusal = costRefusal(schema, document, limits, bodyLimit) ?? null
      if (text !== undefined) {
        if (verdicts.size >= VERDICTS_KEPT) verdicts.delete(verdicts.keys().next().value!)
        verdicts.set(text, refusal)
      }
    }
    if (refusal) throw new CostLimitError(refusal)
  }
}

/** Mercurius' parser options for these limits. */
export const parserLimits = (limits: CostLimits) => ({ parseOptions: { maxTokens: limits.maxTokens } })
