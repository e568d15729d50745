/**
 * OpenTelemetry for the demo services: a tracer provider exporting spans over OTLP/HTTP to the collector,
 * W3C trace-context propagation, and (when OTLP_LOGS=true) a logger provider exporting log records too.
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

export function startTelemetry(config: AppConfig): { shutdown(): Promise<void> } {
  const resource = resourceFromAttributes({
    [ATTR_SERVICE_NAME]: config.service,
    [ATTR_SERVICE_VERSION]: '1.0.0',
    'service.namespace': 'o11y-lab',
    'deployment.environment': 'lab',
  });
  // Export in small, frequent batches: lab checks look for spans seconds after a request.
  const tracerProvider = new NodeTracerProvider({
    resource,
    spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter({ url: `${config.otlpEndpoint}/v1/traces` }), { scheduledDelayMillis: 1000 })],
  });
  // register() installs the AsyncLocalStorage context manager and the W3C trace-context propagator.
  tracerProvider.register();

  let loggerProvider: LoggerProvider | undefined;
  if (config.otlpLogs) {
    loggerProvider = new LoggerProvider({
      resource,
      processors: [new BatchLogRecordProcessor({ exporter: new OTLPLogExporter({ url: `${config.otlpEndpoint}/v1/logs` }), scheduledDelayMillis: 1000 })],
    });
    logs.setGlobalLoggerProvider(loggerProvider);
  }

  return {
    async shutdown() {
      await Promise.allSettled([tracerProvider.shutdown(), loggerProvider?.shutdown()]);
    },
  };
}

export const tracer = () => trace.getTracer('o11y-lab-kit/demo', '1.0.0');
export { context, propagation, trace };
