/**
 * Lab 13 reference solution: the error-ratio alert by route, and a unit test that feeds one failing request in
 * ten and expects the alert, with its labels, after the "for" duration.
 */
import type { LabContext } from '../api.ts';

/** The reference rule and test, which mistakes.ts varies. */
export const rules = `groups:
  - name: shop-alerts
    interval: 5s
    rules:
      - alert: ShopHighErrorRate
        expr: |
          sum by (route) (rate(http_server_request_duration_seconds_count{service="shop", status_code=~"5.."}[1m]))
            / sum by (route) (rate(http_server_request_duration_seconds_count{service="shop"}[1m]))
            > 0.05
        for: 30s
        labels:
          severity: page
        annotations:
          summary: "{{ $labels.route }} fails {{ $value | humanizePercentage }} of requests"
`;

export const tests = `rule_files:
  - ../rules/alerts.yml

evaluation_interval: 5s

tests:
  - interval: 15s
    input_series:
      # 10 requests per 15 s on /checkout, 1 of them failing.
      - series: 'http_server_request_duration_seconds_count{service="shop", route="/checkout", status_code="201"}'
        values: '0+9x20'
      - series: 'http_server_request_duration_seconds_count{service="shop", route="/checkout", status_code="500"}'
        values: '0+1x20'
    alert_rule_test:
      - eval_time: 20s
        alertname: ShopHighErrorRate
        exp_alerts: []
      - eval_time: 3m
        alertname: ShopHighErrorRate
        exp_alerts:
          - exp_labels:
              severity: page
              route: /checkout
            exp_annotations:
              summary: "/checkout fails 10% of requests"
`;

export default async function solution(ctx: LabContext): Promise<void> {
  await ctx.writeFile('prometheus/rules/alerts.yml', rules);
  await ctx.writeFile('prometheus/tests/alerts.test.yml', tests);
}
