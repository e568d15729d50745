/**
 * Lab 12 reference solution: what a good student does — turn on the span-metrics and service-graph processors
 * with http.route as a dimension of both and exemplars sent, then answer two questions from the series the
 * generator writes, once it has written a couple of minutes of them.
 */
import { readFileSync } from 'node:fs';
import { eventually, labFile, slip, type LabContext } from '../api.ts';

export const generatorFile = 'tempo/metrics-generator.yaml';

/** The starter file with the changes the lab asks for: both processors, both with http.route, and running. */
export function referenceConfig(): string {
  const starter = readFileSync(labFile('12-span-metrics-service-graph', `starter/${generatorFile}`), 'utf8');
  let config = slip(starter, '    span_metrics: {}\n', '    span_metrics:\n      dimensions: [http.route]\n');
  config = slip(config, '    service_graphs: {}\n', '    service_graphs:\n      dimensions: [http.route]\n');
  return slip(config, '      processors: []', '      processors: [service-graphs, span-metrics]');
}

const edge = 'client="shop", server="inventory", http_route!=""';
const checkout = 'service="shop", span_kind="SPAN_KIND_SERVER", http_route="/checkout"';

/** The query that answers each question (the answer file's keys); mistakes.ts varies them. */
export const queries = {
  // Only series with the route: the kit's own generator wrote this edge without it before the lab began.
  slowest_edge_route: `histogram_quantile(0.95, sum by (le, http_route) (rate(traces_service_graph_request_server_seconds_bucket{${edge}}[5m])))`,
  checkout_error_percent: `100 * sum(rate(traces_spanmetrics_calls_total{${checkout}, status_code="STATUS_CODE_ERROR"}[5m])) / sum(rate(traces_spanmetrics_calls_total{${checkout}}[5m]))`,
};

export type Queries = typeof queries;

/** An instant query, as series (labels and value). */
export async function query(ctx: LabContext, expr: string): Promise<{ labels: Record<string, string>; value: number }[]> {
  const response = await fetch(`${ctx.endpoints.prometheus}/api/v1/query?${new URLSearchParams({ query: expr })}`);
  const body = (await response.json()) as { data?: { result: { metric: Record<string, string>; value: [number, string] }[] }; error?: string };
  if (!body.data) throw new Error(`Prometheus refused ${expr}: ${body.error}`);
  return body.data.result.map((r) => ({ labels: r.metric, value: Number(r.value[1]) }));
}

/** Writes the generator config, applies it (Tempo restarts with it), and waits for two minutes of its series. */
export async function configure(ctx: LabContext, config?: string): Promise<void> {
  await ctx.writeFile(generatorFile, config ?? referenceConfig());
  await ctx.apply();
}

/** As a careful student would: wait until the generator has written both routes' edges for two minutes (eight 15 s collections). */
export async function waitForSeries(ctx: LabContext): Promise<void> {
  await eventually(
    () => query(ctx, `count_over_time(traces_service_graph_request_total{${edge}}[5m])`),
    (series) => series.length >= 2 && series.every((s) => s.value >= 8),
    { timeoutMs: 6 * 60_000, intervalMs: 5000, what: "two minutes of the service graph's shop → inventory edges, by route" },
  );
  await eventually(() => query(ctx, `count_over_time(traces_spanmetrics_calls_total{${checkout}}[5m])`), (series) => series.length > 0, { timeoutMs: 2 * 60_000, intervalMs: 5000, what: 'span metrics of /checkout by route' });
}

/** The label `name` of the highest series (NaN ranks last). */
const top = (series: { labels: Record<string, string>; value: number }[], name: string) => [...series].filter((s) => Number.isFinite(s.value)).sort((a, b) => b.value - a.value)[0]?.labels[name];

/** Runs the queries and writes the answers they give. */
export async function answer(ctx: LabContext, q: Queries = queries): Promise<void> {
  const [edges, errors] = await Promise.all([query(ctx, q.slowest_edge_route), query(ctx, q.checkout_error_percent)]);
  const answers = { slowest_edge_route: top(edges, 'http_route'), checkout_error_percent: errors[0] ? Number(errors[0].value.toFixed(1)) : undefined };
  await ctx.writeFile(ctx.answersFile, Object.entries(answers).map(([key, value]) => `${key}: ${JSON.stringify(value ?? '')}\n`).join(''));
  ctx.log(`answered: ${JSON.stringify(answers)}`);
}

export default async function solution(ctx: LabContext): Promise<void> {
  await configure(ctx);
  await waitForSeries(ctx);
  await answer(ctx);
}
