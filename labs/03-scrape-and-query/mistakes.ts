/**
 * Lab 3's realistic wrong work: the reference scrape jobs or queries with one slip each. The answer slips
 * run on the same live data as the reference, so only the query is wrong; the scrape slips keep the answers
 * the reference wrote.
 */
import { slip, type LabContext, type Mistake } from '../api.ts';
import { answer, queries, scrape, scrapeJobs } from './solution.ts';

const host = (url: string) => new URL(url).host;
const reference = (ctx: LabContext) => scrapeJobs(host(ctx.endpoints.shop!), host(ctx.endpoints.inventory!));

/** The reference answers, but for one question asked with `expr`. */
const answerWith = async (ctx: LabContext, key: keyof typeof queries, expr: string) => {
  await scrape(ctx);
  await answer(ctx, { ...queries, [key]: expr });
};

export const mistakes: Mistake[] = [
  {
    id: 'delta-over-the-restart',
    title: "takes the counter's change over the window with delta() and divides by 300 s: across the inventory's restart the counter's drop counts as negative traffic",
    fails: ['reserve-rate'],
    apply: (ctx) => answerWith(ctx, 'reserve_rate', slip(queries.reserve_rate, 'sum(rate(http_server_request_duration_seconds_count{instance="inventory", route="/reserve"}[5m]))', 'sum(delta(http_server_request_duration_seconds_count{instance="inventory", route="/reserve"}[5m])) / 300')),
  },
  {
    id: 'sum-without-the-route',
    title: "sums the inventory's rate without selecting the route (no route matcher, no by (route)): the answer is the whole service's rate",
    fails: ['reserve-rate'],
    apply: (ctx) => answerWith(ctx, 'reserve_rate', slip(queries.reserve_rate, '{instance="inventory", route="/reserve"}', '{instance="inventory"}')),
  },
  {
    id: 'p50-for-p99',
    title: 'ranks the routes by histogram_quantile(0.5, …), the median, where the 99th percentile was asked',
    fails: ['slowest-p99-route'],
    apply: (ctx) => answerWith(ctx, 'slowest_p99_route', slip(queries.slowest_p99_route, 'histogram_quantile(0.99,', 'histogram_quantile(0.5,')),
  },
  {
    id: 'average-of-route-ratios',
    title: "averages the routes' error ratios (avg of sum by (route) ratios) instead of dividing all errors by all requests",
    fails: ['shop-error-percent'],
    apply: (ctx) =>
      answerWith(
        ctx,
        'shop_error_percent',
        '100 * avg(sum by (route) (rate(http_server_request_duration_seconds_count{service="shop", status_code=~"5.."}[5m])) / sum by (route) (rate(http_server_request_duration_seconds_count{service="shop"}[5m])))',
      ),
  },
  {
    id: 'instance-left-as-address',
    title: 'scrapes both services but leaves out the relabelling: their instance labels stay 127.0.0.1:8080 and 127.0.0.1:8081',
    fails: ['instances-readable'],
    apply: (ctx) => ctx.writeFile('prometheus/scrape/shop.yml', slip(slip(reference(ctx), '    relabel_configs:\n      # The target\'s instance label is its host:port unless told otherwise: name it after the service.\n      - target_label: instance\n        replacement: shop\n', ''), '    relabel_configs:\n      - target_label: instance\n        replacement: inventory\n', '')),
  },
  {
    id: 'only-the-shop',
    title: 'adds the shop as a scrape target but not the inventory',
    fails: ['inventory-scraped'],
    apply: (ctx) => ctx.writeFile('prometheus/scrape/shop.yml', reference(ctx).slice(0, reference(ctx).indexOf('  - job_name: inventory'))),
  },
];
