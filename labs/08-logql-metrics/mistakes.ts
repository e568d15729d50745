/** Lab 8's realistic wrong work: the reference rule group with one slip each. */
import { slip, type Mistake } from '../api.ts';
import { rules } from './solution.ts';

const file = 'loki/rules/fake/shop.yaml';

export const mistakes: Mistake[] = [
  {
    id: 'rate-without-route',
    title: 'sums the error rate over every route (sum without by), so the recorded series has no route',
    fails: ['recorded-in-prometheus'],
    apply: (ctx) => ctx.writeFile(file, slip(rules, 'expr: sum by (route) (rate(', 'expr: sum(rate(')),
  },
  {
    id: 'recording-named-for-5m',
    title: 'names the recording rule route:shop_log_errors:rate5m, after the window in the docs, not the one asked for',
    fails: ['recording-rule-loaded'],
    apply: (ctx) => ctx.writeFile(file, slip(rules, 'record: route:shop_log_errors:rate1m', 'record: route:shop_log_errors:rate5m')),
  },
  {
    id: 'alert-named-otherwise',
    title: 'names the alert ShopLogErrorsHigh, which no route to the on-call team expects',
    fails: ['alert-loaded'],
    apply: (ctx) => ctx.writeFile(file, slip(rules, 'alert: ShopLogErrors', 'alert: ShopLogErrorsHigh')),
  },
];
