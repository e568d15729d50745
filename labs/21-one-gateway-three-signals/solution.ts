/** Lab 21 reference solution: the reference gateway, applied (the gateway restarts with it). */
import { readFileSync } from 'node:fs';
import { labFile, type LabContext } from '../api.ts';

/** The reference gateway: memory limiter, health-check filter, batch, one exporter per backend. */
export const gateway = readFileSync(labFile('21-one-gateway-three-signals', 'reference-gateway.yaml'), 'utf8');

export default async function solution(ctx: LabContext): Promise<void> {
  await ctx.writeFile('otelcol/gateway.yaml', gateway);
  await ctx.apply();
}
