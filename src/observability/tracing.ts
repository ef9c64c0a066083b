// OpenTelemetry tracing with the official Node SDK: a provider of the app's own, exporting over OTLP/HTTP.
import { context, createContextKey, type Context, type Tracer } from '@opentelemetry/api'
import { OTLPTraceExporter as JsonTraceExporter } from '@opentelemetry/exporter-trace-otlp-http'
import { OTLPTraceExporter as ProtobufTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto'
import { defaultResource, resourceFromAttributes } from '@opentelemetry/resources'
import { BatchSpanProcessor, NodeTracerProvider, SimpleSpanProcessor, type SpanExporter } from '@opentelemetry/sdk-trace-node'
import type { TracingConfig } from '../config.js'

/** The request id travels in the trace context, so every span of a request can carry it. */
export const REQUEST_ID = createContextKey('gateway.request_id')
export const ATTR_REQUEST_ID = 'gateway.request_id'

export const requestIdIn = (ctx: Context = context.active()) => ctx.getValue(REQUEST_ID) as string | undefined

export interface Tracing {
  readonly tracer: Tracer
  /** Exports what is still buffered, then stops. */
  shutdown(): Promise<void>
}

/** What tracing is given: the OTLP settings from the config (undefined: off), or a test's own exporter. */
export type TracingSettings = TracingConfig | undefined

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

/**
 * Tracing when the config turns it on (or an exporter is given, as tests do); undefined otherwise, so
 * that nothing about tracing runs per request. The SDK's exporters read their other OTEL_EXPORTER_OTLP_*
 * settings (headers, timeout, compression) themselves.
 */
export function createTracing(settings: TracingSettings, exporter?: SpanExporter): Tracing | undefined {
  if (!exporter && !settings) return undefined
  const otlp =
    settings &&
    (settings.protocol === 'http/json'
      ? new JsonTraceExporter({ url: settings.tracesUrl })
      : new ProtobufTraceExporter({ url: settings.tracesUrl }))
  const processor = exporter ? new SimpleSpanProcessor(exporter) : new BatchSpanProcessor(otlp!)
  const provider = new NodeTracerProvider({
    // The SDK's own attributes (telemetry.sdk.*), then the configured ones.
    resource: defaultResource().merge(resourceFromAttributes(settings?.resourceAttributes ?? { 'service.name': 'account-gateway' })),
    spanProcessors: [processor],
  })
  registerOnce(provider)
  return {
    tracer: provider.getTracer('account-gateway'),
    shutdown: () => provider.shutdown(),
  }
}
