/**
 * Lab 24 — SLO burn-rate alerts. The student turns a 99.9 % availability SLO for the shop's checkout into
 * recording rules (the error ratio over 5m, 30m, 1h and 6h, and the burn rate over the last minute) and the SRE
 * workbook's two multi-window, multi-burn-rate alerts, with promtool unit tests; setup makes checkout fail at
 * a rate drawn per student.
 *
 * Where the truth comes from, and how real windows fit in a lab:
 * - The recorded ratios are compared with the same ratio computed from the shop's own counters at the same
 *   timestamps (exact for a right rule). A 6-hour rate over a shop that has run for minutes is still honest:
 *   both sides of the ratio are divided by the same window, so it is the ratio over the data there is.
 * - The burn rate over the last minute is compared with what setup injected (errorRate / budget) once a
 *   minute of the fault fills its window: a rate of random failures, so within the measurement's own spread.
 *   (A 5-minute burn rate would make every first check wait five minutes; the alerts' 5m ratio is checked
 *   against the shop's counters instead.)
 * - The alerts' behaviour over full windows (hours) is checked by the kit's own promtool scenarios
 *   (scenarios.test.yml beside this file), run against the student's rule file; live, the fast alert must
 *   fire for the injected fault, and the slow one must be active exactly when its windows, computed from the
 *   shop's counters at the rule's evaluation, say so (with hours of healthy history it waits; on a young
 *   stack it fires at once — both are right).
 */
import { alert, appFault, defineLab, labFile, recorded, rule, workspaceFile } from '../api.ts';
import { mistakes } from './mistakes.ts';
import setup from './setup.ts';
import solution from './solution.ts';

/** 99.9 % of checkouts succeed: the error budget is 1 - 0.999. */
const budget = 0.001;
const fast = 'CheckoutErrorBudgetFastBurn';
const slow = 'CheckoutErrorBudgetSlowBurn';
const rules = 'prometheus/rules/slo.yml';

/** The checkout's error ratio over a window, straight from the shop's counters. */
const directRatio = (window: string) =>
  `sum by (service, route) (rate(http_server_request_duration_seconds_count{service="shop", route="/checkout", status_code=~"5.."}[${window}])) / sum by (service, route) (rate(http_server_request_duration_seconds_count{service="shop", route="/checkout"}[${window}]))`;

/**
 * Evaluated at the same timestamp, a right rule and the direct query compute the same number from the same
 * samples (as in lab 4, where this measured 0 %); 1 % leaves room for a rule written another equivalent way,
 * and none for a ratio over the whole shop (a quarter of checkout's) or another window.
 */
const sameTimestamp = { on: ['service', 'route'], within: 0.01 };

/**
 * The burn rate against the injected one: at 5 checkouts a second a 1-minute window holds about 300 of them,
 * and the share that fails spreads by at most 7 % (relative, one standard deviation, sqrt((1 - e) / (e n)) for
 * the lowest injected e = 40 %); 25 % is 3.5 of those, and a burn rate against the wrong budget is off by 10×
 * or 1000×.
 */
const burnTolerance = { within: 0.25, windowMs: 60_000 };

const ratioObjective = (window: string, points: number) => ({
  id: `ratio-${window}-agrees`,
  title: `The checkout's error ratio over ${window} is recorded and agrees with the shop's counters at the same timestamps`,
  points,
  hint: `Record slo:checkout_errors:ratio_rate${window} as failing over all checkout requests per second, both rate(…[${window}]) over http_server_request_duration_seconds_count{service="shop", route="/checkout"} (status_code=~"5.." on top), summed by (service, route).`,
  check: recorded(`slo:checkout_errors:ratio_rate${window}`).agreesWith(directRatio(window), sameTimestamp),
  needs: ['rules-valid'],
  deadlineMs: 30_000,
});

