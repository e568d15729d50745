/**
 * Lab 24's realistic wrong work: the reference rules and test with one slip each — the slips people make
 * when they first turn an SLO into burn-rate alerts.
 */
import { slip, type LabContext, type Mistake } from '../api.ts';
import { rules, tests } from './solution.ts';

const write = async (ctx: LabContext, rule: string, test: string) => {
  await ctx.writeFile('prometheus/rules/slo.yml', rule);
  await ctx.writeFile('prometheus/tests/slo.test.yml', test);
};

/** The same slip wherever the reference has it (the four ratio rules are written alike). */
const slipAll = (reference: string, from: string, to: string) => slip(reference, from, to).replaceAll(from, to);

const fastExpr = `slo:checkout_errors:ratio_rate1h > (14.4 * 0.001)
            and slo:checkout_errors:ratio_rate5m > (14.4 * 0.001)`;
const slowExpr = `slo:checkout_errors:ratio_rate6h > (6 * 0.001)
            and slo:checkout_errors:ratio_rate30m > (6 * 0.001)`;

export const mistakes: Mistake[] = [
  {
    id: 'burn-against-the-slo',
    title: 'divides the error ratio by the SLO (0.999) instead of the error budget (1 - 0.999), so the burn rate reads about 0.5 for a 50 % outage',
    fails: ['burn-rate-agrees'],
    apply: (ctx) => write(ctx, slip(rules, ') / 0.001', ') / 0.999'), tests),
  },
  {
    id: 'ratio-of-the-whole-shop',
    title: "computes the error ratio over every route of the shop (sum by service, no route filter), so checkout's failures are diluted by the catalogue's successes",
    fails: ['ratio-5m-agrees'],
    apply: (ctx) =>
      write(
        ctx,
        slipAll(slipAll(slipAll(rules, 'sum by (service, route)', 'sum by (service)'), ', route="/checkout", status_code=~"5.."}', ', status_code=~"5.."}'), '{service="shop", route="/checkout"}', '{service="shop"}'),
        tests,
      ),
  },
  {
    id: 'fast-burn-on-the-short-window-only',
    title: 'drops the 1-hour window from the fast-burn alert: five minutes of 5 % errors page someone for 0.4 % of the budget',
    fails: ['alerts-behave'],
    apply: (ctx) => write(ctx, slip(rules, fastExpr, 'slo:checkout_errors:ratio_rate5m > (14.4 * 0.001)'), tests),
  },
  {
    id: 'slow-burn-on-the-long-window-only',
    title: 'drops the 30-minute window from the slow-burn alert: the ticket stays open for hours after the outage has ended',
    fails: ['alerts-behave'],
    apply: (ctx) => write(ctx, slip(rules, slowExpr, 'slo:checkout_errors:ratio_rate6h > (6 * 0.001)'), tests),
  },
  {
    id: 'slow-burn-with-the-fast-windows',
    title: 'copies the fast-burn alert for the slow one and changes only the factor, so it reads the 1h and 5m windows and opens a ticket minutes into any outage',
    fails: ['alerts-behave'],
    apply: (ctx) => write(ctx, slip(rules, slowExpr, fastExpr.replaceAll('14.4', '6')), tests),
  },
  {
    id: 'fast-burn-waits-fifteen-minutes',
    title: "adds for: 15m to the fast-burn alert against flapping: at a burn of 500 the page comes after 15 % of the month's budget is gone",
    fails: ['alerts-behave'],
    apply: (ctx) => write(ctx, slip(rules, '        labels:\n          severity: page', '        for: 15m\n        labels:\n          severity: page'), tests),
  },
  {
    id: 'test-only-the-quiet-hours',
    title: 'writes unit tests that only check both alerts stay quiet while everything is healthy',
    fails: ['unit-tests-pass'],
    apply: (ctx) => {
      // The outage group keeps its input series; its expectations become "quiet at 6h" only.
      const expectations = tests.indexOf('    alert_rule_test:');
      const burnGroup = tests.indexOf('\n  # Half of all checkouts fail, sampled every 15 s');
      if (expectations < 0 || burnGroup < 0) throw new Error('the reference test no longer has the shape this mistake edits');
      const quiet = `    alert_rule_test:
      - eval_time: 6h
        alertname: CheckoutErrorBudgetFastBurn
        exp_alerts: []
      - eval_time: 6h
        alertname: CheckoutErrorBudgetSlowBurn
        exp_alerts: []
`;
      return write(ctx, rules, `${tests.slice(0, expectations)}${quiet}${tests.slice(burnGroup)}`);
    },
  },
];
