/**
 * Lab 4 — RED recording rules. The student adds the shop as a scrape target and writes recording rules for
 * per-route request rate and p95 latency; the checks compare the recorded series with direct queries.
 *
 * Where the truth comes from: the shop's own histogram as Prometheus scrapes it. The direct queries below are
 * evaluated at the timestamps of the student's recorded samples, so a right rule agrees to rounding; only the
 * series the current rules wrote count (older rules' series are ignored at once).
 */
import { defineLab, recorded, rule, target, workspaceFile } from '../api.ts';
import { mistakes } from './mistakes.ts';
import setup from './setup.ts';
import solution from './solution.ts';

/** Direct queries the recorded series must agree with (same labels, same windows). */
const directRate = 'sum by (service, route) (rate(http_server_request_duration_seconds_count{service="shop"}[1m]))';
const directP95 = 'histogram_quantile(0.95, sum by (service, route, le) (rate(http_server_request_duration_seconds_bucket{service="shop"}[1m])))';
const rateSeries = 'service_route:http_server_requests:rate1m{service="shop"}';
const p95Series = 'service_route:http_server_request_duration_seconds:p95_1m{service="shop"}';

/**
 * Evaluated at the same timestamp, a right rule and the direct query compute the same number from the same
 * samples: measured with the reference solution, 0 % on every route, rate and p95 alike, over several checks.
 * 1 % leaves room for a sample the rule missed by a millisecond, and none for rate × 1.2.
 */
const sameTimestamp = { on: ['service', 'route'], within: 0.01 };

export default defineLab({
  number: 4,
  slug: 'red-recording-rules',
  module: '02-metrics',
  title: 'RED recording rules',
  summary: 'Scrape the demo shop and record its per-route request rate and p95 latency with recording rules.',
  services: ['prometheus', 'shop'],
  // The checks run promtool on your file, here in both runtimes.
  tools: ['promtool'],
  workspace: {
    yaml: ['prometheus/scrape/shop.yml', 'prometheus/rules/red.yml'],
    reload: ['prometheus'],
  },
  load: { script: 'shop.ts', rate: 5 },
  objectives: [
    {
      id: 'shop-scraped',
      title: 'Prometheus scrapes the shop',
      points: 10,
      hint: 'Add a scrape job named "shop" to workspace/prometheus/scrape/shop.yml whose target is the shop\'s address (127.0.0.1:8080 natively, shop:8080 with Docker). Status → Targets in Prometheus shows what it scrapes.',
      check: target('shop').up({ exposing: 'http_server_request_duration_seconds_count{service="shop"}' }),
      deadlineMs: 30_000,
    },
    {
      id: 'rules-valid',
      title: 'The rule file holds two rules and passes promtool',
      points: 10,
      hint: 'Run promtool check rules on workspace/prometheus/rules/red.yml: it names the line and what is wrong.',
      check: workspaceFile('prometheus/rules/red.yml').promtoolAccepts({ rules: '>= 2' }),
      deadlineMs: 5_000,
    },
    {
      id: 'rate-rule-loaded',
      title: 'A recording rule named service_route:http_server_requests:rate1m is loaded',
      points: 10,
      hint: 'Name the rule exactly service_route:http_server_requests:rate1m (level:metric:operations), in a group of workspace/prometheus/rules/red.yml.',
      check: rule('service_route:http_server_requests:rate1m').loaded(),
      needs: ['rules-valid'],
      deadlineMs: 15_000,
    },
    {
      id: 'rate-recorded',
      title: 'The request rate is recorded for every route of the shop',
      points: 15,
      hint: 'Aggregate with sum by (service, route) over rate(http_server_request_duration_seconds_count[1m]), keeping the service and route labels.',
      check: recorded(rateSeries).count('>= 3'),
      needs: ['shop-scraped', 'rate-rule-loaded'],
      deadlineMs: 60_000,
    },
    {
      id: 'rate-agrees',
      title: 'The recorded request rate agrees with a direct query at the same timestamps (within 1 %)',
      points: 15,
      hint: `Compare your rule in Prometheus's graph with ${directRate}: the windows and labels should be the same.`,
      check: recorded(rateSeries).agreesWith(directRate, sameTimestamp),
      needs: ['rate-recorded'],
      deadlineMs: 30_000,
    },
    {
      id: 'p95-recorded',
      title: 'The p95 latency is recorded for every route of the shop',
      points: 15,
      hint: 'Record service_route:http_server_request_duration_seconds:p95_1m with histogram_quantile(0.95, …) over the _bucket series, summed by (service, route, le).',
      check: recorded(p95Series).count('>= 3'),
      needs: ['shop-scraped', 'rules-valid'],
      deadlineMs: 60_000,
    },
    {
      id: 'p95-agrees',
      title: 'The recorded p95 agrees with a direct query at the same timestamps (within 1 %)',
      points: 15,
      hint: 'Keep le in the sum before histogram_quantile, and use the same 1m window as the direct query.',
      check: recorded(p95Series).agreesWith(directP95, sameTimestamp),
      needs: ['p95-recorded'],
      deadlineMs: 30_000,
    },
  ],
  setup,
  solution,
  mistakes,
});
