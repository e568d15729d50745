/**
 * Lab 21 setup: the shop and the inventory send all three signals to the student's gateway instead of the
 * kit's collector. Every lab start points them back (lifecycle/start.ts), so no other lab sees a gateway.
 */
import type { LabContext } from '../api.ts';

export default async function setup(ctx: LabContext): Promise<void> {
  await ctx.routeTelemetry('gateway');
  ctx.log("the shop and the inventory now send their traces, logs and metrics to your gateway (workspace/otelcol/gateway.yaml)");
}
