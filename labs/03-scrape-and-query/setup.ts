/**
 * Lab 3 setup: shape the shop's traffic per student, so the answers differ from a neighbour's.
 *
 *   - one shop route gets a slow tail (5 % of its requests take 400 ms longer): the highest p99;
 *   - another gets 60 ms on every request: the highest median, which a p50 answer would name instead;
 *   - /products and /checkout fail at two drawn error rates, one high and one low (which is which is drawn).
 *
 * The draw lives in the shop's fault settings and is kept when the lab is started again. The shop's counters
 * are reset (at its next scrape, as a restart would), so no series of an earlier lab's faults remains; the
 * lab's load (k6/shop-with-restarts.ts) then restarts the inventory's counters every two minutes.
 */
import type { LabContext } from '../api.ts';

/** The shoppers' arrival rate (iterations per second) and what one iteration requests, per shop route (k6/shop.ts). */
export const shoppersPerSecond = 5;
export const requestsPerShopper: Record<string, number> = { '/products': 1, '/cart': 1.5, '/checkout': 1 };

/** The tail that makes a route's p99 the highest, and the steady delay that makes another's median the highest. */
export const tail = { latencyMs: 400, latencyShare: 0.05 };
export const steady = { latencyMs: 60 };

const routes = Object.keys(requestsPerShopper);
const pick = <T>(values: T[]) => values[Math.floor(Math.random() * values.length)]!;
const between = (low: number, high: number) => Math.round((low + Math.random() * (high - low)) * 100) / 100;

type Faults = Record<string, { latencyMs?: number; latencyShare?: number; errorRate?: number }>;

/** A fresh draw: which route has the tail, which the steady delay, and how often /products and /checkout fail. */
export function drawShape(): Faults {
  const tailRoute = pick(routes);
  const steadyRoute = pick(routes.filter((r) => r !== tailRoute));
  const [high, low] = [between(0.3, 0.5), between(0.05, 0.2)];
  const [products, checkout] = Math.random() < 0.5 ? [high, low] : [low, high];
  const faults: Faults = Object.fromEntries(routes.map((r) => [r, {}]));
  Object.assign(faults[tailRoute]!, tail);
  Object.assign(faults[steadyRoute]!, steady);
  Object.assign(faults['/products']!, { errorRate: products });
  Object.assign(faults['/checkout']!, { errorRate: checkout });
  return faults;
}

export default async function setup(ctx: LabContext): Promise<void> {
  const current = (await (await fetch(`${ctx.endpoints.shop}/admin/faults`)).json()) as Record<string, { latencyShare?: number }>;
  // This lab's draw is the one with a tail (latencyShare): keep it, so starting again does not change the answers.
  const drawn = Object.values(current).some((fault) => fault.latencyShare !== undefined);
  if (!drawn) await ctx.setFaults('shop', drawShape());
  await ctx.setFaults('inventory', {});
  // "Restart" the shop: its counters start from zero at its next scrape, so only this lab's traffic is in them.
  if (!drawn) await fetch(`${ctx.endpoints.shop}/admin/restart`, { method: 'POST' });
  ctx.log('the shop has a slow route and two failing ones; the inventory restarts every two minutes');
}
