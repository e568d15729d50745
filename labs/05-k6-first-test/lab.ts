/**
 * Lab 5 — A first k6 test. The student writes a k6 test in TypeScript that walks the shop's main journey,
 * with checks and thresholds, and runs it with `npm run k6`: its metrics are remote-written to Prometheus,
 * where the checks find them by the lab's testid.
 */
import { defineLab, k6Script, promql } from '../api.ts';
import setup from './setup.ts';
import solution from './solution.ts';
import { mistakes } from './mistakes.ts';

const run = 'testid="05-k6-first-test"';

export default defineLab({
  number: 5,
  slug: 'k6-first-test',
  module: '03-load-testing',
  title: 'A first k6 test',
  summary: 'Write a k6 test in TypeScript with checks and thresholds, run it, and read its results in Prometheus.',
  services: ['prometheus', 'shop'],
  tools: ['k6'],
  workspace: { yaml: [], reload: [] },
  objectives: [
    {
      id: 'thresholds-defined',
      title: 'The test defines pass/fail thresholds',
      points: 15,
      hint: 'Export options with thresholds, e.g. http_req_failed: [\'rate<0.01\'] and http_req_duration: [\'p(95)<500\']. `k6 inspect` shows what k6 reads from your options.',
      check: k6Script('k6/first-test.ts').thresholds('>= 2'),
      deadlineMs: 10_000,
    },
    {
      id: 'run-recorded',
      title: 'A run of your test is recorded in Prometheus',
      points: 15,
      hint: 'Run it with npm run k6 -- workspace/k6/first-test.ts: that sends k6\'s metrics to Prometheus, tagged with this lab.',
      check: promql(`sum(k6_http_reqs_total{${run}})`).value('>= 20'),
      deadlineMs: 20_000,
    },
    {
      id: 'journey-covered',
      title: 'The test walks the whole journey: products, cart and checkout all answer',
      points: 20,
      hint: 'Each iteration should GET /products, POST an item to /cart (JSON body with cartId and productId) and POST /checkout for that cart.',
      check: promql(`count(count by (name) (k6_http_reqs_total{${run}, status=~"2.."}))`).value('>= 3'),
      needs: ['run-recorded'],
      deadlineMs: 20_000,
    },
    {
      id: 'checks-used',
      title: 'The test verifies responses with checks',
      points: 10,
      hint: "import { check } from 'k6' and assert each response's status: check(res, { 'status is 200': (r) => r.status === 200 }).",
      check: promql(`count(k6_checks_rate{${run}})`).value('>= 1'),
      needs: ['run-recorded'],
      deadlineMs: 20_000,
    },
    {
      id: 'fast-enough',
      title: 'The 95th percentile of your run stays under 500 ms',
      points: 10,
      hint: 'Keep the load modest (a few virtual users, a short sleep between iterations); compare k6_http_req_duration_p95 with your threshold.',
      check: promql(`max(k6_http_req_duration_p95{${run}})`).value('< 0.5'),
      needs: ['run-recorded'],
      deadlineMs: 20_000,
    },
  ],
  setup,
  solution,
  mistakes,
});
