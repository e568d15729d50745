/**
 * Lab 4 reference solution: what a good student writes — a scrape job for the shop and two recording rules
 * named level:metric:operations, aggregated by service and route.
 */
import type { LabContext } from '../api.ts';

/** The scrape job, for the shop at `host` (127.0.0.1:8080 natively, shop:8080 in Docker). */
export const scrapeJob = (host: string) => `scrape_configs:
  - job_name: shop
    scrape_interval: 5s
    static_configs:
      - targets: ['${host}']
`;

export const rules = `groups:
  - name: shop-red
    interval: 5s
    rules:
      - record: service_route:http_server_requests:rate1m
        expr: sum by (service, route) (rate(http_server_request_duration_seconds_count[1m]))
      - record: service_route:http_server_request_duration_seconds:p95_1m
        expr: histogram_quantile(0.95, sum by (service, route, le) (rate(http_server_request_duration_seconds_bucket[1m])))
`;

export const shopHost = (ctx: LabContext) => new URL(ctx.endpoints.shop!).host;

export default async function solution(ctx: LabContext): Promise<void> {
  await ctx.writeFile('prometheus/scrape/shop.yml', scrapeJob(shopHost(ctx)));
  await ctx.writeFile('prometheus/rules/red.yml', rules);
}
