/**
 * Lab 4's realistic wrong work: the reference scrape job and rules with one slip each, the slips students
 * make when they first write RED recording rules.
 */
import { slip, type LabContext, type Mistake } from '../api.ts';
import { rules, scrapeJob, shopHost } from './solution.ts';

const write = async (ctx: LabContext, scrape: string, rule: string) => {
  await ctx.writeFile('prometheus/scrape/shop.yml', scrape);
  await ctx.writeFile('prometheus/rules/red.yml', rule);
};

export const mistakes: Mistake[] = [
  {
    id: 'scrapes-the-neighbour',
    title: "types port 8081 for the shop: Prometheus scrapes the inventory service instead, and its target is up",
    fails: ['shop-scraped'],
    apply: (ctx) => write(ctx, scrapeJob(shopHost(ctx).replace(/:\d+$/, ':8081')), rules),
  },
  {
    id: 'rate-drops-route',
    title: 'sums the request rate by service only, so every route is folded into one series',
    fails: ['rate-recorded'],
    apply: (ctx) => write(ctx, scrapeJob(shopHost(ctx)), slip(rules, 'sum by (service, route) (rate(http_server_request_duration_seconds_count[1m]))', 'sum by (service) (rate(http_server_request_duration_seconds_count[1m]))')),
  },
  {
    id: 'rate-with-irate',
    title: 'records irate (the last two samples) where the dashboard and the direct query use rate over 1m',
    fails: ['rate-agrees'],
    apply: (ctx) => write(ctx, scrapeJob(shopHost(ctx)), slip(rules, '(rate(http_server_request_duration_seconds_count[1m]))', '(irate(http_server_request_duration_seconds_count[1m]))')),
  },
  {
    id: 'p95-is-the-average',
    title: 'records the average latency (sum over count) under the p95 name',
    fails: ['p95-agrees'],
    apply: (ctx) =>
      write(
        ctx,
        scrapeJob(shopHost(ctx)),
        slip(
          rules,
          'histogram_quantile(0.95, sum by (service, route, le) (rate(http_server_request_duration_seconds_bucket[1m])))',
          'sum by (service, route) (rate(http_server_request_duration_seconds_sum[1m])) / sum by (service, route) (rate(http_server_request_duration_seconds_count[1m]))',
        ),
      ),
  },
  {
    id: 'p95-sums-away-le',
    title: 'sums the buckets by service and route only, dropping le, so histogram_quantile has no buckets to read',
    fails: ['p95-recorded'],
    apply: (ctx) => write(ctx, scrapeJob(shopHost(ctx)), slip(rules, 'sum by (service, route, le) (rate(http_server_request_duration_seconds_bucket[1m]))', 'sum by (service, route) (rate(http_server_request_duration_seconds_bucket[1m]))')),
  },
];
