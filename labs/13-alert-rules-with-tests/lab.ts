/**
 * Lab 13 — Alert rules with tests. The student writes an alerting rule for the shop's error ratio, proves it
 * with a promtool unit test, and watches it fire for real when the lab's injected fault breaks checkout.
 */
import { alert, alertmanagerAlert, defineLab, promql, rule, workspaceFile } from '../api.ts';
import setup from './setup.ts';
import solution from './solution.ts';
import { mistakes } from './mistakes.ts';

export default defineLab({
  number: 13,
  slug: 'alert-rules-with-tests',
  module: '07-alerting',
  title: 'Alert rules with tests',
  summary: "Write an alert on the shop's error ratio, unit-test it with promtool, and see it fire for the injected fault.",
  services: ['prometheus', 'alertmanager', 'shop'],
  // The checks run promtool on your file, here in both runtimes.
  tools: ['promtool'],
  workspace: {
    yaml: ['prometheus/rules/alerts.yml', 'prometheus/tests/alerts.test.yml'],
    reload: ['prometheus'],
  },
  load: { script: 'shop.ts', rate: 5 },
  objectives: [
    {
      id: 'rules-valid',
      title: 'The alert rule file holds a rule and passes promtool check',
      points: 10,
      hint: 'Run promtool check rules workspace/prometheus/rules/alerts.yml: it names the line and the problem.',
      check: workspaceFile('prometheus/rules/alerts.yml').promtoolAccepts({ rules: '>= 1' }),
      deadlineMs: 5_000,
    },
    {
      id: 'alert-loaded',
      title: 'An alerting rule named ShopHighErrorRate is loaded',
      points: 10,
      hint: 'Add a rule with alert: ShopHighErrorRate to a group in workspace/prometheus/rules/alerts.yml.',
      check: rule('ShopHighErrorRate').loaded(),
      needs: ['rules-valid'],
      deadlineMs: 15_000,
    },
    {
      id: 'unit-tests-pass',
      title: 'Your promtool unit test proves the alert fires on a high error ratio',
      points: 20,
      hint: 'In workspace/prometheus/tests/alerts.test.yml, feed input_series where 1 request in 10 fails, and expect ShopHighErrorRate in exp_alerts at an eval_time after its "for" duration. Run: promtool test rules alerts.test.yml (from that folder).',
      check: workspaceFile('prometheus/tests/alerts.test.yml').promtoolTestsPass({ alert: 'ShopHighErrorRate' }),
      deadlineMs: 5_000,
    },
    {
      id: 'alert-fires',
      title: 'ShopHighErrorRate fires for the injected fault',
      points: 20,
      hint: 'The rule should compare 5xx requests with all requests per route over a short window (1m), above 0.05, with a short "for" (30s–1m). Prometheus → Alerts shows its state.',
      check: alert('ShopHighErrorRate').firing(),
      needs: ['alert-loaded'],
      deadlineMs: 150_000,
    },
    {
      id: 'alert-routed',
      title: 'The firing alert reaches Alertmanager with severity="page" and the failing route',
      points: 15,
      hint: 'Give the rule labels: severity: page, and keep the route label in the expression (sum by (route)), so the page says where it hurts.',
      check: alertmanagerAlert({ alertname: 'ShopHighErrorRate', severity: 'page' }).received(),
      needs: ['alert-fires'],
      deadlineMs: 30_000,
    },
    {
      id: 'route-labelled',
      title: 'The alert names the route that fails',
      points: 5,
      hint: 'Aggregate by route, not by everything: sum by (route) (…) / sum by (route) (…).',
      check: promql('ALERTS{alertname="ShopHighErrorRate", alertstate="firing", route="/checkout"}').count('>= 1'),
      needs: ['alert-fires'],
      deadlineMs: 30_000,
    },
  ],
  setup,
  solution,
  mistakes,
});
