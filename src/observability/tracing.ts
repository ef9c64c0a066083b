// OpenTelemetry tracing with the official Node SDK: a provider of the app's own, exporting over OTLP/HTTP.
import { context, createContextKey, type Context, type Tracer } from '@opentelemetry/api'
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http'
import { resourceFromAttributes } from '@opentelemetry/resources'
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions'
import { BatchSpanProcessor, NodeTracerProvider, SimpleSpanProcessor, type SpanExporter } from '@opentelemetry/sdk-trace-node'

/** The request id travels in the trace context, so every span of a request can carry it. */
export const REQUEST_ID = createContextKey('gateway.request_id')
export const ATTR_REQUEST_ID = 'gateway.request_id'

export const requestIdIn = (ctx: Context = context.active()) => ctx.getValue(REQUEST_ID) as string | undefined

export interface Tracing {
  readonly tracer: Tracer
  /** Exports what is still buffered, then stops. */
  shutdown(): Promise<void>
}

export interface TracingSettings {
  otlpEndpoint: string | undefined
  serviceName: string
}

let registered = false
/**
 * Spans follow async work through the SDK's AsyncLocalStorage context manager, which register() installs
 * process-wide. Once per process: every app (tests build many) uses its own provider's tracer directly.
 */
function registerOnce(provider: NodeTracerProvider) {
  if (registered) return
  provider.register({ propagator: null })
  registered = true
}

/** The OTLP/HTTP traces URL: OTEL_EXPORTER_OTLP_ENDPOINT is a base, to which the signal path is added. */
export const otlpTracesUrl = (endpoint: string) => `${endpoint.replace(/\/+$/, '')}/v1/traces`

/**
 * Tracing when an OTLP endpoint is set (or an exporter is given, as tests do); undefined otherwise, so
 * that nothing about tracing runs per request.
 */
export function createTracing(settings: TracingSettings, exporter?: SpanExporter): Tracing | undefined {
  if (!exporter && !settings.otlpEndpoint) return undefined
  const processor = exporter
    ? new SimpleSpanProcessor(exporter)
    : new BatchSpanProcessor(new OTLPTraceExporter({ url: otlpTracesUrl(settings.otlpEndpoint!) }))
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ [ATTR_SERVICE_NAME]: settings.serviceName }),
    spanProcessors: [processor],
  })
  registerOnce(provider)
  return {
    tracer: provider.getTracer('account-gateway'),
    shutdown: () => provider.shutdown(),
  }
}
