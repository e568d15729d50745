/** Lab 5 setup: a healthy shop — no injected faults, so the student's thresholds measure the shop as it is. */
import type { LabContext } from '../api.ts';

export default async function setup(ctx: LabContext): Promise<void> {
  await ctx.setFaults('shop', {});
  await ctx.setFaults('inventory', {});
}
