/**
 * Loki HTTP API client: LogQL queries, labels, rules — and the push API that log shippers use.
 * API reference: https://grafana.com/docs/loki/latest/reference/loki-http-api/
 */
import { jsonBody, requestJson, requestText } from './http.ts';

const engine = 'Loki';

export interface LokiStream {
  stream: Record<string, string>;
  /** [unix nanoseconds as a string, line, optional structured metadata]. */
  values: [string, string, Record<string, string>?][];
}

export type LokiResult =
  | { resultType: 'streams'; result: LokiStream[] }
  | { resultType: 'vector'; result: { metric: Record<string, string>; value: [number, string] }[] }
  | { resultType: 'matrix'; result: { metric: Record<string, string>; values: [number, string][] }[] };

export function lokiClient(baseUrl: string) {
  const api = <T>(path: string, params: Record<string, string>) =>
    requestJson<{ status: string; data: T }>(engine, `${baseUrl}${path}?${new URLSearchParams(params)}`).then((r) => r.data);
  const ns = (date: Date) => `${BigInt(date.getTime()) * 1_000_000n}`;

  return {
    baseUrl,
    /** A LogQL query over [start, end] (log queries return streams, metric queries a matrix). */
    queryRange: (query: string, start: Date, end: Date, limit = 1000) =>
      api<LokiResult>('/loki/api/v1/query_range', { query, start: ns(start), end: ns(end), limit: String(limit), direction: 'backward' }),
    /** A metric LogQL query at one instant. */
    query: (query: string, time = new Date()) => api<LokiResult>('/loki/api/v1/query', { query, time: ns(time) }),
    labels: (start: Date, end: Date) => api<string[]>('/loki/api/v1/labels', { start: ns(start), end: ns(end) }),
    labelValues: (label: string, start: Date, end: Date) => api<string[]>(`/loki/api/v1/label/${encodeURIComponent(label)}/values`, { start: ns(start), end: ns(end) }),
    /** Rules loaded by Loki's ruler, in Prometheus's rules API shape. */
    rules: () => requestJson<{ data: { groups: { name: string; rules: { name: string; type: string; health: string; lastEvaluation?: string }[] }[] } }>(engine, `${baseUrl}/prometheus/api/v1/rules`).then((r) => r.data),
    /** Pushes log lines with labels (and optional structured metadata), as promtail-style shippers do. */
    push: (streams: { labels: Record<string, string>; lines: { time: Date; line: string; metadata?: Record<string, string> }[] }[]) =>
      requestText(engine, `${baseUrl}/loki/api/v1/push`, jsonBody({
        streams: streams.map((s) => ({
          stream: s.labels,
          values: s.lines.map((l) => (l.metadata ? [ns(l.time), l.line, l.metadata] : [ns(l.time), l.line])),
        })),
      })),
  };
}

export type LokiClient = ReturnType<typeof lokiClient>;
