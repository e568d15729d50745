/**
 * Lab 10 setup: one of the inventory's routes gets 350 ms slower, drawn at random per student and kept across
 * restarts, so the answer cannot be copied from a neighbour.
 */
import type { LabContext } from '../api.ts';

const candidates = ['/stock', '/reserve'];

export default async function setup(ctx: LabContext): Promise<void> {
  const current = (await (await fetch(`${ctx.endpoints.inventory}/admin/faults`)).json()) as Record<string, { latencyMs: number }>;
  const slow = Object.entries(current).find(([, fault]) => fault.latencyMs >= 300)?.[0] ?? candidates[Math.floor(Math.random() * candidates.length)]!;
  await ctx.setFaults('inventory', { [slow]: { latencyMs: 350 } });
  await ctx.setFaults('shop', {});
  ctx.log('something in the shop got slow — find out what with TraceQL');
}
