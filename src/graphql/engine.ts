// The one GraphQL execution path. /graphql (src/edge/graphqlHttp.ts) and every REST row (src/rest/compat.ts)
// run their operation through runOperation → reply.graphql → mercurius: one parse/validate cache (mercurius'
// LRU, keyed by text), one set of validation rules, one compile policy (the preExecution hook below), one
// error formatter. Where mercurius 16.10.1 is wrong, it is worked around here and only here (README:
// "One GraphQL engine").
import type { FastifyInstance, FastifyReply } from 'fastify'
import mercurius from 'mercurius'
import {
  GraphQLError,
  Kind,
  getOperationAST,
  getVariableValues,
  parse,
  visit,
  type DocumentNode,
  type ExecutionResult,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type ParseOptions,
  type ValidationRule,
} from 'graphql'
import { errorFormatter } from './errors.js'
import type { OperationObservation } from '../observability/graphql.js'

/** Documents kept parsed and validated (mercurius' LRU; failures in a second one of the same size). */
export const DOCUMENT_CACHE_SIZE = 1024
/** Checks of the parsed document before validation (cost limits …): mercurius' preValidation hook shape. */
export type DocumentCheck = (schema: GraphQLSchema, document: DocumentNode, context: unknown) => void | Promise<void>

export interface EngineOptions {
  schema: GraphQLSchema
  /** Off: __schema is refused at validation, __type(name:) finds nothing, "Did you mean …" is left out of messages. */
  introspection: boolean
  /** Rules run after graphql's specified rules (depth, text …). */
  validationRules?: readonly ValidationRule[]
  parseOptions?: ParseOptions
  documentChecks?: readonly DocumentCheck[]
  /** Whether graphql-jit may compile a single-operation document (from its second run); without it, every one may. */
  mayCompile?: (document: DocumentNode) => boolean
}

/** Request errors: nothing executed. mercurius' own MER_ERR_GQL_VALIDATION has this shape; so do ours. */
export class OperationRefused extends Error {
  readonly code = 'MER_ERR_GQL_VALIDATION'
  readonly statusCode = 400
  readonly errors: readonly GraphQLError[]

  constructor(errors: readonly GraphQLError[]) {
    super('Graphql validation error')
    this.errors = errors
    this.name = 'OperationRefused'
  }
}

/** The errors of a request that never executed (unparseable, invalid, no such operation, bad variables), or undefined. */
export function refusedErrors(err: unknown): readonly unknown[] | undefined {
  const { code, errors } = (err ?? {}) as { code?: unknown; errors?: unknown }
  return code === 'MER_ERR_GQL_VALIDATION' && Array.isArray(errors) ? errors : undefined
}

/** What a caller asks for. */
export interface OperationRequest {
  source: string
  variables?: Record<string, unknown>
  operationName?: string
}

/** Rules of the caller for the selected operation, run before it executes (/graphql: GET is for queries, one 401). */
export type BeforeExecution = (operation: OperationDefinitionNode) => void | Promise<void>

const kRun = Symbol('graphqlRun')
interface Run {
  source: string
  operationName: string | undefined
  observation: OperationObservation | undefined
  beforeExecution: BeforeExecution | undefined
  /** Why the hook refused the operation before it executed. */
  refusal?: unknown
}

const NO_OPERATION: DocumentNode = { kind: Kind.DOCUMENT, definitions: [] }

interface DocumentPlan {
  /** By name; the anonymous operation under ''. */
  operations: Map<string, OperationDefinitionNode>
  /** Whether graphql-jit may compile it; otherwise it is always interpreted. */
  compile: boolean
  /** Without introspection: the document with __type(name:) looking up no type. */
  rewritten: DocumentNode | undefined
}

/** Without introspection, __type(name:) looks up a name no type has, so it answers null: the schema stays undescribed. */
function withoutTypeLookups(document: DocumentNode): DocumentNode | undefined {
  let found = false
  const rewritten = visit(document, {
    Field(node) {
      if (node.name.value !== '__type') return undefined
      found = true
      return {
        ...node,
        arguments: node.arguments?.map((a) => (a.name.value === 'name' ? { ...a, value: { kind: Kind.STRING, value: '' } } : a)),
      }
    },
  })
  return found ? rewritten : undefined
}

/** Without introspection, __schema is refused at validation. */
const noSchemaIntrospectionRule: ValidationRule = (context) => ({
  Field(node) {
    if (node.name.value === '__schema') context.reportError(new GraphQLError('Introspection is disabled on this server.', { nodes: node }))
  },
})

const SUGGESTION = / ?Did you mean [^?]*\?/g

