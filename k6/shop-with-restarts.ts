/**
 * The shop's shoppers (k6/shop.ts), plus a crash-looping inventory: every RESTART_EVERY (default 2m) the
 * inventory's counters start again from zero, as a restart of its process would make them (POST
 * /admin/restart, applied at its next scrape). Lab 3 uses it: a rate over a window with a restart in it is
 * right only through rate() or increase(), which handle counter resets.
 *
 *   PROFILE=average RATE=5 SHOP_URL=http://127.0.0.1:8080 INVENTORY_URL=http://127.0.0.1:8081 k6 run k6/shop-with-restarts.ts
 */
import { check } from 'k6';
import http from 'k6/http';
import type { Options } from 'k6/options';
import { defaultThresholds, profile } from './lib/profiles.ts';
import shoppers from './shop.ts';

export { handleSummary } from './shop.ts';

const inventory = __ENV.INVENTORY_URL ?? 'http://127.0.0.1:8081';
const every = __ENV.RESTART_EVERY ?? '2m';

export const options = {
  scenarios: {
    ...profile(),
    // One restart per period: the first at the start, then every period for as long as the shoppers run.
    restarts: { executor: 'constant-arrival-rate', rate: 1, timeUnit: every, duration: __ENV.DURATION ?? '2h', preAllocatedVUs: 1, exec: 'restartInventory' },
  },
  thresholds: defaultThresholds,
} satisfies Options;

export default shoppers;

export function restartInventory() {
  check(http.post(`${inventory}/admin/restart`, null, { tags: { route: '/admin/restart' } }), { 'inventory restart requested': (r) => r.status === 202 });
}
