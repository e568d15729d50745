/**
 * Lab 7 — Ship structured logs. The student configures a collector that tails the shop's JSON log file and
 * sends it to Loki with `level` (and `route`) as structured metadata, then finds which route logs the most
 * errors.
 *
 * Where the truth comes from: the shop's own log, as the stack runtime keeps it (appLog), never the lines the
 * student's shipper delivered — so a shipper that stamps every line `error` cannot turn "the route with the
 * most errors" into "the busiest route", and the level objective compares Loki's error lines, route by route,
 * with the error lines the shop itself wrote in the same window.
 */
import { answer, appLog, defineLab, logql } from '../api.ts';
import { mistakes } from './mistakes.ts';
import setup from './setup.ts';
import solution from './solution.ts';

/**
 * Loki's error lines per route against the shop's own, over the same window. Measured with the reference
 * shipper: identical counts per route in 20 s and 41 s windows (the window ends 10 s back, so lines still in
 * flight do not count). 10 % or 3 lines, whichever is larger, leaves room for a line at a window's edge and
 * fails a shipper that labels every line (3× and more) or drops lines. A route with no error line in Loki, or
 * more than the shop wrote, is final once the window spans 30 s: the check says so then, not at its deadline.
 */
const errorLinesAgree = appLog('shop').agreesWith('{service_name="shop"} | level="error"', { level: 'error', by: 'route', over: '5m', within: 0.1, settles: true });

export default defineLab({
  number: 7,
  slug: 'ship-structured-logs',
  module: '04-logs',
  title: 'Ship structured logs',
  summary: "Ship the shop's JSON logs to Loki through your own collector, with the level searchable, and find the route that logs the most errors.",
  services: ['loki', 'shop', 'log-shipper'],
  workspace: {
    yaml: ['otelcol/log-shipper.yaml', 'answers/07-ship-structured-logs.yaml'],
    reload: ['log-shipper'],
  },
  load: { script: 'shop.ts', rate: 5 },
  objectives: [
    {
      id: 'logs-arrive',
      title: "The shop's logs arrive in Loki as service_name=\"shop\"",
      points: 15,
      hint: 'Send the logs pipeline to an otlp_http exporter with endpoint ${env:LOKI_OTLP_ENDPOINT}, and make "shop" the resource attribute service.name (the JSON field "service" holds it).',
      check: logql('{service_name="shop"}', { over: '5m', sinceChange: true }).lines('>= 1'),
      deadlineMs: 45_000,
    },
    {
      id: 'level-searchable',
      title: 'The lines labelled level="error" are the shop’s error lines, found without parsing at query time',
      points: 15,
      hint: 'Parse each line with a json_parser operator: its fields become log attributes, which Loki keeps as structured metadata — then {service_name="shop"} | level="error" finds them.',
      check: errorLinesAgree,
      needs: ['logs-arrive'],
      deadlineMs: 90_000,
    },
    {
      id: 'route-searchable',
      title: 'Lines can be found by their route the same way',
      points: 5,
      hint: 'The same JSON parsing gives every line a route attribute; check with {service_name="shop"} | route="/cart".',
      check: logql('{service_name="shop"} | route="/cart"', { over: '5m', sinceChange: true }).lines('>= 1'),
      needs: ['logs-arrive'],
      deadlineMs: 45_000,
    },
    {
      id: 'noisiest-route',
      title: 'You found the route that logs the most errors',
      points: 20,
      hint: 'In Grafana Explore (or with logcli), count error lines per route over the last 10 minutes and write the top route, e.g. "/cart", as noisiest_error_route in workspace/answers/07-ship-structured-logs.yaml.',
      check: answer('noisiest_error_route').equals(appLog('shop').top('route', { level: 'error', over: '10m' }), { as: 'route' }),
      needs: ['logs-arrive'],
      deadlineMs: 20_000,
    },
  ],
  setup,
  solution,
  mistakes,
});