export async function registerEngine(app: FastifyInstance, options: EngineOptions) {
  const { schema, introspection } = options
  const parseOptions = options.parseOptions ?? {}
  const publicMessage = (message: string) => (introspection ? message : message.replace(SUGGESTION, ''))
  await app.register(mercurius, {
    schema,
    // /graphql is src/edge/graphqlHttp.ts: the GraphQL-over-HTTP part in front of this path.
    routes: false,
    graphiql: false,
    errorFormatter: ((execution: ExecutionResult, context: Parameters<typeof errorFormatter>[1]) =>
      errorFormatter(execution, context, publicMessage)) as never,
    validationRules: [...(options.validationRules ?? []), ...(introspection ? [] : [noSchemaIntrospectionRule])],
    // Compiled at the second run, when the compile policy below allows it.
    jit: 1,
    cache: DOCUMENT_CACHE_SIZE,
    graphql: { parseOptions },
  })

  // mercurius reads a text that is not GraphQL as a JSON syntax tree (JSON.parse after a syntax error):
  // here a document is only ever what graphql's parser made of the text, so its syntax error stands.
  app.graphql.addHook('preValidation', async (_schema, document, context) => {
    if (document?.kind === Kind.DOCUMENT && document.loc) return
    const source = (context as { [kRun]?: Run })[kRun]?.source
    try {
      if (source !== undefined) parse(source, parseOptions)
    } catch (err) {
      throw new OperationRefused([err as GraphQLError])
    }
    throw new OperationRefused([new GraphQLError('Syntax Error: the document is not GraphQL text.')])
  })
  for (const check of options.documentChecks ?? []) app.graphql.addHook('preValidation', check as never)

  const plans = new WeakMap<DocumentNode, DocumentPlan>()
  const planOf = (document: DocumentNode): DocumentPlan => {
    let plan = plans.get(document)
    if (!plan) {
      const operations = new Map<string, OperationDefinitionNode>()
      for (const d of document.definitions) if (d.kind === Kind.OPERATION_DEFINITION) operations.set(d.name?.value ?? '', d)
      plan = {
        operations,
        // mercurius keys its compiled form by text alone: a multi-operation text would run whichever
        // operation compiled first (whatever operationName says), so such a text is never compiled.
        compile: operations.size === 1 && (options.mayCompile?.(document) ?? true),
        rewritten: introspection ? undefined : withoutTypeLookups(document),
      }
      plans.set(document, plan)
    }
    return plan
  }

  // The one compile policy and operation selection, on every run (mercurius skips its own variable check
  // on the run that compiles): a document returned here is executed by graphql-js and never compiled.
  app.graphql.addHook('preExecution', async (_schema, document, context, variables) => {
    const plan = planOf(document)
    const run = (context as { [kRun]?: Run })[kRun]
    if (run) {
      try {
        const operation = selectOperation(plan, run.operationName)
        const coercion = getVariableValues(schema, operation.variableDefinitions ?? [], (variables as Record<string, unknown>) ?? {})
        if (coercion.errors) throw new OperationRefused(coercion.errors)
        run.observation?.describe(operation)
        await run.beforeExecution?.(operation)
      } catch (err) {
        // Thrown here, a refusal would cost the text its compilation for good when it falls on the run that
        // compiles (mercurius counts that run before this hook and un-counts it only for a returned document).
        // Returned instead: a document without operations, which graphql-js refuses before running anything;
        // runOperation then rejects with the refusal.
        run.refusal = err
        return { document: NO_OPERATION }
      }
    }
    if (plan.rewritten) return { document: plan.rewritten }
    if (!plan.compile) return { document }
    return undefined
  })
}

function selectOperation(plan: DocumentPlan, operationName: string | undefined): OperationDefinitionNode {
  if (operationName === undefined) {
    if (plan.operations.size === 1) return plan.operations.values().next().value!
    throw new OperationRefused([multipleOperations()])
  }
  const operation = plan.operations.get(operationName)
  if (!operation) throw new OperationRefused([unknownOperation(operationName)])
  return operation
}

export interface RunOptions {
  /** The caller's rules for the selected operation, before it executes. */
  beforeExecution?: BeforeExecution
}

/**
 * Runs one operation for a request: observed (a span, a count by name and outcome) when tracing or metrics
 * are on; resolves to the execution result, or rejects with the request's refusal (refusedErrors(err) for
 * request errors, a GatewayError of a document check, or the caller's own from beforeExecution).
 */
export async function runOperation(
  reply: FastifyReply,
  request: OperationRequest,
  context: object,
  options: RunOptions = {},
): Promise<ExecutionResult> {
  const observer = reply.server.graphqlObserver
  const observation = observer?.start(request.operationName)
  const run: Run = {
    source: request.source,
    operationName: request.operationName,
    observation,
    beforeExecution: options.beforeExecution,
  }
  // Always variables: mercurius then checks them and the operation name itself on every run it does not compile.
  const execute = () =>
    reply.graphql(request.source, Object.assign(context, { [kRun]: run }) as never, request.variables ?? {}, request.operationName)
  try {
    const result = (await (observation ? observation.within(execute) : execute())) as ExecutionResult
    if (run.refusal !== undefined) throw run.refusal
    observation?.finish(result as never)
    return result
  } catch (err) {
    const refusal = unselectableOverGet(reply, request, err) ?? err
    observation?.finish(undefined, refusal ?? new Error('unknown'))
    throw refusal
  }
}

const multipleOperations = () => new GraphQLError('Must provide operation name if query contains multiple operations.')
const unknownOperation = (name: string) => new GraphQLError(`Unknown operation named "${name}".`)

/**
 * mercurius' GET check runs getOperationAST(document, operationName).operation before any hook sees the
 * cached document, so a GET naming no operation of its text fails with a TypeError. Told apart here by
 * parsing the text again, only on that failure path. The upstream change that removes this: answer a
 * request error when getOperationAST returns null (mercurius index.js, "validate we cannot do mutations here").
 */
function unselectableOverGet(reply: FastifyReply, request: OperationRequest, err: unknown): OperationRefused | undefined {
  if (!(err instanceof TypeError) || reply.request.raw.method !== 'GET') return undefined
  let document: DocumentNode
  try {
    document = parse(request.source)
  } catch {
    return undefined
  }
  if (getOperationAST(document, request.operationName)) return undefined
  return new OperationRefused([request.operationName === undefined ? multipleOperations() : unknownOperation(request.operationName)])
}
