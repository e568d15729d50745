/**
 * Lab 14 setup: posts the lab's alerts to Alertmanager, as Prometheus would post firing alerts — five services of
 * two teams, one of them burning (critical and warning), one restarting too, one in planned maintenance, and a
 * host no team owns. The draw is kept across restarts: alerts already posted by an earlier setup are posted again
 * as they are (with a later end), so the student's work keeps matching them.
 */
import type { LabContext } from '../api.ts';
import { alertsOf, draw, drawOf, marker, type PostedAlert } from './scenario.ts';

/** Long enough for a day's work; lab:start posts them again. */
const firingForMs = 12 * 3_600_000;

export default async function setup(ctx: LabContext): Promise<void> {
  const api = `${ctx.endpoints.alertmanager}/api/v2/alerts`;
  const current = ((await (await fetch(api)).json()) as PostedAlert[]).filter((a) => a.annotations?.[marker.annotation] === marker.value);
  const drawn = drawOf(current) ?? draw();
  const now = Date.now();
  const alerts = alertsOf(drawn).map((a) => ({ ...a, startsAt: new Date(now).toISOString(), endsAt: new Date(now + firingForMs).toISOString() }));
  const response = await fetch(api, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(alerts) });
  if (!response.ok) throw new Error(`Alertmanager refused the lab's alerts: ${await response.text()}`);
  ctx.log(`${alerts.length} alerts firing in Alertmanager for five services of two teams (amtool alert query shows them)`);
}