export default defineLab({
  number: 24,
  slug: 'slo-burn-rate',
  module: '12-capstone',
  title: 'SLO burn-rate alerts',
  summary: "Turn a 99.9 % checkout SLO into error-ratio recording rules and multi-window, multi-burn-rate alerts, with promtool tests, and watch the fast one page for an injected outage.",
  services: ['prometheus', 'alertmanager', 'shop'],
  // The checks run promtool on your file, here in both runtimes.
  tools: ['promtool'],
  workspace: {
    yaml: [rules, 'prometheus/tests/slo.test.yml'],
    reload: ['prometheus'],
  },
  load: { script: 'shop.ts', rate: 5 },
  objectives: [
    {
      id: 'rules-valid',
      title: 'The SLO rule file holds the five recording rules and two alerts, and passes promtool check',
      points: 5,
      hint: 'Run promtool check rules workspace/prometheus/rules/slo.yml: it names the line and the problem.',
      check: workspaceFile(rules).promtoolAccepts({ rules: '>= 7' }),
      deadlineMs: 5_000,
    },
    {
      id: 'fast-alert-loaded',
      title: `An alerting rule named ${fast} is loaded`,
      points: 5,
      hint: `Add a rule with alert: ${fast} to the group in workspace/prometheus/rules/slo.yml.`,
      check: rule(fast).loaded(),
      needs: ['rules-valid'],
      deadlineMs: 15_000,
    },
    {
      id: 'slow-alert-loaded',
      title: `An alerting rule named ${slow} is loaded`,
      points: 5,
      hint: `Add a rule with alert: ${slow} to the group in workspace/prometheus/rules/slo.yml.`,
      check: rule(slow).loaded(),
      needs: ['rules-valid'],
      deadlineMs: 15_000,
    },
    {
      id: 'unit-tests-pass',
      title: 'Your promtool unit tests pass, and expect each alert to fire',
      points: 15,
      hint: 'In workspace/prometheus/tests/slo.test.yml, feed six healthy hours and then a burst of failures, and give each alert an alert_rule_test with exp_alerts at an eval_time after it should fire. Run: promtool test rules slo.test.yml (from that folder).',
      check: workspaceFile('prometheus/tests/slo.test.yml').promtoolTestsPass({ alert: [fast, slow] }),
      deadlineMs: 5_000,
    },
    {
      id: 'alerts-behave',
      title: "Over hours of made-up traffic, your alerts do what the SRE workbook's windows say (the lab's own promtool scenarios)",
      points: 20,
      hint: 'Each alert needs both its windows, joined with and: the long one (1h, 6h) so a blip does not page, the short one (5m, 30m) so it stops soon after the outage ends. Fast: 14.4 × budget; slow: 6 × budget; no long for: on the fast one. The failed scenario is named above.',
      check: workspaceFile(rules).passesScenarios(labFile('24-slo-burn-rate', 'scenarios.test.yml')),
      needs: ['rules-valid'],
      deadlineMs: 10_000,
    },
    ratioObjective('5m', 5),
    ratioObjective('30m', 5),
    ratioObjective('1h', 5),
    ratioObjective('6h', 5),
    {
      id: 'burn-rate-agrees',
      title: 'The recorded burn rate agrees with the injected fault (within 25 %), once a minute of it fills the window',
      points: 15,
      hint: 'The burn rate is the error ratio over the error budget: the checkout error ratio over [1m], divided by 0.001, the budget being 1 - 0.999 (not 0.999). A burn rate of 1 spends the budget exactly over the SLO period.',
      check: recorded('slo:checkout_error_budget:burn_rate1m').near(appFault('shop', '/checkout').burnRate(budget), burnTolerance),
      needs: ['rules-valid'],
      deadlineMs: 120_000,
    },
    {
      id: 'fast-burn-fires',
      title: `${fast} fires for the injected fault`,
      points: 10,
      hint: `It needs both slo:checkout_errors:ratio_rate1h and …_rate5m above 14.4 × 0.001 (and-ed, with the same labels on both sides). Prometheus → Alerts shows its state; the 1h window passes 14.4 within about two minutes of the fault.`,
      check: alert(fast).firing(),
      needs: ['fast-alert-loaded'],
      deadlineMs: 240_000,
    },
    {
      id: 'slow-burn-as-windows-say',
      title: `${slow} is active exactly when its 6h and 30m windows, read from the shop's counters, are both above 6 × budget`,
      points: 5,
      hint: 'Compare your slow alert in Prometheus → Alerts with the 6h and 30m ratios in the graph: it should be pending or firing when both pass 0.006, and only then.',
      check: alert(slow).activeWhen(`(${directRatio('6h')}) > ${6 * budget} and (${directRatio('30m')}) > ${6 * budget}`),
      needs: ['slow-alert-loaded'],
      deadlineMs: 60_000,
    },
  ],
  setup,
  solution,
  mistakes,
});
