/**
 * Lab 12 setup: shape the traffic so each question has one clear answer, different per student.
 *
 *   - one of the inventory's routes (drawn) gets a slow tail: 10 % of its calls take 600 ms longer, which puts
 *     its edge's p95 far above the other's;
 *   - the other inventory route gets 150 ms on every call: the higher median, which a p50 answer would name;
 *   - the shop's /checkout fails at a drawn rate, 20–45 % (the rest of the shop does not fail).
 *
 * The draw lives in the services' fault settings and is kept when the lab is started again.
 */
import type { LabContext } from '../api.ts';

export const inventoryRoutes = ['/stock', '/reserve'] as const;
export const tail = { latencyMs: 600, latencyShare: 0.1 };
export const steady = { latencyMs: 150 };
/** Calls slower than this are the tail's, and only the tail's. */
export const tailThresholdMs = 500;

type Faults = Record<string, { latencyMs?: number; latencyShare?: number; errorRate?: number }>;

const between = (low: number, high: number) => Math.round((low + Math.random() * (high - low)) * 100) / 100;

/** A fresh draw: the inventory's faults (which route has the tail) and the shop's (how often /checkout fails). */
export function drawShape(): { inventory: Faults; shop: Faults } {
  const slow = inventoryRoutes[Math.floor(Math.random() * inventoryRoutes.length)]!;
  const other = inventoryRoutes.find((r) => r !== slow)!;
  return { inventory: { [slow]: { ...tail }, [other]: { ...steady } }, shop: { '/checkout': { errorRate: between(0.2, 0.45) } } };
}

const faultsOf = async (url: string) => (await (await fetch(`${url}/admin/faults`)).json()) as Faults;

export default async function setup(ctx: LabContext): Promise<void> {
  const [inventory, shop] = [await faultsOf(ctx.endpoints.inventory!), await faultsOf(ctx.endpoints.shop!)];
  // This lab's draw is a tail on one inventory route and the 150 ms on the other: keep it, so starting again
  // does not change the answers.
  const drawn = inventoryRoutes.every((r) => inventory[r]?.latencyMs === tail.latencyMs || inventory[r]?.latencyMs === steady.latencyMs) && Object.values(inventory).some((f) => f.latencyShare === tail.latencyShare) && (shop['/checkout']?.errorRate ?? 0) >= 0.2;
  const shape = drawn ? { inventory, shop } : drawShape();
  await ctx.setFaults('inventory', shape.inventory);
  await ctx.setFaults('shop', shape.shop);
  ctx.log("one of the inventory's routes has a slow tail and the shop's checkout fails now and then — Tempo's generator is still off");
}
