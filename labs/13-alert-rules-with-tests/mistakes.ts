/**
 * Lab 13's realistic wrong work: the reference rule and test with one slip each, of the kind promtool and
 * Prometheus catch only if someone asks them.
 */
import { slip, type LabContext, type Mistake } from '../api.ts';
import { rules, tests } from './solution.ts';

const write = async (ctx: LabContext, rule: string, test: string) => {
  await ctx.writeFile('prometheus/rules/alerts.yml', rule);
  await ctx.writeFile('prometheus/tests/alerts.test.yml', test);
};

export const mistakes: Mistake[] = [
  {
    id: 'alert-named-otherwise',
    title: 'names the alert ShopErrorRate (in rule and test alike) instead of the ShopHighErrorRate the runbook links to',
    fails: ['alert-loaded'],
    apply: (ctx) => write(ctx, slip(rules, 'alert: ShopHighErrorRate', 'alert: ShopErrorRate'), tests.replaceAll('alertname: ShopHighErrorRate', 'alertname: ShopErrorRate')),
  },
  {
    id: 'test-ignores-for',
    title: "expects the alert in the unit test before its 'for' duration has passed",
    fails: ['unit-tests-pass'],
    apply: (ctx) => write(ctx, rules, slip(tests, '      - eval_time: 20s\n        alertname: ShopHighErrorRate\n        exp_alerts: []\n      - eval_time: 3m', '      - eval_time: 20s')),
  },
  {
    id: 'rule-file-path-from-the-repo',
    title: 'points the test at the rule file from the repository root, not from the test file',
    fails: ['unit-tests-pass'],
    apply: (ctx) => write(ctx, rules, slip(tests, '  - ../rules/alerts.yml', '  - workspace/prometheus/rules/alerts.yml')),
  },
];
