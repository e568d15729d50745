/** Lab 8 reference solution: one rule group for Loki's ruler — the per-route error rate and an alert on the total. */
import type { LabContext } from '../api.ts';

export const rules = `groups:
  - name: shop-logs
    interval: 10s
    rules:
      - record: route:shop_log_errors:rate1m
        expr: sum by (route) (rate({service_name="shop"} | json | level="error" [1m]))
      - alert: ShopLogErrors
        expr: sum(rate({service_name="shop"} | json | level="error" [1m])) > 0.05
        for: 30s
        labels:
          severity: ticket
        annotations:
          summary: "The shop logs {{ $value | humanize }} errors per second"
`;

export default async function solution(ctx: LabContext): Promise<void> {
  await ctx.writeFile('loki/rules/fake/shop.yaml', rules);
}
