/**
 * Lab 7 reference solution: a shipper that parses each JSON line into attributes (kept by Loki as
 * structured metadata), names the service, and exports to Loki over OTLP — then the answer, found the way a
 * student would, with a LogQL query.
 */
import { readFileSync } from 'node:fs';
import { eventually, labFile, type LabContext } from '../api.ts';

/** The reference shipper: tail the shop's JSON log, parse it, send it to Loki over OTLP (lab 8 reuses it). */
export const shipper = readFileSync(labFile('07-ship-structured-logs', 'reference-log-shipper.yaml'), 'utf8');

/** Error lines per route over the last `seconds` (at most the ten minutes the check's truth covers). */
const errorsByRoute = (seconds: number) => `sum by (route) (count_over_time({service_name="shop"} | json | level="error" [${Math.min(600, Math.max(1, seconds))}s]))`;

export default async function solution(ctx: LabContext): Promise<void> {
  await ctx.writeFile('otelcol/log-shipper.yaml', shipper);
  await ctx.apply(); // restarts the shipper with this file
  // Count only what this shipper delivered: lines an earlier, wrong shipper labelled may still be in Loki.
  const shipped = Date.now();

  // Wait until the error lines have told a clear story (as a careful student would, before answering): enough
  // of them, and one route well ahead of the next — right after a start, a handful of lines can mislead.
  const url = () => `${ctx.endpoints.loki}/loki/api/v1/query?${new URLSearchParams({ query: errorsByRoute(Math.floor((Date.now() - shipped) / 1000)) })}`;
  const ranking = await eventually(
    async () =>
      ((await (await fetch(url())).json()) as { data: { result: { metric: { route?: string }; value: [number, string] }[] } }).data.result
        .map((r) => ({ route: r.metric.route, errors: Number(r.value[1]) }))
        .sort((x, y) => y.errors - x.errors),
    ([top, next]) => top?.route !== undefined && top.errors >= 10 && top.errors >= 2 * (next?.errors ?? 0),
    { timeoutMs: 120_000, intervalMs: 2000, what: 'a clear noisiest route in Loki' },
  );
  const route = ranking[0]!.route;
  await ctx.writeFile('answers/07-ship-structured-logs.yaml', `# Lab 7 answers\nnoisiest_error_route: "${route}"\n`);
  ctx.log(`answered: ${route}`);
}
