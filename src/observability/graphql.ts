// Each GraphQL execution (over /graphql or behind a REST route, interpreted or compiled by graphql-jit)
// as a span and a count by operation name and outcome; login/refresh outcomes and rate-limit refusals.
import type { FastifyInstance } from 'fastify'
import { getOperationAST, Kind, type DocumentNode } from 'graphql'
import { context, SpanStatusCode, trace, type Span, type Tracer } from '@opentelemetry/api'
import type { GatewayMetrics } from './metrics.js'
import { ATTR_REQUEST_ID, requestIdIn } from './tracing.js'

export interface GraphqlObservers {
  tracer?: Tracer
  metrics?: GatewayMetrics
}

const kObservation = Symbol('graphqlObservation')

interface Observation {
  /** The operation name asked for (operationName), then the one the document names. */
  name: string | undefined
  type: string | undefined
  /** Root fields as they appear in the result: the alias when there is one. */
  rootFields: { name: string; key: string }[]
}

interface ExecutionResult {
  data?: Record<string, unknown> | null
  errors?: readonly { path?: readonly (string | number)[]; extensions?: { code?: string; errorCode?: string } }[]
}

/** Flows whose outcomes operators watch, by root field. */
const AUTH_FLOWS = new Set(['login', 'refresh'])
/** Operation names are the client's: at most this many distinct label values, then "(other)". */
export const MAX_OPERATION_LABELS = 100
const OPERATION_NAME = /^[_A-Za-z][_0-9A-Za-z]{0,63}$/
const ERROR_CODE = /^[A-Z][A-Z0-9_]{0,63}$/

export function observeGraphql(app: FastifyInstance, { tracer, metrics }: GraphqlObservers) {
  if (!tracer && !metrics) return
  const labels = new Set<string>()
  const operationLabel = (name: string | undefined): string => {
    if (name === undefined) return '(anonymous)'
    if (!OPERATION_NAME.test(name)) return '(invalid)'
    if (labels.has(name)) return name
    if (labels.size >= MAX_OPERATION_LABELS) return '(other)'
    labels.add(name)
    return name
  }

  // Runs on both paths, interpreted and compiled, once the document is parsed and validated.
  app.graphql.addHook('preExecution', async (_schema, document: DocumentNode, ctx) => {
    const observation = (ctx as unknown as { [kObservation]?: Observation })[kObservation]
    if (!observation) return
    const operation = getOperationAST(document, observation.name)
    if (!operation) return
    observation.name = operation.name?.value ?? observation.name
    observation.type = operation.operation
    for (const selection of operation.selectionSet.selections) {
      if (selection.kind === Kind.FIELD)
        observation.rootFields.push({ name: selection.name.value, key: selection.alias?.value ?? selection.name.value })
    }
    const span = trace.getActiveSpan()
    if (span && tracer) {
      span.updateName(observation.name ? `${observation.type} ${observation.name}` : observation.type)
      span.setAttribute('graphql.operation.type', observation.type)
      if (observation.name) span.setAttribute('graphql.operation.name', observation.name)
    }
  })

  const record = (observation: Observation, span: Span | undefined, result: ExecutionResult | undefined, thrown: unknown) => {
    const errors = result?.errors ?? []
    const outcome = thrown
      ? ((thrown as { statusCode?: number }).statusCode ?? 500) < 500
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
    metrics.graphqlOperations.inc({ operation: operationLabel(observation.name), outcome })
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

  const execute = app.graphql
  // A proxy, so that mercurius' own properties (schema, addHook …) stay reachable through app.graphql.
  app.graphql = new Proxy(execute, {
    apply(target, thisArg, args: unknown[]) {
      const [source, ctx, variables, operationName] = args
      const observation: Observation = {
        name: typeof operationName === 'string' && operationName !== '' ? operationName : undefined,
        type: undefined,
        rootFields: [],
      }
      const graphqlContext = Object.assign((ctx as object | undefined) ?? {}, { [kObservation]: observation })
      const run = () => Reflect.apply(target, thisArg, [source, graphqlContext, variables, operationName]) as Promise<ExecutionResult>
      let span: Span | undefined
      let promise: Promise<ExecutionResult>
      if (tracer) {
        const active = context.active()
        const requestId = requestIdIn(active)
        span = tracer.startSpan('graphql', { attributes: requestId ? { [ATTR_REQUEST_ID]: requestId } : {} }, active)
        promise = context.with(trace.setSpan(active, span), run)
      } else {
        promise = run()
      }
      return promise.then(
        (result) => {
          record(observation, span, result, undefined)
          return result
        },
        (err: unknown) => {
          record(observation, span, undefined, err ?? new Error('unknown'))
          throw err
        },
      )
    },
  })
}

function codeLabel(code: string | undefined): string {
  return code && ERROR_CODE.test(code) ? code : 'INTERNAL_SERVER_ERROR'
}
