/**
 * Lab 9 setup: the inventory refuses a share of the stock reservations (HTTP 500), drawn per student (20–35 %)
 * and kept when the lab is started again, so that some checkouts fail and the student's span has both outcomes
 * to tell apart. The rest of the stack runs without faults.
 */
import type { LabContext } from '../api.ts';

type Faults = Record<string, { latencyMs?: number; errorRate?: number }>;

export default async function setup(ctx: LabContext): Promise<void> {
  const current = (await (await fetch(`${ctx.endpoints.inventory}/admin/faults`)).json()) as Faults;
  const kept = current['/reserve']?.errorRate;
  const errorRate = kept !== undefined && kept >= 0.2 && kept <= 0.35 ? kept : Math.round((0.2 + Math.random() * 0.15) * 100) / 100;
  await ctx.setFaults('inventory', { '/reserve': { errorRate } });
  await ctx.setFaults('shop', {});
  ctx.log('the inventory refuses some stock reservations — instrument the checkout in workspace/shop/instrument.ts');
}
