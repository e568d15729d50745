/**
 * Lab 8 — Metrics from logs. The student writes rules for Loki's ruler: a recording rule that turns the shop's
 * error lines into a per-route rate (which the ruler writes into Prometheus) and an alerting rule on it, which
 * fires for the lab's injected fault and reaches Alertmanager. Only series the current rules wrote count: the
 * ruler's samples carry their evaluation time, and those from before the latest change are ignored.
 */
import { alertmanagerAlert, defineLab, lokiRule, recorded, workspaceFile } from '../api.ts';
import { mistakes } from './mistakes.ts';
import setup from './setup.ts';
import solution from './solution.ts';

export default defineLab({
  number: 8,
  slug: 'logql-metrics',
  module: '04-logs',
  title: 'Metrics from logs',
  summary: "Turn the shop's error logs into a per-route error rate with a Loki recording rule, and alert on it.",
  services: ['loki', 'prometheus', 'alertmanager', 'shop', 'log-shipper'],
  workspace: {
    yaml: ['loki/rules/fake/shop.yaml', 'otelcol/log-shipper.yaml'],
    reload: ['log-shipper'],
  },
  load: { script: 'shop.ts', rate: 5 },
  objectives: [
    {
      id: 'rules-valid',
      title: 'Your Loki rule file holds two rules',
      points: 5,
      hint: 'Loki rule files have the same shape as Prometheus ones: groups → name, rules → record/alert and expr.',
      check: workspaceFile('loki/rules/fake/shop.yaml').rules('>= 2'),
      deadlineMs: 2_000,
    },
    {
      id: 'recording-rule-loaded',
      title: "Loki's ruler runs a recording rule named route:shop_log_errors:rate1m",
      points: 10,
      hint: 'Name it exactly route:shop_log_errors:rate1m in workspace/loki/rules/fake/shop.yaml; Loki re-reads the folder every 10 s.',
      check: lokiRule('route:shop_log_errors:rate1m').loaded(),
      needs: ['rules-valid'],
      deadlineMs: 30_000,
    },
    {
      id: 'recorded-in-prometheus',
      title: 'The error rate per route arrives in Prometheus',
      points: 20,
      hint: 'The expression is a LogQL metric query: sum by (route) (rate({service_name="shop"} | json | level="error" [1m])). The ruler sends its result to Prometheus by remote write.',
      check: recorded('route:shop_log_errors:rate1m{route!=""}', { ruler: 'loki' }).count('>= 1'),
      needs: ['recording-rule-loaded'],
      deadlineMs: 60_000,
    },
    {
      id: 'alert-loaded',
      title: 'An alerting rule named ShopLogErrors is loaded in Loki',
      points: 10,
      hint: 'Add alert: ShopLogErrors to the same group, on the error rate of all routes together.',
      check: lokiRule('ShopLogErrors').loaded(),
      needs: ['rules-valid'],
      deadlineMs: 30_000,
    },
    {
      id: 'alert-reaches-alertmanager',
      title: 'ShopLogErrors fires for the injected fault and reaches Alertmanager',
      points: 15,
      hint: 'Fire when more than 0.05 error lines per second are logged, with a short "for" (30 s); Loki sends firing alerts to Alertmanager.',
      check: alertmanagerAlert({ alertname: 'ShopLogErrors' }).received(),
      needs: ['alert-loaded'],
      deadlineMs: 120_000,
    },
  ],
  setup,
  solution,
  mistakes,
});
