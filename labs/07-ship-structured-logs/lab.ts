/**
 * Lab 7 — Ship structured logs. The student configures a collector that tails the shop's JSON log file and
 * sends it to Loki with `level` (and `route`) as structured metadata, then finds which route logs the most
 * errors. The answer is graded against LogQL ground truth computed from the live logs at check time.
 */
import { answer, defineLab, logql } from '../api.ts';
import setup from './setup.ts';
import solution from './solution.ts';

export const noisiestRouteTruth = 'topk(1, sum by (route) (count_over_time({service_name="shop"} | json | level="error" [10m])))';

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
      check: logql('{service_name="shop"}', { over: '5m' }).lines('>= 1'),
      deadlineMs: 45_000,
    },
    {
      id: 'level-searchable',
      title: 'Error lines can be found by their level without parsing them at query time',
      points: 15,
      hint: 'Parse each line with a json_parser operator: its fields become log attributes, which Loki keeps as structured metadata — then {service_name="shop"} | level="error" finds them.',
      check: logql('{service_name="shop"} | level="error"', { over: '5m' }).lines('>= 1'),
      needs: ['logs-arrive'],
      deadlineMs: 45_000,
    },
    {
      id: 'route-searchable',
      title: 'Lines can be found by their route the same way',
      points: 5,
      hint: 'The same JSON parsing gives every line a route attribute; check with {service_name="shop"} | route="/cart".',
      check: logql('{service_name="shop"} | route="/cart"', { over: '5m' }).lines('>= 1'),
      needs: ['logs-arrive'],
      deadlineMs: 45_000,
    },
    {
      id: 'noisiest-route',
      title: 'You found the route that logs the most errors',
      points: 20,
      hint: 'In Grafana Explore (or with logcli), count error lines per route over the last 10 minutes and write the top route, e.g. "/cart", as noisiest_error_route in workspace/answers/07-ship-structured-logs.yaml.',
      check: answer('noisiest_error_route').equals(logql(noisiestRouteTruth).label('route')),
      needs: ['logs-arrive'],
      deadlineMs: 20_000,
    },
  ],
  setup,
  solution,
});
