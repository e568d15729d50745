/**
 * Alertmanager v2 API client: alerts, groups, silences, status.
 * API reference: https://github.com/prometheus/alertmanager/blob/main/api/v2/openapi.yaml
 */
import { jsonBody, requestJson, requestText } from './http.ts';

const engine = 'Alertmanager';

export interface AmAlert {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: string;
  endsAt: string;
  status: { state: 'active' | 'suppressed' | 'unprocessed'; silencedBy: string[]; inhibitedBy: string[] };
  receivers: { name: string }[];
}

export interface AmMatcher {
  name: string;
  value: string;
  isRegex: boolean;
  isEqual?: boolean;
}

export interface AmSilence {
  id: string;
  matchers: AmMatcher[];
  startsAt: string;
  endsAt: string;
  createdBy: string;
  comment: string;
  /** When it was created or last changed. */
  updatedAt?: string;
  status: { state: 'active' | 'pending' | 'expired' };
}

export function alertmanagerClient(baseUrl: string) {
  const api = `${baseUrl}/api/v2`;
  return {
    baseUrl,
    alerts: (filter: string[] = []) =>
      requestJson<AmAlert[]>(engine, `${api}/alerts${filter.length ? `?${filter.map((f) => `filter=${encodeURIComponent(f)}`).join('&')}` : ''}`),
    groups: () => requestJson<{ labels: Record<string, string>; receiver: { name: string }; alerts: AmAlert[] }[]>(engine, `${api}/alerts/groups`),
    silences: () => requestJson<AmSilence[]>(engine, `${api}/silences`),
    status: () => requestJson<{ config: { original: string }; versionInfo: Record<string, string> }>(engine, `${api}/status`),
    /** Posts alerts the way Prometheus does. */
    postAlerts: (alerts: { labels: Record<string, string>; annotations?: Record<string, string>; startsAt?: string; endsAt?: string }[]) =>
      requestText(engine, `${api}/alerts`, jsonBody(alerts)),
    createSilence: (silence: Omit<AmSilence, 'id' | 'status'>) => requestJson<{ silenceID: string }>(engine, `${api}/silences`, jsonBody(silence)),
    /** Ends a silence now (Alertmanager keeps it, expired). */
    expireSilence: (id: string) => requestText(engine, `${api}/silence/${encodeURIComponent(id)}`, { method: 'DELETE' }),
    /** Re-reads the config file (refused with the reason when the new file is invalid; the old config stays). */
    reload: () => requestText(engine, `${baseUrl}/-/reload`, { method: 'POST' }),
  };
}

export type AlertmanagerClient = ReturnType<typeof alertmanagerClient>;
