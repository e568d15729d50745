/**
 * Lab 8 setup: checkout fails one time in five, so the shop logs errors. The rules need the shop's logs in
 * Loki: if the log shipper is not shipping yet (lab 7 teaches it), the reference shipper is put in place.
 */
import type { LabContext } from '../api.ts';
import { shipper } from '../07-ship-structured-logs/solution.ts';

export default async function setup(ctx: LabContext): Promise<void> {
  await ctx.setFaults('shop', { '/checkout': { errorRate: 0.2 } });
  const current = await ctx.readFile('otelcol/log-shipper.yaml').catch(() => '');
  if (!/otlp_?http/.test(current.replace(/#.*$/gm, ''))) {
    await ctx.replaceFile('otelcol/log-shipper.yaml', shipper);
    ctx.log("the shop's logs now go to Loki (workspace/otelcol/log-shipper.yaml, lab 7 explains it)");
  }
}
