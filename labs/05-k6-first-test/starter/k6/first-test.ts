/**
 * Your first k6 test, in TypeScript (k6 runs .ts files as they are).
 * Reference: https://grafana.com/docs/k6/latest/using-k6/
 * Run it with:  npm run k6 -- workspace/k6/first-test.ts
 * (that sends k6's metrics to Prometheus, tagged with this lab, and sets SHOP_URL).
 *
 * TODO (lab 5):
 *   1. export options with a few virtual users, a duration, and thresholds (e.g. failed requests under 1 %,
 *      p(95) of request duration under 500 ms);
 *   2. walk the whole journey in each iteration: GET /products, POST /cart, POST /checkout;
 *   3. check() each response's status.
 */
import http from 'k6/http';

const shop = __ENV.SHOP_URL ?? 'http://127.0.0.1:8080';

export default function () {
  http.get(`${shop}/products`);
}
