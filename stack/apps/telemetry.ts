/**
 * OpenTelemetry for the demo services: a tracer provider exporting spans over OTLP/HTTP to the collector,
 * W3C trace-context propagation, and a logger provider exporting log records (to the collector when
 * OTLP_LOGS=true). Where each signal goes can be switched to lab 21's gateway (export-route.ts).
 * Instrumentation is manual and visible (see http.ts), so students can read exactly where spans come from.
 * Reference: https://opentelemetry.io/docs/languages/js/
 */
import { context, propagation, trace } from '@opentelemetry/api';
import { logs } from '@opentelemetry/api-logs';
import { OTLPLogExporter } from '@opentelemetry/exporter-logs-otlp-http';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchLogRecordProcessor, LoggerProvider } from '@opentelemetry/sdk-logs';
import { BatchSpanProcessor, NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { ATTR_SERVICE_NAME, ATTR_SERVICE_VERSION } from '@opentelemetry/semantic-conventions';
import type { AppConfig } from './config.ts';
import { exportRoute, pushMetrics, requestCounter, routedExporter, type ExportRoute } from './export-route.ts';

export function startTelemetry(config: AppConfig): { route: ExportRoute; requests: ReturnType<typeof requestCounter>; shutdown(): Promise<void> } {
  const attributes = {
    [ATTR_SERVICE_NAME]: config.service,
    [ATTR_SERVICE_VERSION]: '1.0.0',
    'service.namespace': 'o11y-lab',
    'deployment.environment': 'lab',
  };
  const resource = resourceFromAttributes(attributes);
  const route = exportRoute({ collector: config.otlpEndpoint, gateway: config.otlpGatewayEndpoint, collectorLogs: config.otlpLogs });
  // Export in small, frequent batches: lab checks look for spans seconds after a request.
  const spans = routedExporter(route, 'traces', (root) => new OTLPTraceExporter({ url: `${root}/v1/traces` }));
  const tracerProvider = new NodeTracerProvider({ resource, spanProcessors: [new BatchSpanProcessor(spans, { scheduledDelayMillis: 1000 })] });
  // register() installs the AsyncLocalStorage context manager and the W3C trace-context propagator.
  tracerProvider.register();

  // Log records are dropped by the routed exporter while they go nowhere (OTLP_LOGS unset, no gateway).
  const records = routedExporter(route, 'logs', (root) => new OTLPLogExporter({ url: `${root}/v1/logs` }));
  const loggerProvider = new LoggerProvider({ resource, processors: [new BatchLogRecordProcessor({ exporter: records, scheduledDelayMillis: 1000 })] });
  logs.setGlobalLoggerProvider(loggerProvider);

  const requests = requestCounter(attributes);
  const stopMetrics = pushMetrics(route, requests);

  return {
    route,
    requests,
    async shutdown() {
      stopMetrics();
      await Promise.allSettled([tracerProvider.shutdown(), loggerProvider.shutdown()]);
    },
  };
}

export const tracer = () => trace.getTracer('o11y-lab-kit/demo', '1.0.0');
export { context, propagation, trace };
