/**
 * Lab 10 reference solution: the two TraceQL searches a student would run in Grafana's Explore (or with
 * curl), and the answers they give.
 */
import { eventually, type LabContext } from '../api.ts';

/** A TraceQL search over the last ten minutes, as Explore runs it. */
export async function search(ctx: LabContext, q: string): Promise<{ rootTraceName?: string; spanSet?: { spans: { name?: string }[] } }[]> {
  const now = Math.floor(Date.now() / 1000);
  const params = new URLSearchParams({ q, start: String(now - 600), end: String(now + 60), limit: '20' });
  const body = (await (await fetch(`${ctx.endpoints.tempo}/api/search?${params}`)).json()) as { traces?: [] };
  return body.traces ?? [];
}

export default async function solution(ctx: LabContext): Promise<void> {
  const [operation, call] = await eventually(
    async () => [
      (await search(ctx, '{ resource.service.name = "shop" && kind = server && duration > 300ms }'))[0]?.rootTraceName,
      (await search(ctx, '{ resource.service.name = "shop" && kind = client && duration > 300ms } | select(name)'))[0]?.spanSet?.spans[0]?.name,
    ],
    ([o, c]) => o !== undefined && c !== undefined,
    { timeoutMs: 90_000, intervalMs: 2000, what: 'slow traces in Tempo' },
  );
  await ctx.writeFile('answers/10-traceql-investigation.yaml', `slow_operation: "${operation}"\nslow_call: "${call}"\n`);
  ctx.log(`answered: ${operation} is slow because of ${call}`);
}
