/**
 * Lab 6 — Breaking point. The shop's catalogue has a capacity limit drawn per student (setup.ts). The student
 * writes a k6 test that ramps the arrival rate with the error budget as an aborting threshold, runs it with
 * `npm run k6` (metrics remote-written with the lab's testid), and reports the rate at which the budget broke.
 *
 * Where the truth comes from: the script as `k6 inspect` reads it; the run's requests as k6 remote-wrote them,
 * counted only since the script was last saved (older runs carry the same testid); the shop's own counters, as
 * Prometheus scrapes them, for the requests it shed during that run; and the capacity setup drew, as the shop
 * itself runs with it, for the answer.
 */
import { answer, appFault, defineLab, k6Script, sinceSaved } from '../api.ts';
import { mistakes } from './mistakes.ts';
import setup from './setup.ts';
import solution, { scriptPath } from './solution.ts';

const run = 'testid="06-breaking-point"';
/** The shop's own count of catalogue requests it shed over capacity (HTTP 503). */
const shed = 'http_server_request_duration_seconds_count{service="shop", route="/products", status_code="503"}';

/**
 * Positive when the shop shed requests within `range` (since the script was saved): its count rose above the
 * last value before the range (or there was none), or it started again below that value — the shop was
 * restarted since (every lab:start may restart it), and the new process's count exists only once it sheds.
 */
const shedWithin = (range: string) => {
  const within = `sum(max_over_time(${shed}[${range}]))`;
  const before = `sum(last_over_time(${shed}[1h] offset ${range}))`;
  return `(${within} - (${before} or vector(0)) > 0) or (${within} and sum(min_over_time(${shed}[${range}])) < ${before})`;
};

/**
 * The reference reads the shop's capacity from its served-rate plateau within a few percent (rate over 3 s
 * windows of 1 s pushes); 10 % leaves room for that, and none for the run's average (a quarter below) or for
 * a rate held far above the limit.
 */
const tolerance = { relative: 0.1 };

export default defineLab({
  number: 6,
  slug: 'breaking-point',
  module: '03-load-testing',
  title: 'Breaking point',
  summary: 'Ramp the arrival rate with k6 until the shop breaks its error budget, stop there with a threshold, and report the rate.',
  services: ['prometheus', 'shop'],
  tools: ['k6'],
  workspace: {
    yaml: ['prometheus/scrape/shop.yml', 'answers/06-breaking-point.yaml'],
    reload: ['prometheus'],
  },
  objectives: [
    {
      id: 'ramping-scenario',
      title: 'The test ramps its arrival rate up (a ramping-arrival-rate scenario)',
      points: 15,
      hint: "Give options a scenario with executor: 'ramping-arrival-rate', a startRate below the shop's capacity, timeUnit: '1s', and stages that climb well above it. `k6 inspect workspace/k6/breaking-point.ts` shows what k6 reads.",
      check: k6Script(scriptPath).rampsArrivalRate(),
      deadlineMs: 10_000,
    },
    {
      id: 'aborts-on-errors',
      title: 'The error budget (at most 5 % failed requests) stops the test when it breaks',
      points: 20,
      hint: "Write the threshold in its object form: http_req_failed: [{ threshold: 'rate<0.05', abortOnFail: true }]. A threshold on latency does not see a shop that fails fast.",
      check: k6Script(scriptPath).abortsOnRate('http_req_failed', { rateAtMost: 0.05 }),
      deadlineMs: 10_000,
    },
    {
      id: 'run-recorded',
      title: 'A run of your current script is recorded in Prometheus with the lab\'s testid',
      points: 15,
      hint: 'Run it with npm run k6 -- workspace/k6/breaking-point.ts after your last edit: that tags every metric testid="06-breaking-point". Do not set a testid of your own in the script\'s tags.',
      check: sinceSaved(scriptPath)
        .promql((range) => `sum(max_over_time(k6_http_reqs_total{${run}}[${range}]))`)
        .value('>= 50'),
      deadlineMs: 20_000,
    },
    {
      id: 'shop-broke',
      title: 'Your run drove the shop past its capacity: the shop itself shed requests',
      points: 20,
      hint: 'Ramp above the capacity (it lies between 30 and 60 requests per second). The shop counts what it sheds: http_server_request_duration_seconds_count{route="/products", status_code="503"}.',
      check: sinceSaved(scriptPath).promql(shedWithin).value('> 0'),
      needs: ['run-recorded'],
      deadlineMs: 30_000,
    },
    {
      id: 'breaking-rate',
      title: 'You found the rate at which the shop breaks its error budget (within 10 %)',
      points: 30,
      hint: 'Below its capacity the shop serves all you send; above it, no more than its capacity. In Prometheus, graph the rate of successful requests of your run, sum(rate(k6_http_reqs_total{testid="06-breaking-point", expected_response="true"}[3s])), and read where it levels off while requests fail. Not the average rate of k6\'s summary.',
      check: answer('breaking_rate').near(appFault('shop', '/products').capacity(), tolerance),
      needs: ['shop-broke'],
      deadlineMs: 10_000,
    },
  ],
  setup,
  solution,
  mistakes,
});
