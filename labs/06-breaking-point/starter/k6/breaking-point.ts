/**
 * Find the shop's breaking point: the request rate at which GET /products stops keeping its error budget.
 * Reference: https://grafana.com/docs/k6/latest/using-k6/scenarios/executors/ramping-arrival-rate/
 *            https://grafana.com/docs/k6/latest/using-k6/thresholds/
 * Run it with:  npm run k6 -- workspace/k6/breaking-point.ts
 * (that sends k6's metrics to Prometheus tagged testid="06-breaking-point", and sets SHOP_URL).
 *
 * TODO (lab 6):
 *   1. replace vus/duration with a scenario whose executor is 'ramping-arrival-rate': start below the shop's
 *      capacity (it lies between 30 and 60 requests per second) and climb slowly, about 1 to 2 requests per
 *      second more every second, to well above it;
 *   2. add the error budget as a threshold that stops the test when it breaks:
 *      http_req_failed: [{ threshold: 'rate<0.05', abortOnFail: true }];
 *   3. run it, find the rate in Prometheus, and write it in workspace/answers/06-breaking-point.yaml.
 */
import http from 'k6/http';
import type { Options } from 'k6/options';

export const options = {
  vus: 1,
  duration: '10s',
} satisfies Options;

const shop = __ENV.SHOP_URL ?? 'http://127.0.0.1:8080';

export default function () {
  http.get(`${shop}/products`);
}
