/**
 * Lab 21 — One gateway, three signals. The student writes the gateway collector that the demo services now
 * send everything to: traces to Tempo, logs to Loki, metrics to Prometheus, with a memory limiter, batching and
 * a filter that drops the health checks' spans and log lines.
 *
 * Where the truth comes from: the shop's own log, as the stack runtime keeps it (appLog) — one line per request
 * it answered, whatever the gateway does. Spans and Loki lines per route are compared with it over the same
 * window, so a filter that drops more than /health (or a pipeline that loses data) fails, and /health must be
 * absent while the shop's log shows it was asked.
 *
 * "Through the gateway", honestly: setup points the demo services' OTLP export at the gateway and nowhere else
 * (PUT /admin/telemetry; every other lab's start points it back at the kit's collector), and only telemetry
 * produced after the student's latest change counts. So what reaches Tempo, Loki and Prometheus in the window
 * came through the gateway running the student's file: with the gateway down, nothing arrives (the fresh
 * setup's gateway exports to debug only, and fails). No tag the student adds is needed, and none can be forged.
 * The processors are graded from the running gateway's own metrics (items into each processor, per signal; the
 * batch processor's sends), not from the YAML text.
 */
import { appLog, defineLab, sinceApplied } from '../api.ts';
import { mistakes } from './mistakes.ts';
import setup from './setup.ts';
import solution from './solution.ts';

const shop = appLog('shop');
const health = ['/health'];

/**
 * Tolerance for spans and lines against the shop's own log: 10 % per route, or 3, whichever is larger, over a
 * window that starts 5 s after the change and ends 10 s ago (the app's and the gateway's 1 s batches are well
 * inside it). Measured on the real engines (Tempo, Prometheus, our collector), 35-45 s windows, ~8 req/s: spans per
 * route equal to the shop's own count in five of six runs; in one, on a Tempo started seconds before, 9 % short on
 * every route. Loki: the reference passes in every proof run; once, with a second shipper also sending the
 * shop's lines, it held exactly twice the shop's count on every route (666/444/444 for 333/222/222 in 74 s),
 * so each copy was whole. A filter that drops a whole route, or the shop, is far outside the tolerance.
 */
const within = 0.1;

/**
 * How long after the gateway restarts a missing metric series is final: the shop pushes its counter every 2 s and
 * the gateway its own metrics every 5 s, so 30 s is several pushes of each.
 */
const pushesSettleMs = 30_000;

export default defineLab({
  number: 21,
  slug: 'one-gateway-three-signals',
  module: '11-collector',
  title: 'One gateway, three signals',
  summary: 'Route the demo services’ traces, logs and metrics through your own OTLP gateway to Tempo, Loki and Prometheus, with a memory limiter, batching and a filter that drops health checks.',
  services: ['tempo', 'loki', 'prometheus', 'shop', 'gateway'],
  workspace: {
    yaml: ['otelcol/gateway.yaml'],
    reload: ['gateway'],
  },
  load: { script: 'shop-with-health.ts', rate: 3 },
  objectives: [
    {
      id: 'traces-through-gateway',
      title: "Every one of the shop's requests but the health checks is a span in Tempo",
      points: 20,
      hint: 'Add an otlp_grpc exporter with endpoint ${env:TEMPO_OTLP_GRPC_ENDPOINT} (and tls: insecure: true) to the traces pipeline. If the counts fall short on some routes, your filter drops more than /health: conditions in a filter are OR-ed.',
      check: shop.spansAgreeWith('{ resource.service.name = "shop" && kind = server } | select(span.http.route)', { attribute: 'http.route', by: 'route', over: '2m', within, except: health, settles: true }),
      deadlineMs: 90_000,
    },
    {
      id: 'logs-through-gateway',
      title: "Every one of the shop's log lines but the health checks' is in Loki",
      points: 20,
      hint: 'Add a logs pipeline from the otlp receiver to an otlp_http exporter with endpoint ${env:LOKI_OTLP_ENDPOINT}. Compare with sum by (route) (count_over_time({service_name="shop"}[1m])) in Grafana.',
      check: shop.agreesWith('{service_name="shop"}', { by: 'route', over: '2m', within, except: health, settles: true }),
      deadlineMs: 90_000,
    },
    {
      id: 'metrics-through-gateway',
      title: "The shop's OTLP request counter reaches Prometheus, for every route",
      points: 15,
      hint: 'Add a metrics pipeline to an otlp_http exporter with endpoint ${env:PROMETHEUS_OTLP_ENDPOINT}; then http_server_requests_total{service_name="shop"} appears in Prometheus.',
      check: sinceApplied((range) => `count by (http_route) (count_over_time(http_server_requests_total{service_name="shop", http_route=~"/products|/cart|/checkout"}[${range}]))`).count('>= 3', { settlesAfterMs: pushesSettleMs }),
      deadlineMs: 60_000,
    },
    {
      id: 'health-spans-dropped',
      title: 'No health-check span reaches Tempo, though the health checks go on',
      points: 15,
      hint: 'A filter processor in the traces pipeline, with the span condition attributes["http.route"] == "/health" (look at a /health span in Tempo: which attribute has the route?).',
      check: shop.dropped('tempo', '{ resource.service.name = "shop" && span.http.route = "/health" } | select(span.http.route)', { by: 'route', attribute: 'http.route', values: health, over: '2m' }),
      needs: ['traces-through-gateway'],
      deadlineMs: 60_000,
    },
    {
      id: 'health-logs-dropped',
      title: 'No health-check log line reaches Loki',
      points: 15,
      hint: 'The same filter processor can drop log records too (logs: log_record: …): the shop puts the route in the log attribute "route". Put the filter in the logs pipeline as well.',
      check: shop.dropped('loki', '{service_name="shop"}', { by: 'route', values: health, over: '2m' }),
      needs: ['logs-through-gateway'],
      deadlineMs: 60_000,
    },
    {
      id: 'memory-limiter-in-every-pipeline',
      title: 'Your running gateway passes traces, logs and metrics through a memory limiter',
      points: 10,
      hint: 'Define memory_limiter under processors (check_interval, limit_mib) and put it first in every pipeline. Your gateway reports what enters each processor, per signal, as otelcol_processor_incoming_items_total{service_name="gateway"}.',
      check: sinceApplied((range) => `count by (otel_signal) (count_over_time(otelcol_processor_incoming_items_total{service_name="gateway", processor=~"memory_limiter(/.+)?"}[${range}]))`).count('>= 3', { settlesAfterMs: pushesSettleMs }),
      deadlineMs: 60_000,
    },
    {
      // The batch processor reports its sends without the signal (otelcol_processor_batch_batch_send_size has only
      // a processor label), so "in every pipeline" cannot be read from the running gateway: it batches at all.
      // Its send count must rise within the window: that takes a batch processor running now, two pushes of its
      // metrics after the change (the window holds nothing from before it: sinceApplied).
      id: 'batching',
      title: 'Your running gateway sends in batches',
      points: 5,
      hint: 'Define a batch processor (timeout: 1s is plenty here) and put it last in every pipeline, just before the exporters.',
      check: sinceApplied((range) => `count by (processor) (increase(otelcol_processor_batch_batch_send_size_count{service_name="gateway"}[${range}]) > 0)`).count('>= 1', { settlesAfterMs: pushesSettleMs }),
      deadlineMs: 60_000,
    },
  ],
  setup,
  solution,
  mistakes,
});
