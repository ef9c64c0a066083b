// Operation selection at the edge: a document text is parsed and validated once, and a request runs
// exactly the operation its operationName selects. Everything cached is keyed by text, then by name.
import {
  GraphQLError,
  Kind,
  parse,
  specifiedRules,
  validate,
  visit,
  type DocumentNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type ParseOptions,
  type ValidationRule,
} from 'graphql'
import { GatewayError, type ErrorExtensions } from '../graphql/errors.js'
import { costReason } from './reasons.js'
import { mayCompile } from './cost.js'
import { compileQuery, isCompiledQuery, type CompiledQuery } from 'graphql-jit'

/** Root fields that run without a requester; every other root field needs one. */
export const PUBLIC_ROOT_FIELDS: ReadonlySet<string> = new Set([
  'register',
  'login',
  'refresh',
  'requestDemo',
  '__typename',
  '__schema',
  '__type',
])

export type OperationType = OperationDefinitionNode['operation']

export interface SelectedOperation {
  name: string | undefined
  type: OperationType
  node: OperationDefinitionNode
  /** Whether any root field of the operation needs a signed-in requester. */
  needsRequester: boolean
  /** Runs so far; the operation is compiled at its second run, so a text used once costs no compilation. */
  runs: number
  /** The compiled form of exactly this operation of this text; false when graphql-jit cannot compile it. */
  compiled: CompiledQuery | false | null
}

/** A request error: what the client sees before anything executes. */
export interface RequestError {
  message: string
  locations?: readonly { line: number; column: number }[]
  /** A document check's own extensions (code and reason), kept as they are. */
  extensions?: ErrorExtensions
}

/** Runs after parsing and before validation, on the first run of a text (mercurius' preValidation hook shape); throws to refuse. */
export type DocumentCheck = (schema: GraphQLSchema, document: DocumentNode) => void | Promise<void>

export type Preparation = { ok: true; document: DocumentNode; operation: SelectedOperation } | { ok: false; errors: RequestError[] }

interface ValidDocument {
  ok: true
  document: DocumentNode
  /** By name; the anonymous operation under ''. */
  operations: Map<string, SelectedOperation>
}
type DocumentVerdict = ValidDocument | { ok: false; errors: RequestError[] }

export interface OperationPreparerOptions {
  schema: GraphQLSchema
  /** Rules run after graphql's specified rules (depth, cost …). */
  validationRules?: readonly ValidationRule[]
  parseOptions?: ParseOptions
  /** Checks of the parsed document before validation (cost limits …); a GatewayError keeps its extensions. */
  documentChecks?: readonly DocumentCheck[]
  /** Off: __schema/__type are refused and "Did you mean …" suggestions are left out of messages. */
  introspection: boolean
  /** Documents kept, valid and invalid apart, so that bad texts cannot evict the good ones. */
  cacheSize?: number
}

const SUGGESTION = / ?Did you mean [^?]*\?/g

/** A plain, bounded LRU: Map keeps insertion order, a hit moves the key to the end. */
class TextCache<V> {
  private readonly entries = new Map<string, V>()
  constructor(private readonly maxSize: number) {}
  get(key: string): V | undefined {
    const value = this.entries.get(key)
    if (value !== undefined) {
      this.entries.delete(key)
      this.entries.set(key, value)
    }
    return value
  }
  set(key: string, value: V) {
    this.entries.delete(key)
    this.entries.set(key, value)
    if (this.entries.size > this.maxSize) this.entries.delete(this.entries.keys().next().value!)
  }
}

export function multipleOperationsError(): RequestError {
  return { message: 'Must provide operation name if query contains multiple operations.' }
}

export class OperationPreparer {
  private readonly valid: TextCache<ValidDocument>
  private readonly invalid: TextCache<DocumentVerdict>
  private readonly rules: ValidationRule[]
  constructor(private readonly options: OperationPreparerOptions) {
    const size = options.cacheSize ?? 1024
    this.valid = new TextCache(size)
    this.invalid = new TextCache(Math.max(16, size >> 2))
    this.rules = [...specifiedRules, ...(options.validationRules ?? [])]
    if (!options.introspection) this.rules.push(noSchemaIntrospectionRule)
  }

  /** The operation `operationName` selects in `text`, or the request errors; the same answer on every run. */
  async prepare(text: string, operationName: string | undefined): Promise<Preparation> {
    const verdict = this.valid.get(text) ?? this.invalid.get(text) ?? (await this.analyse(text))
    if (!verdict.ok) return verdict
    if (operationName === undefined) {
      if (verdict.operations.size === 1)
        return { ok: true, document: verdict.document, operation: verdict.operations.values().next().value! }
      return { ok: false, errors: [multipleOperationsError()] }
    }
    const operation = verdict.operations.get(operationName)
    if (operation) return { ok: true, document: verdict.document, operation }
    return { ok: false, errors: [{ message: `Unknown operation named "${operationName}".` }] }
  }

