/** Objectives on Alertmanager: an alert has reached it, a silence exists. */
import type { Probe } from '../model.ts';
import { engines } from './engines.ts';
import { formatLabels, plural } from './format.ts';

const client = engines.alertmanager;

/** Matchers as in Alertmanager's UI: { alertname: 'HighErrorRate', severity: 'page' } (exact values). */
export function silence(matchers: Record<string, string>) {
  const wanted = Object.entries(matchers);
  return {
    /**
     * An active silence whose matchers include all the given ones (exact, not regular expressions: a silence that
     * leaves out one of them mutes more than asked). Only silences made or changed since the lab started in this
     * session count, so one left from an earlier attempt does not pass a fresh start.
     */
    exists(): Probe {
      return {
        source: 'alertmanager',
        query: `GET /api/v2/silences ${formatLabels(matchers)}`,
        validate: () => undefined,
        async observe(context) {
          const current = (s: { updatedAt?: string }) => !context.labStartedAt || !s.updatedAt || Date.parse(s.updatedAt) >= context.labStartedAt;
          const silences = (await client(context).silences()).filter((s) => s.status.state === 'active' && current(s));
          const matching = silences.filter((s) => wanted.every(([name, value]) => s.matchers.some((m) => m.name === name && m.value === value && !m.isRegex && m.isEqual !== false)));
          return { pass: matching.length > 0, got: `${plural(silences.length, 'active silence')}${context.labStartedAt ? ' made since the lab started' : ''}, ${matching.length} matching`, expected: `an active silence for ${formatLabels(matchers)}` };
        },
      };
    },
  };
}

/** `alertmanagerAlert({ alertname: 'X' }).received()`: Alertmanager holds such an alert. */
export function alertmanagerAlert(labels: Record<string, string>) {
  return {
    received(): Probe {
      const filter = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
      return {
        source: 'alertmanager',
        query: `GET /api/v2/alerts ${filter.join(',')}`,
        validate: () => undefined,
        async observe(context) {
          const alerts = await client(context).alerts(filter);
          return { pass: alerts.length > 0, got: alerts.length ? alerts.map((a) => `${formatLabels(a.labels)} → ${a.receivers.map((r) => r.name).join(', ')}`).join('; ') : 'no such alert', expected: `an alert ${formatLabels(labels)}` };
        },
      };
    },
  };
}
