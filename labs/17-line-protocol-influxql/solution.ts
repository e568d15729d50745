/**
 * Lab 17 reference solution: humidity points in line protocol (room as a tag, percent as a float), loaded
 * over the HTTP API, and the two answers found with InfluxQL.
 */
import type { LabContext } from '../api.ts';
import { database } from './setup.ts';

/** An InfluxQL query on the lab's database: its series, with tags and values. */
export async function query(ctx: LabContext, q: string): Promise<{ tags?: Record<string, string>; values: [string, number][] }[]> {
  const body = (await (await fetch(`${ctx.endpoints.influxdb}/query?${new URLSearchParams({ db: database, q })}`)).json()) as { results: { series?: { tags?: Record<string, string>; values: [string, number][] }[] }[] };
  return body.results[0]?.series ?? [];
}

export default async function solution(ctx: LabContext): Promise<void> {
  const now = Date.now();
  const points = [41.5, 42.25, 40.75].map((percent, i) => `humidity,room=lab percent=${percent} ${now - (3 - i) * 60_000}`).join('\n');
  await ctx.writeFile('influxdb/humidity.lp', `${points}\n`);
  const written = await fetch(`${ctx.endpoints.influxdb}/write?db=${database}&precision=ms`, { method: 'POST', body: points });
  if (!written.ok) throw new Error(`write failed: HTTP ${written.status}`);

  const means = await query(ctx, 'SELECT mean(celsius) FROM room_temperature GROUP BY room');
  const warmest = [...means].sort((a, b) => b.values[0]![1] - a.values[0]![1])[0]!.tags!.room;
  const [peak] = await query(ctx, 'SELECT max(celsius) FROM room_temperature');
  await ctx.writeFile('answers/17-line-protocol-influxql.yaml', `warmest_room: ${warmest}\npeak_celsius: ${peak!.values[0]![1]}\n`);
}
