/**
 * Lab 7 reference solution: a shipper that parses each JSON line into attributes (kept by Loki as
 * structured metadata), names the service, and exports to Loki over OTLP — then the answer, found the way a
 * student would, with a LogQL query.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { eventually, type LabContext } from '../api.ts';

/** The reference shipper: tail the shop's JSON log, parse it, send it to Loki over OTLP (lab 8 reuses it). */
export const shipper = readFileSync(fileURLToPath(new URL('./reference-log-shipper.yaml', import.meta.url)), 'utf8');

const noisiestRoute = 'topk(1, sum by (route) (count_over_time({service_name="shop"} | level="error" [10m])))';

export default async function solution(ctx: LabContext): Promise<void> {
  await ctx.writeFile('otelcol/log-shipper.yaml', shipper);
  await ctx.apply(); // restarts the shipper with this file

  // Wait for error lines to arrive, then ask Loki which route has the most.
  const url = `${ctx.endpoints.loki}/loki/api/v1/query?${new URLSearchParams({ query: noisiestRoute })}`;
  const route = await eventually(
    async () => ((await (await fetch(url)).json()) as { data: { result: { metric: { route?: string } }[] } }).data.result[0]?.metric.route,
    (found) => found !== undefined,
    { timeoutMs: 90_000, intervalMs: 2000, what: 'error lines in Loki' },
  );
  await ctx.writeFile('answers/07-ship-structured-logs.yaml', `# Lab 7 answers\nnoisiest_error_route: "${route}"\n`);
  ctx.log(`answered: ${route}`);
}
