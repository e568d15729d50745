/**
 * Lab 3 reference solution: what a good student does — two scrape jobs with a readable instance label, then
 * four PromQL queries over the last five minutes, answered once five minutes of scrapes (and so a restart of
 * the inventory) are in the window.
 */
import { eventually, type LabContext } from '../api.ts';

/** The scrape jobs, for the shop and the inventory at their host:port. */
export const scrapeJobs = (shop: string, inventory: string) => `scrape_configs:
  - job_name: shop
    scrape_interval: 5s
    static_configs:
      - targets: ['${shop}']
    relabel_configs:
      # The target's instance label is its host:port unless told otherwise: name it after the service.
      - target_label: instance
        replacement: shop
  - job_name: inventory
    scrape_interval: 5s
    static_configs:
      - targets: ['${inventory}']
    relabel_configs:
      - target_label: instance
        replacement: inventory
`;

const requests = 'http_server_request_duration_seconds_count';

/** The query that answers each question (the answer file's keys); mistakes.ts varies them. */
export const queries = {
  // By the readable instance: series of an earlier, unrelabelled job (instance="127.0.0.1:8081") stay in a
  // five-minute window for five minutes, and summed with them the rate would count some requests twice.
  reserve_rate: `sum(rate(${requests}{instance="inventory", route="/reserve"}[5m]))`,
  slowest_p99_route: 'histogram_quantile(0.99, sum by (route, le) (rate(http_server_request_duration_seconds_bucket{service="shop"}[5m])))',
  shop_error_percent: `100 * sum(rate(${requests}{service="shop", status_code=~"5.."}[5m])) / sum(rate(${requests}{service="shop"}[5m]))`,
  top_error_route: `topk(1, sum by (route) (rate(${requests}{service="shop", status_code=~"5.."}[5m])))`,
};

export type Queries = typeof queries;

const host = (url: string) => new URL(url).host;

/** An instant query, as series (labels and value). */
export async function query(ctx: LabContext, expr: string): Promise<{ labels: Record<string, string>; value: number }[]> {
  const response = await fetch(`${ctx.endpoints.prometheus}/api/v1/query?${new URLSearchParams({ query: expr })}`);
  const body = (await response.json()) as { data?: { result: { metric: Record<string, string>; value: [number, string] }[] }; error?: string };
  if (!body.data) throw new Error(`Prometheus refused ${expr}: ${body.error}`);
  return body.data.result.map((r) => ({ labels: r.metric, value: Number(r.value[1]) }));
}

/** Writes the reference scrape jobs, applies them, and waits for the data the questions need. */
export async function scrape(ctx: LabContext): Promise<void> {
  await ctx.writeFile('prometheus/scrape/shop.yml', scrapeJobs(host(ctx.endpoints.shop!), host(ctx.endpoints.inventory!)));
  await ctx.apply();
  // As a careful student would: wait until the window is full — scrapes within 10 s of both ends of the last five
  // minutes, with a restart of the inventory in them. rate(x[5m]) spreads what the samples in the window show over the
  // whole window: over three minutes of data it gives three fifths of the true rate. A gap in the middle (the
  // job gone for a few scrapes, then back) changes nothing, so only the ends are asked for.
  const reserve = `${requests}{service="inventory", instance="inventory", route="/reserve"}`;
  await eventually(
    async () => [await query(ctx, `max(resets(${reserve}[5m]))`), await query(ctx, `max(count_over_time(${reserve}[10s] offset 290s))`), await query(ctx, `max(count_over_time(${reserve}[10s]))`)] as const,
    ([resets, first, last]) => (resets[0]?.value ?? 0) >= 1 && (first[0]?.value ?? 0) >= 1 && (last[0]?.value ?? 0) >= 1,
    { timeoutMs: 8 * 60_000, intervalMs: 5000, what: 'five minutes of scrapes with an inventory restart in them' },
  );
}

/** The label `name` of the highest series (NaN, a route without traffic, ranks last). */
const top = (series: { labels: Record<string, string>; value: number }[], name: string) =>
  [...series].filter((s) => Number.isFinite(s.value)).sort((a, b) => b.value - a.value)[0]?.labels[name];

/** Runs the four queries and writes the answers they give. */
export async function answer(ctx: LabContext, q: Queries = queries): Promise<void> {
  const [rate, p99, errors, topErrors] = await Promise.all([q.reserve_rate, q.slowest_p99_route, q.shop_error_percent, q.top_error_route].map((expr) => query(ctx, expr)));
  const answers = {
    reserve_rate: Number(rate![0]?.value.toFixed(2)),
    slowest_p99_route: top(p99!, 'route'),
    shop_error_percent: Number(errors![0]?.value.toFixed(1)),
    top_error_route: top(topErrors!, 'route'),
  };
  await ctx.writeFile(ctx.answersFile, Object.entries(answers).map(([key, value]) => `${key}: ${JSON.stringify(value ?? '')}\n`).join(''));
  ctx.log(`answered: ${JSON.stringify(answers)}`);
}

export default async function solution(ctx: LabContext): Promise<void> {
  await scrape(ctx);
  await answer(ctx);
}
