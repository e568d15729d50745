/**
 * Lab 12 — Span metrics and the service graph. The student turns on Tempo's metrics-generator processors in
 * their part of Tempo's config (workspace/tempo/metrics-generator.yaml, merged over the kit's): span metrics
 * and a service graph, both with http.route as a dimension, written to Prometheus with exemplars. Then they
 * answer two questions from the generated series: which inventory route is the slowest edge of the service
 * graph (by p95), and how often the shop's /checkout fails.
 *
 * Where the truth comes from: the spans themselves, read back from Tempo with TraceQL — the inventory's server
 * spans slower than the drawn tail's threshold, and the shop's /checkout server spans with and without an
 * error status. The generator's series are computed from the same spans, but nothing the student configures
 * changes the spans, and what setup drew differs per student. The series objectives look only at what
 * Prometheus received since the student's latest change to the file, so series of the kit's own generator (it
 * runs with every processor outside this lab) or of an earlier attempt count neither way.
 */
import { answer, defineLab, exemplars, sinceApplied, traceql } from '../api.ts';
import { mistakes } from './mistakes.ts';
import setup, { tailThresholdMs } from './setup.ts';
import solution from './solution.ts';

const shopServer = 'resource.service.name = "shop" && kind = server && span.http.route = "/checkout"';
const edge = 'client="shop", server="inventory"';

/**
 * How long after Tempo restarts with the student's file a missing series is final: the generator collects every
 * 15 s and the service graph pairs a call's two spans within 10 s, so the reference's series are all in
 * Prometheus well within a minute (the check then fails a wrong file at once instead of at its deadline).
 */
const generatorSettlesMs = 60_000;

export default defineLab({
  number: 12,
  slug: 'span-metrics-service-graph',
  module: '06-correlation',
  title: 'Span metrics and the service graph',
  summary: "Turn on Tempo's metrics-generator (span metrics and a service graph with the dimensions asked, exemplars sent to Prometheus) and answer questions from the series it writes.",
  services: ['tempo', 'prometheus', 'otelcol', 'shop'],
  workspace: {
    yaml: ['tempo/metrics-generator.yaml', 'answers/12-span-metrics-service-graph.yaml'],
    reload: ['tempo'],
  },
  load: { script: 'shop.ts', rate: 3 },
  objectives: [
    {
      id: 'span-metrics',
      title: "Tempo's span metrics of the shop reach Prometheus",
      points: 10,
      hint: 'Add span-metrics to overrides.defaults.metrics_generator.processors in workspace/tempo/metrics-generator.yaml. In Prometheus, traces_spanmetrics_calls_total{service="shop"} then appears within half a minute of the check.',
      check: sinceApplied((range) => `count by (span_name) (count_over_time(traces_spanmetrics_calls_total{service="shop", span_kind="SPAN_KIND_SERVER"}[${range}]))`).count('>= 1', { settlesAfterMs: generatorSettlesMs }),
      deadlineMs: 90_000,
    },
    {
      id: 'span-metrics-route',
      title: 'The span metrics carry the http.route dimension: one series per shop route',
      points: 15,
      hint: 'Under metrics_generator.processor.span_metrics, list dimensions: [http.route]. The attribute becomes the label http_route (dots turn into underscores).',
      check: sinceApplied((range) => `count by (http_route) (count_over_time(traces_spanmetrics_calls_total{service="shop", span_kind="SPAN_KIND_SERVER", http_route=~"/.+"}[${range}]))`).count('>= 2', { settlesAfterMs: generatorSettlesMs }),
      needs: ['span-metrics'],
      deadlineMs: 90_000,
    },
    {
      id: 'service-graph',
      title: 'The service graph has the edge from the shop to the inventory',
      points: 10,
      hint: 'Add service-graphs to the processors. Its series are traces_service_graph_request_total and the latency histograms, with labels client and server for the two ends of each edge.',
      check: sinceApplied((range) => `count by (client, server) (count_over_time(traces_service_graph_request_total{${edge}}[${range}]))`).count('>= 1', { settlesAfterMs: generatorSettlesMs }),
      deadlineMs: 90_000,
    },
    {
      id: 'service-graph-route',
      title: "The service graph splits that edge by the inventory's route (http.route)",
      points: 10,
      hint: 'Under metrics_generator.processor.service_graphs, list dimensions: [http.route] too: the edge then has one series per inventory route.',
      check: sinceApplied((range) => `count by (http_route) (count_over_time(traces_service_graph_request_total{${edge}, http_route=~"/.+"}[${range}])) or count by (server_http_route) (count_over_time(traces_service_graph_request_total{${edge}, server_http_route=~"/.+"}[${range}]))`).count('>= 2', { settlesAfterMs: generatorSettlesMs }),
      needs: ['service-graph'],
      deadlineMs: 90_000,
    },
    {
      id: 'exemplars',
      title: 'Prometheus stores exemplars with the span metrics: samples that name the trace they came from',
      points: 15,
      hint: 'Exemplars come with the span metrics: Tempo sends them with every sample it remote-writes, and Prometheus stores them (--enable-feature=exemplar-storage). None yet? The span-metrics processor is not running (overrides … processors), or no span reached it since your change. Query → a latency histogram with "Exemplars" on shows them as dots.',
      check: exemplars('traces_spanmetrics_latency_bucket{service="shop"}').count('>= 1'),
      needs: ['span-metrics'],
      deadlineMs: 90_000,
    },
    {
      id: 'slowest-edge',
      title: "You found, from the service graph, the inventory route whose edge has the highest p95 latency",
      points: 20,
      hint: 'histogram_quantile(0.95, sum by (le, http_route) (rate(traces_service_graph_request_server_seconds_bucket{client="shop", server="inventory", http_route!=""}[5m]))): keep le in the sum. The median tells another story.',
      check: answer('slowest_edge_route').equals(traceql(`{ resource.service.name = "inventory" && kind = server && duration > ${tailThresholdMs}ms } | select(span.http.route)`, { over: '10m' }).attribute('http.route'), { as: 'route' }),
      needs: ['service-graph'],
      deadlineMs: 20_000,
    },
    {
      id: 'checkout-error-percent',
      title: "You found, from the span metrics, the share of the shop's /checkout requests that end in error (within 5 points)",
      points: 20,
      hint: 'Span metrics count spans by status_code: divide the /checkout server spans with status_code="STATUS_CODE_ERROR" by all /checkout server spans, each as sum(rate(traces_spanmetrics_calls_total{…}[5m])), times 100 — for /checkout only, not the whole shop.',
      // Over the five minutes before the answer was written, as the question asks.
      check: answer('checkout_error_percent').near(traceql(`{ ${shopServer} && status = error }`, { over: '5m' }).percentOf(traceql(`{ ${shopServer} }`, { over: '5m' })), { absolute: 5 }),
      needs: ['span-metrics'],
      deadlineMs: 20_000,
    },
  ],
  setup,
  solution,
  mistakes,
});
