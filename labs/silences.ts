/**
 * For solutions and mistakes that silence alerts in Alertmanager (labs 14 and 23): what a student does with
 * amtool or the UI, through Alertmanager's API.
 */
import type { LabContext } from './model.ts';

/**
 * Replaces the student's silences with one: active silences are expired first, as a student who got one wrong
 * would delete it (amtool silence expire) before adding the right one. `comment` says why, as Alertmanager asks.
 */
export async function silenceOnly(ctx: LabContext, matchers: Record<string, string>, endsAt: string, comment: string): Promise<void> {
  const api = `${ctx.endpoints.alertmanager}/api/v2`;
  const silences = (await (await fetch(`${api}/silences`)).json()) as { id: string; status: { state: string } }[];
  for (const s of silences.filter((s) => s.status.state === 'active')) await fetch(`${api}/silence/${s.id}`, { method: 'DELETE' });
  const body = {
    matchers: Object.entries(matchers).map(([name, value]) => ({ name, value, isRegex: false, isEqual: true })),
    startsAt: new Date().toISOString(),
    endsAt,
    createdBy: `lab ${ctx.lab.number}`,
    comment,
  };
  const response = await fetch(`${api}/silences`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (!response.ok) throw new Error(`Alertmanager refused the silence: ${await response.text()}`);
}