  private async analyse(text: string): Promise<DocumentVerdict> {
    const verdict = await this.check(text)
    if (verdict.ok) this.valid.set(text, verdict)
    else this.invalid.set(text, verdict)
    return verdict
  }

  private async check(text: string): Promise<DocumentVerdict> {
    let document: DocumentNode
    try {
      document = parse(text, this.options.parseOptions)
    } catch (err) {
      // The parser's token limit is a cost limit: its refusal carries that reason.
      const { reason } = costReason(err)
      const error = this.requestError(err)
      return { ok: false, errors: [reason ? { ...error, extensions: { code: 'BAD_USER_INPUT', reason } } : error] }
    }
    try {
      for (const documentCheck of this.options.documentChecks ?? []) await documentCheck(this.options.schema, document)
    } catch (err) {
      if (err instanceof GatewayError) return { ok: false, errors: [{ message: err.message, extensions: err.extensions }] }
      return { ok: false, errors: [this.requestError(err)] }
    }
    let errors: readonly GraphQLError[]
    try {
      errors = validate(this.options.schema, document, this.rules)
    } catch (err) {
      return { ok: false, errors: [this.requestError(err)] }
    }
    if (errors.length > 0) return { ok: false, errors: errors.map((e) => this.requestError(e)) }
    if (!this.options.introspection) document = withoutTypeLookups(document)
    const operations = new Map<string, SelectedOperation>()
    for (const definition of document.definitions) {
      if (definition.kind !== Kind.OPERATION_DEFINITION) continue
      const name = definition.name?.value
      operations.set(name ?? '', {
        name,
        type: definition.operation,
        node: definition,
        needsRequester: needsRequester(definition),
        runs: 0,
        compiled: null,
      })
    }
    return { ok: true, document, operations }
  }

  /** graphql's own errors keep their message; anything else a text makes the parser throw gets a fixed one. */
  private requestError(err: unknown): RequestError {
    if (!(err instanceof GraphQLError)) {
      const message = err instanceof RangeError ? 'The document is nested too deeply.' : 'The document could not be read.'
      return { message }
    }
    const message = this.options.introspection ? err.message : err.message.replace(SUGGESTION, '')
    return err.locations ? { message, locations: err.locations } : { message }
  }

  /**
   * The compiled form of the selected operation from its second run on, when the compile policy allows it
   * (one operation, small expanded size: src/edge/cost.ts mayCompile); undefined: execute it uncompiled.
   */
  compiledFor(document: DocumentNode, operation: SelectedOperation): CompiledQuery | undefined {
    if (operation.compiled === null && ++operation.runs >= 2) {
      if (!mayCompile(document)) {
        operation.compiled = false
        return undefined
      }
      try {
        const compiled = compileQuery(this.options.schema, document, operation.name)
        operation.compiled = isCompiledQuery(compiled) ? compiled : false
      } catch {
        operation.compiled = false
      }
    }
    return operation.compiled || undefined
  }

  /** A coercion or execution message as the client may see it (suggestions removed without introspection). */
  publicMessage(message: string): string {
    return this.options.introspection ? message : message.replace(SUGGESTION, '')
  }
}

/** Without introspection, __schema is refused at validation. */
const noSchemaIntrospectionRule: ValidationRule = (context) => ({
  Field(node) {
    if (node.name.value === '__schema') context.reportError(new GraphQLError('Introspection is disabled on this server.', { nodes: node }))
  },
})

/** Without introspection, __type(name:) looks up a name no type has, so it answers null: the schema stays undescribed. */
function withoutTypeLookups(document: DocumentNode): DocumentNode {
  return visit(document, {
    Field(node) {
      if (node.name.value !== '__type') return undefined
      return {
        ...node,
        arguments: node.arguments?.map((a) => (a.name.value === 'name' ? { ...a, value: { kind: Kind.STRING, value: '' } } : a)),
      }
    },
  })
}

/** Whether any root field (inline fragments included) is not public; a named fragment at the root counts as not public. */
function needsRequester(operation: OperationDefinitionNode): boolean {
  const pending = [operation.selectionSet]
  while (pending.length > 0) {
    for (const selection of pending.pop()!.selections) {
      if (selection.kind === Kind.INLINE_FRAGMENT) pending.push(selection.selectionSet)
      else if (selection.kind === Kind.FRAGMENT_SPREAD || !PUBLIC_ROOT_FIELDS.has(selection.name.value)) return true
    }
  }
  return false
}
