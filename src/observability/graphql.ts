// Each GraphQL execution (over /graphql or behind a REST route, interpreted or compiled by graphql-jit)
// as a span and a count by operation name and outcome; login/refresh outcomes and rate-limit refusals.
import { Kind, type OperationDefinitionNode } from 'graphql'
import { context, SpanStatusCode, trace, type Span, type Tracer } from '@opentelemetry/api'
import type { GatewayMetrics } from './metrics.js'
import { ATTR_REQUEST_ID, requestIdIn } from './tracing.js'

export interface GraphqlObservers {
  tracer?: Tracer
  metrics?: GatewayMetrics
}

interface Observation {
  /** The operation name asked for (operationName), then the one the document names. */
  name: string | undefined
  type: string | undefined
  /** Root fields as they appear in the result: the alias when there is one. */
  rootFields: { name: string; key: string }[]
}

export interface ExecutionResult {
  data?: Record<string, unknown> | null
  errors?: readonly { path?: readonly (string | number)[]; extensions?: { code?: string; errorCode?: string } }[]
}

/** Flows whose outcomes operators watch, by root field. */
const AUTH_FLOWS = new Set(['login', 'refresh'])
/** Operation names are the client's: at most this many distinct label values, then "(other)". */
export const MAX_OPERATION_LABELS = 100
const OPERATION_NAME = /^[_A-Za-z][_0-9A-Za-z]{0,63}$/
const ERROR_CODE = /^[A-Z][A-Z0-9_]{0,63}$/

/** One GraphQL operation being observed: its span (with tracing) and, once finished, its counts (with metrics). */
export interface OperationObservation {
  /** Runs `fn` with the operation's span active, so that what it starts (queries) nests under it. */
  within<T>(fn: () => T): T
  /** Names the span and keeps the root fields, once the operation is known (parsed, validated, selected). */
  describe(operation: OperationDefinitionNode): void
  /** Ends the span and counts the operation: by its result, or by what was thrown. Only the first call counts. */
  finish(result: ExecutionResult | undefined, thrown?: unknown): void
}

/**
 * The instrumentation seam of the one GraphQL path (src/graphql/engine.ts: /graphql and REST rows alike),
 * with one set of operation labels.
 */
export class GraphqlObserver {
  private readonly labels = new Set<string>()
  constructor(private readonly observers: GraphqlObservers) {}

  /** Starts observing an operation under the active context (the request's span); `operationName` as the client sent it. */
  start(operationName: unknown): OperationObservation {
    const { tracer } = this.observers
    const observation: Observation = {
      name: typeof operationName === 'string' && operationName !== '' ? operationName : undefined,
      type: undefined,
      rootFields: [],
    }
    const active = context.active()
    let span: Span | undefined
    let spanContext = active
    if (tracer) {
      const requestId = requestIdIn(active)
      span = tracer.startSpan('graphql', { attributes: requestId ? { [ATTR_REQUEST_ID]: requestId } : {} }, active)
      spanContext = trace.setSpan(active, span)
    }
    let finished = false
    return {
      within: (fn) => (span ? context.with(spanContext, fn) : fn()),
      describe: (operation) => {
        observation.name = operation.name?.value ?? observation.name
        observation.type = operation.operation
        for (const selection of operation.selectionSet.selections) {
          if (selection.kind === Kind.FIELD)
            observation.rootFields.push({ name: selection.name.value, key: selection.alias?.value ?? selection.name.value })
        }
        if (span) {
          span.updateName(observation.name ? `${observation.type} ${observation.name}` : observation.type)
          span.setAttribute('graphql.operation.type', observation.type)
          if (observation.name) span.setAttribute('graphql.operation.name', observation.name)
        }
      },
      finish: (result, thrown) => {
        if (finished) return
        finished = true
        this.record(observation, span, result, thrown)
      },
    }
  }

  private operationLabel(name: string | undefined): string {
    if (name === undefined) return '(anonymous)'
    if (!OPERATION_NAME.test(name)) return '(invalid)'
    if (this.labels.has(name)) return name
    if (this.labels.size >= MAX_OPERATION_LABELS) return '(other)'
    this.labels.add(name)
    return name
  }

  private record(observation: Observation, span: Span | undefined, result: ExecutionResult | undefined, thrown: unknown) {
    const { metrics } = this.observers
    const errors = result?.errors ?? []
    const thrownCode = (thrown as { extensions?: { code?: unknown } } | undefined)?.extensions?.code
    const outcome = thrown
      ? typeof thrownCode === 'string'
        ? codeLabel(thrownCode)
        : ((thrown as { statusCode?: number }).statusCode ?? 500) < 500
          ? 'BAD_USER_INPUT'
          : 'INTERNAL_SERVER_ERROR'
      : errors.length === 0
        ? 'success'
        : codeLabel(errors[0]!.extensions?.code)
    if (span) {
      if (outcome !== 'success') span.setAttribute('graphql.outcome', outcome)
      if (outcome === 'INTERNAL_SERVER_ERROR') span.setStatus({ code: SpanStatusCode.ERROR })
      span.end()
    }
    if (!metrics) return
    metrics.graphqlOperations.inc({ operation: this.operationLabel(observation.name), outcome })
    for (const field of observation.rootFields) {
      const error = errors.find((e) => e.path?.[0] === field.key)
      if (error?.extensions?.code === 'RATE_LIMITED') metrics.rateLimitRefusals.inc({ operation: field.name })
      if (AUTH_FLOWS.has(field.name)) {
        const fieldOutcome = error
          ? codeLabel(error.extensions?.errorCode ?? error.extensions?.code)
          : result?.data?.[field.key]
            ? 'success'
            : 'error'
        metrics.authOutcomes.inc({ flow: field.name, outcome: fieldOutcome })
      }
    }
  }
}

/** The observer for these observers; undefined when tracing and metrics are both off, so nothing is paid. */
export function createGraphqlObserver(observers: GraphqlObservers): GraphqlObserver | undefined {
  return observers.tracer || observers.metrics ? new GraphqlObserver(observers) : undefined
}

function codeLabel(code: string | undefined): string {
  return code && ERROR_CODE.test(code) ? code : 'INTERNAL_SERVER_ERROR'
}
