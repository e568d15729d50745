/**
 * The shop's shoppers (k6/shop.ts), plus a load balancer's health checks: GET /health on the shop every
 * HEALTH_EVERY (default 500ms). Each one is a span and a log line like any request — the noise lab 21's gateway
 * filters out.
 *
 *   PROFILE=average RATE=3 SHOP_URL=http://127.0.0.1:8080 k6 run k6/shop-with-health.ts
 */
import { check } from 'k6';
import http from 'k6/http';
import type { Options } from 'k6/options';
import { defaultThresholds, profile } from './lib/profiles.ts';
import shoppers from './shop.ts';

export { handleSummary } from './shop.ts';

const shop = __ENV.SHOP_URL ?? 'http://127.0.0.1:8080';
const every = __ENV.HEALTH_EVERY ?? '500ms';

export const options = {
  scenarios: {
    ...profile(),
    healthChecks: { executor: 'constant-arrival-rate', rate: 1, timeUnit: every, duration: __ENV.DURATION ?? '2h', preAllocatedVUs: 1, exec: 'healthCheck' },
  },
  thresholds: defaultThresholds,
} satisfies Options;

export default shoppers;

export function healthCheck() {
  check(http.get(`${shop}/health`, { tags: { route: '/health' } }), { 'shop is healthy': (r) => r.status === 200 });
}
