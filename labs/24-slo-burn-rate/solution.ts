/**
 * Lab 24 reference solution: the checkout SLO as recording rules (the error ratio over the four windows the
 * alerts read, and the burn rate over the last minute), the two multi-window burn-rate alerts of the SRE workbook, and a
 * promtool unit test that walks both alerts through six healthy hours and a 50 % outage.
 */
import type { LabContext } from '../api.ts';

/** The checkout's error ratio over one window: failing checkouts per second over all checkouts per second. */
const errorRatio = (window: string) => `sum by (service, route) (rate(http_server_request_duration_seconds_count{service="shop", route="/checkout", status_code=~"5.."}[${window}]))
            / sum by (service, route) (rate(http_server_request_duration_seconds_count{service="shop", route="/checkout"}[${window}]))`;

const ratio = (window: string) => `      - record: slo:checkout_errors:ratio_rate${window}
        expr: |
          ${errorRatio(window)}
`;

export const rules = `# The checkout's availability SLO: 99.9 % of checkouts succeed, so the error budget is 1 - 0.999 = 0.001.
groups:
  - name: checkout-slo
    interval: 5s
    rules:
${ratio('5m')}${ratio('30m')}${ratio('1h')}${ratio('6h')}      # The burn rate right now (over the last minute): 1 spends the budget exactly in 30 days.
      - record: slo:checkout_error_budget:burn_rate1m
        expr: |
          (
            ${errorRatio('1m')}
          ) / 0.001
      # Fast burn: 2 % of a 30-day budget gone in an hour (14.4 × budget), and still burning in the last 5 minutes.
      - alert: CheckoutErrorBudgetFastBurn
        expr: |
          slo:checkout_errors:ratio_rate1h > (14.4 * 0.001)
            and slo:checkout_errors:ratio_rate5m > (14.4 * 0.001)
        labels:
          severity: page
        annotations:
          summary: "{{ $labels.route }} burns its error budget 14.4 times too fast: 2 % of it is gone within the hour"
      # Slow burn: 5 % of the budget gone in six hours (6 × budget), and still burning in the last 30 minutes.
      - alert: CheckoutErrorBudgetSlowBurn
        expr: |
          slo:checkout_errors:ratio_rate6h > (6 * 0.001)
            and slo:checkout_errors:ratio_rate30m > (6 * 0.001)
        labels:
          severity: ticket
`;

export const tests = `rule_files:
  - ../rules/slo.yml

evaluation_interval: 1m

tests:
  # Six healthy hours at 100 checkouts a minute, then half of them fail: a burn rate of 500.
  - name: half of all checkouts fail after six healthy hours
    interval: 1m
    input_series:
      - series: 'http_server_request_duration_seconds_count{service="shop", route="/checkout", status_code="201"}'
        values: '0+100x360 36050+50x30'
      - series: 'http_server_request_duration_seconds_count{service="shop", route="/checkout", status_code="500"}'
        values: '0x360 50+50x30'
    alert_rule_test:
      - eval_time: 6h
        alertname: CheckoutErrorBudgetFastBurn
        exp_alerts: []
      # The 1h window passes 14.4 x budget after about 1.7 minutes of the outage.
      - eval_time: 6h5m
        alertname: CheckoutErrorBudgetFastBurn
        exp_alerts:
          - exp_labels:
              severity: page
              service: shop
              route: /checkout
            exp_annotations:
              summary: "/checkout burns its error budget 14.4 times too fast: 2 % of it is gone within the hour"
      # The 6h window still holds six healthy hours: it passes 6 x budget only after about 4.3 minutes.
      - eval_time: 6h3m
        alertname: CheckoutErrorBudgetSlowBurn
        exp_alerts: []
      - eval_time: 6h10m
        alertname: CheckoutErrorBudgetSlowBurn
        exp_alerts:
          - exp_labels:
              severity: ticket
              service: shop
              route: /checkout

  # Half of all checkouts fail, sampled every 15 s so that a 1-minute rate has points to read.
  - name: the burn rate is the error ratio over the budget
    interval: 15s
    input_series:
      - series: 'http_server_request_duration_seconds_count{service="shop", route="/checkout", status_code="201"}'
        values: '0+10x8'
      - series: 'http_server_request_duration_seconds_count{service="shop", route="/checkout", status_code="500"}'
        values: '0+10x8'
    promql_expr_test:
      - expr: slo:checkout_error_budget:burn_rate1m
        eval_time: 2m
        exp_samples:
          - labels: 'slo:checkout_error_budget:burn_rate1m{service="shop", route="/checkout"}'
            value: 500
`;

export default async function solution(ctx: LabContext): Promise<void> {
  await ctx.writeFile('prometheus/rules/slo.yml', rules);
  await ctx.writeFile('prometheus/tests/slo.test.yml', tests);
}
