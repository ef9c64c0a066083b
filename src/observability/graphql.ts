// Each GraphQL execution (over /graphql or behind a REST route, interpreted or compiled by graphql-jit)
// as a span, a count by operation name and outcome and a duration by operation name and type;
// login/refresh outcomes and rate-limit refusals.
import { Kind, type OperationDefinitionNode } from 'graphql'
import { context, SpanStatusCode, trace, type Span, type Tracer } from '@opentelemetry/api'
import type { GatewayMetrics } from './metrics.js'
import { ATTR_REQUEST_ID, requestIdIn } from './tracing.js'

export interface GraphqlObservers {
  tracer?: Tracer
  metrics?: GatewayMetrics
}

interface Observation {
  /** When the operation started (performance.now()), for the duration histogram. */
  startedAt: number
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
/** The label of every operation whose name is not known to the gateway (persisted or a REST row's). */
export const OTHER_OPERATION = '(other)'
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
  /**
   * Operation names that may be label values: those of the trusted documents (the REST rows' operations and
   * GRAPHQL_PERSISTED_DOCUMENTS), set once at start. A client chooses any other name freely, so it is "(other)":
   * a flood of made-up names can neither grow the series nor push a real operation out of its label.
   */
  private known: ReadonlySet<string> = new Set()
  private readonly observers: GraphqlObservers

  constructor(observers: GraphqlObservers) {
    this.observers = observers
  }

  /** The operation names the metrics may name (the trusted documents'); every other name counts as "(other)". */
  knowOperations(names: Iterable<string>) {
    this.known = new Set(names)
  }

  /** Starts observing an operation under the active context (the request's span); `operationName` as the client sent it. */
  start(operationName: unknown): OperationObservation {
    const { tracer } = this.observers
    const observation: Observation = {
      startedAt: this.observers.metrics ? performance.now() : 0,
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
    return this.known.has(name) ? name : OTHER_OPERATION
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
    const operation = this.operationLabel(observation.name)
    metrics.graphqlOperations.inc({ operation, outcome })
    // type: query, mutation or subscription; "(unknown)" when no operation was selected (unparseable, invalid).
    metrics.graphqlDuration.observe(
      { operation, type: observation.type ?? '(unknown)' },
      (performance.now() - observation.startedAt) / 1000,
    )
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
