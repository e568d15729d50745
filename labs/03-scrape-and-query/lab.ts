/**
 * Lab 3 — Scrape and query. The student adds the shop and the inventory as Prometheus scrape targets, with a
 * readable instance label, and answers four PromQL questions: a route's request rate across a restart, the
 * route with the highest p99, the shop's error ratio, and (with topk) the route with the most errors.
 *
 * Where the truth comes from: what setup drew, read back from the shop's fault settings at check time (which
 * route has the slow tail, how often /products and /checkout fail), with the load's fixed journey (five
 * shoppers a second: products, 1.5 cart items, checkout). Nothing the student scrapes or relabels changes
 * it, and the draw differs per student. The tolerances are the sampling noise of five minutes of that load.
 */
import { answer, appFaults, defineLab, target, targetLabels, type Objective, type ServiceFaults } from '../api.ts';
import { mistakes } from './mistakes.ts';
import setup, { requestsPerShopper, shoppersPerSecond } from './setup.ts';
import solution from './solution.ts';

const errorRate = (faults: ServiceFaults, route: string) => faults[route]?.errorRate ?? 0;

/**
 * /reserve is called once per checkout that passes the shop's fault (the cart never fails in this lab). The
 * inventory's restarts lose nothing (its counters reset just after a scrape), so rate() over them measures
 * the true rate. Five minutes of 1500 checkouts, of which 5–50 % fail, vary by 1–2.6 % (binomial): ±10 % is
 * nearly four standard deviations, and fails delta() (at least 60 % off: with restarts two minutes apart,
 * last minus first is at most two minutes' worth) and the whole service's rate (+50 % or more).
 */
const reserveRate = appFaults('shop').truth('the rate of checkouts that reach the inventory', (f) => shoppersPerSecond * requestsPerShopper['/checkout']! * (1 - errorRate(f, '/checkout')));

/** The route whose tail (more than 1 % of its requests slowed) adds the most: the top of the p99s. */
const slowestP99 = appFaults('shop').truth('the route with the slowest tail', (f) => {
  const p99Added = Object.entries(f).map(([route, fault]) => [route, (fault.latencyShare ?? 1) > 0.01 ? fault.latencyMs : 0] as const);
  const [first, second] = p99Added.sort((a, b) => b[1] - a[1]);
  return first && first[1] > (second?.[1] ?? 0) ? first[0] : undefined;
});

/**
 * The shop's 5xx share: each route's requests per shopper times its drawn error rate, over all requests.
 * Sampling noise over five minutes (5250 requests at a 10–20 % error share) is 0.4–0.55 points (one
 * standard deviation); ±2 points is over three and a half, and fails averaging the routes' ratios (7.5 points
 * or more off).
 */
const errorPercent = appFaults('shop').truth("the shop's drawn error share", (f) => {
  const all = Object.values(requestsPerShopper).reduce((a, b) => a + b, 0);
  return (100 * Object.entries(requestsPerShopper).reduce((sum, [route, n]) => sum + n * errorRate(f, route), 0)) / all;
});

/** The route with the most failures per second (its requests per shopper times its error rate). */
const topErrorRoute = appFaults('shop').truth('the route that fails most often', (f) => Object.entries(requestsPerShopper).sort(([a, x], [b, y]) => y * errorRate(f, b) - x * errorRate(f, a))[0]![0]);

const scraped = (service: 'shop' | 'inventory', port: number, points: number): Objective => ({
  id: `${service}-scraped`,
  title: `Prometheus scrapes the ${service}`,
  points,
  hint: `Add a scrape job named "${service}" to workspace/prometheus/scrape/shop.yml whose target is the ${service}'s address (127.0.0.1:${port} natively, ${service}:${port} with Docker). Status → Targets in Prometheus shows what it scrapes.`,
  check: target(service).up({ exposing: `http_server_request_duration_seconds_count{service="${service}"}` }),
  deadlineMs: 30_000,
});

export default defineLab({
  number: 3,
  slug: 'scrape-and-query',
  module: '02-metrics',
  title: 'Scrape and query',
  summary: 'Add the shop and the inventory as scrape targets with readable instance labels, and answer PromQL questions with rate, sum by, histogram_quantile and topk.',
  services: ['prometheus', 'shop'],
  workspace: {
    yaml: ['prometheus/scrape/shop.yml', 'answers/03-scrape-and-query.yaml'],
    reload: ['prometheus'],
  },
  load: { script: 'shop-with-restarts.ts', rate: shoppersPerSecond },
  objectives: [
    scraped('shop', 8080, 10),
    scraped('inventory', 8081, 10),
    {
      id: 'instances-readable',
      title: 'Each target has a readable instance label: instance="shop" and instance="inventory"',
      points: 10,
      hint: 'In each job, add relabel_configs with target_label: instance and replacement: the service name. Status → Targets shows the labels a target gets.',
      check: targetLabels({ shop: { instance: 'shop' }, inventory: { instance: 'inventory' } }),
      deadlineMs: 20_000,
    },
    {
      id: 'reserve-rate',
      title: "You found the inventory's /reserve request rate across its restarts (within 10 %)",
      points: 20,
      hint: 'Counters drop to zero when a service restarts; rate() knows and counts on from there. Sum rate(http_server_request_duration_seconds_count{instance="inventory", route="/reserve"}[5m]) over its series — only that route, and by your readable instance (an earlier job\'s series, named by address, stay in the window for five minutes).',
      check: answer('reserve_rate').near(reserveRate, { relative: 0.1 }),
      needs: ['inventory-scraped'],
      deadlineMs: 10_000,
    },
    {
      id: 'slowest-p99-route',
      title: 'You found the shop route with the highest p99 latency',
      points: 15,
      hint: 'histogram_quantile(0.99, sum by (route, le) (rate(http_server_request_duration_seconds_bucket{service="shop"}[5m]))) gives one p99 per route: keep le in the sum. The median tells another story.',
      check: answer('slowest_p99_route').equals(slowestP99, { as: 'route' }),
      needs: ['shop-scraped'],
      deadlineMs: 10_000,
    },
    {
      id: 'shop-error-percent',
      title: "You found the share of the shop's requests that fail with a 5xx (within 2 points)",
      points: 15,
      hint: 'Divide all of the shop\'s 5xx requests (status_code=~"5..") by all of its requests, each summed over every route: sum(rate(…5xx…[5m])) / sum(rate(…[5m])), times 100.',
      check: answer('shop_error_percent').near(errorPercent, { absolute: 2 }),
      needs: ['shop-scraped'],
      deadlineMs: 10_000,
    },
    {
      id: 'top-error-route',
      title: 'You found, with topk, the shop route that returns the most 5xx responses per second',
      points: 10,
      hint: 'topk(1, sum by (route) (rate(…{service="shop", status_code=~"5.."}[5m]))): sum by route first, so each route is one series.',
      check: answer('top_error_route').equals(topErrorRoute, { as: 'route' }),
      needs: ['shop-scraped'],
      deadlineMs: 10_000,
    },
  ],
  setup,
  solution,
  mistakes,
});
