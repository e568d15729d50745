/**
 * Lab 4 setup: the starter files are already in the workspace. Make checkout a little slow, so the p95 of
 * each route differs and a rule that mixes routes up shows it.
 */
import type { LabContext } from '../api.ts';

export default async function setup(ctx: LabContext): Promise<void> {
  await ctx.setFaults('shop', { '/checkout': { latencyMs: 120 } });
  ctx.log('checkout now takes an extra 120 ms');
}
