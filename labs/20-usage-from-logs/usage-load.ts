/**
 * Lab 20's load: signed-in shoppers whose browser reports which features they used, in small batches, to the
 * shop's POST /usage. One event in five was held back by the browser (a tab in the background, a flaky
 * connection) and reaches the shop 30 to 45 s after it happened, dated when it happened. Run by `lab:start 20`:
 *
 *   PROFILE=average RATE=3 SHOP_URL=http://127.0.0.1:8080 k6 run labs/20-usage-from-logs/usage-load.ts
 */
import { check } from 'k6';
import exec from 'k6/execution';
import http from 'k6/http';
import type { Options } from 'k6/options';
import { defaultThresholds, profile } from '../../k6/lib/profiles.ts';
import { summaryOutputs } from '../../k6/lib/summary.ts';

export const options = {
  scenarios: profile(),
  thresholds: defaultThresholds,
} satisfies Options;

const shop = __ENV.SHOP_URL ?? 'http://127.0.0.1:8080';
/** Features by plan: every plan searches; the paid ones compare and gift-wrap more. */
const features: Record<string, string[]> = {
  free: ['search', 'search', 'wishlist', 'reviews'],
  pro: ['search', 'compare', 'compare', 'wishlist', 'reviews'],
  team: ['search', 'compare', 'gift-wrap', 'gift-wrap', 'bulk-order'],
};
const plans = ['free', 'free', 'free', 'pro', 'pro', 'team'];
const pick = <T>(list: T[]): T => list[Math.floor(Math.random() * list.length)]!;

export default function () {
  const n = exec.scenario.iterationInTest;
  const user = `u-${1 + (n % 40)}`;
  const plan = plans[(n % 40) % plans.length]!;
  const now = Date.now();
  const events = Array.from({ length: 1 + Math.floor(Math.random() * 3) }, () => ({
    feature: pick(features[plan]!),
    at: new Date(Math.random() < 0.2 ? now - 30_000 - Math.floor(Math.random() * 15_000) : now).toISOString(),
  }));
  const sent = http.post(`${shop}/usage`, JSON.stringify({ user, plan, events }), { headers: { 'content-type': 'application/json' }, tags: { route: '/usage' } });
  check(sent, { 'events accepted': (r) => r.status === 202 });
}

export function handleSummary(data: Parameters<typeof summaryOutputs>[0]) {
  return summaryOutputs(data);
}
