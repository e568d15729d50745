/**
 * Lab 17 setup: a fresh database with an hour of temperature readings from three rooms, one per minute.
 * Each room's level is drawn at random, so every student has different answers.
 */
import type { LabContext } from '../api.ts';

export const database = 'lab17';

const influx = async (ctx: LabContext, path: string, body: string) => {
  const response = await fetch(`${ctx.endpoints.influxdb}${path}`, { method: 'POST', body, headers: { 'content-type': path.startsWith('/query') ? 'application/x-www-form-urlencoded' : 'text/plain' } });
  if (!response.ok) throw new Error(`InfluxDB ${path}: HTTP ${response.status} ${await response.text()}`);
};

export default async function setup(ctx: LabContext): Promise<void> {
  // Keep an existing feed: starting the lab again must not change the answers.
  const existing = await (await fetch(`${ctx.endpoints.influxdb}/query?${new URLSearchParams({ db: database, q: 'SELECT count(celsius) FROM room_temperature' })}`)).json();
  if (JSON.stringify(existing).includes('"count"')) return;

  await influx(ctx, '/query', new URLSearchParams({ q: `CREATE DATABASE ${database}` }).toString());
  const rooms = ['kitchen', 'office', 'server_room'].map((room) => ({ room, base: 18 + Math.random() * 8 }));
  const now = Math.floor(Date.now() / 60_000) * 60_000;
  const lines: string[] = [];
  for (let minute = 60; minute >= 1; minute--) {
    for (const { room, base } of rooms) {
      const celsius = (base + Math.sin(minute / 9) * 1.5 + Math.random() * 0.4).toFixed(2);
      lines.push(`room_temperature,room=${room} celsius=${celsius} ${now - minute * 60_000}`);
    }
  }
  await influx(ctx, `/write?db=${database}&precision=ms`, lines.join('\n'));
  ctx.log(`seeded ${lines.length} temperature readings in database ${database}`);
}
