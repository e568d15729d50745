/**
 * Prometheus HTTP API client: PromQL queries, rules, targets, alerts, config reload — and remote write, which
 * is how tests and labs push samples the way k6 and Tempo do.
 * API reference: https://prometheus.io/docs/prometheus/latest/querying/api/
 */
import snappy from 'snappyjs';
import { requestJson, requestText } from './http.ts';
import { ProtoWriter } from './protobuf.ts';

const engine = 'Prometheus';

export interface PromSample {
  metric: Record<string, string>;
  /** Instant queries: [unix seconds, "value"]. */
  value: [number, string];
}

export interface PromSeries {
  metric: Record<string, string>;
  values: [number, string][];
}

export type PromResult =
  | { resultType: 'vector'; result: PromSample[] }
  | { resultType: 'matrix'; result: PromSeries[] }
  | { resultType: 'scalar' | 'string'; result: [number, string] };

interface ApiResponse<T> {
  status: 'success' | 'error';
  data: T;
  error?: string;
}

/** One series' exemplars: the trace a sample came from (labels such as trace_id), its value and time (unix seconds). */
export interface PromExemplars {
  seriesLabels: Record<string, string>;
  exemplars: { labels: Record<string, string>; value: string; timestamp: number }[];
}

export interface RemoteWriteSeries {
  labels: Record<string, string>;
  samples: { value: number; timestampMs: number }[];
}

export function prometheusClient(baseUrl: string) {
  const api = async <T>(path: string, params: Record<string, string> = {}, method = 'GET'): Promise<T> => {
    const query = new URLSearchParams(params).toString();
    const url = `${baseUrl}${path}`;
    const response =
      method === 'POST'
        ? await requestJson<ApiResponse<T>>(engine, url, { method, headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: query })
        : await requestJson<ApiResponse<T>>(engine, query ? `${url}?${query}` : url);
    return response.data;
  };

  return {
    baseUrl,
    /** Instant query at `time` (default now). */
    query: (expr: string, time?: Date) => api<PromResult>('/api/v1/query', { query: expr, ...(time ? { time: String(time.getTime() / 1000) } : {}) }, 'POST'),
    queryRange: (expr: string, start: Date, end: Date, stepSeconds: number) =>
      api<PromResult>('/api/v1/query_range', { query: expr, start: String(start.getTime() / 1000), end: String(end.getTime() / 1000), step: String(stepSeconds) }, 'POST'),
    /** Exemplars of the series `selector` matches, over [start, end] (needs --enable-feature=exemplar-storage). */
    queryExemplars: (selector: string, start: Date, end: Date) =>
      api<PromExemplars[]>('/api/v1/query_exemplars', { query: selector, start: String(start.getTime() / 1000), end: String(end.getTime() / 1000) }, 'POST'),
    rules: () => api<{ groups: { name: string; file: string; rules: { name: string; type: 'recording' | 'alerting'; query: string; health: string; state?: string; lastEvaluation?: string }[] }[] }>('/api/v1/rules'),
    targets: () => api<{ activeTargets: { labels: Record<string, string>; scrapePool: string; scrapeUrl: string; health: 'up' | 'down' | 'unknown'; lastError: string }[] }>('/api/v1/targets'),
    /** When the running configuration was loaded (the latest successful reload), among other runtime facts. */
    runtimeInfo: () => api<{ lastConfigTime: string; reloadConfigSuccess: boolean }>('/api/v1/status/runtimeinfo'),
    alerts: () => api<{ alerts: { labels: Record<string, string>; state: 'pending' | 'firing'; value: string }[] }>('/api/v1/alerts'),
    /** Re-reads the configuration, rule files and scrape config files (needs --web.enable-lifecycle). */
    reload: () => requestText(engine, `${baseUrl}/-/reload`, { method: 'POST' }),
    /** Pushes samples with the remote write 1.0 protocol (protobuf + snappy), as k6 and Tempo do. */
    remoteWrite: (series: RemoteWriteSeries[]) => {
      const request = new ProtoWriter();
      for (const s of series) {
        const timeSeries = new ProtoWriter();
        // Labels must be sorted by name.
        for (const [name, value] of Object.entries(s.labels).sort(([a], [b]) => (a < b ? -1 : 1))) {
          timeSeries.message(1, new ProtoWriter().string(1, name).string(2, value));
        }
        for (const sample of s.samples) timeSeries.message(2, new ProtoWriter().double(1, sample.value).int64(2, sample.timestampMs));
        request.message(1, timeSeries);
      }
      return requestText(engine, `${baseUrl}/api/v1/write`, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-protobuf',
          'content-encoding': 'snappy',
          'x-prometheus-remote-write-version': '0.1.0',
        },
        body: snappy.compress(request.finish()),
      });
    },
  };
}

export type PrometheusClient = ReturnType<typeof prometheusClient>;
