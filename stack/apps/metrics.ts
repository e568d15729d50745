/**
 * Prometheus metrics for the demo services, served on /metrics in the OpenMetrics format so that the latency
 * histogram carries exemplars: each bucket remembers a trace_id that landed in it (exemplar → trace in Grafana).
 * Names follow OpenTelemetry's HTTP semantic conventions: http_server_request_duration_seconds.
 */
import client from 'prom-client';

export function createMetrics(service: string) {
  const registry = new client.Registry<client.OpenMetricsContentType>();
  registry.setContentType(client.Registry.OPENMETRICS_CONTENT_TYPE);
  registry.setDefaultLabels({ service });
  client.collectDefaultMetrics({ register: registry });

  const requestDuration = new client.Histogram({
    name: 'http_server_request_duration_seconds',
    help: 'Duration of HTTP requests handled by the service, by route, method and status code.',
    labelNames: ['route', 'method', 'status_code'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    enableExemplars: true,
    registers: [registry],
  });

  const orders = new client.Counter({
    name: 'shop_orders_total',
    help: 'Orders placed at checkout, by outcome.',
    labelNames: ['outcome'] as const,
    registers: [registry],
  });

  const usageEvents = new client.Counter({
    name: 'shop_usage_events_total',
    help: 'Product-usage events the shop logged (usage=true lines), by feature.',
    labelNames: ['feature'] as const,
    registers: [registry],
  });

  return { registry, requestDuration, orders, usageEvents };
}

export type Metrics = ReturnType<typeof createMetrics>;
