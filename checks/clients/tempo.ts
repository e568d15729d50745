/**
 * Tempo HTTP API client: TraceQL search and trace by id.
 * API reference: https://grafana.com/docs/tempo/latest/api_docs/
 */
import { requestJson } from './http.ts';

const engine = 'Tempo';

export interface TempoSpanMatch {
  spanID: string;
  name?: string;
  startTimeUnixNano: string;
  durationNanos: string;
  attributes?: { key: string; value: Record<string, unknown> }[];
}

export interface TempoTraceMatch {
  traceID: string;
  rootServiceName?: string;
  rootTraceName?: string;
  startTimeUnixNano: string;
  durationMs?: number;
  spanSets?: { spans: TempoSpanMatch[]; matched: number }[];
  spanSet?: { spans: TempoSpanMatch[]; matched: number };
}

export function tempoClient(baseUrl: string) {
  return {
    baseUrl,
    /** TraceQL search over [start, end]; Tempo returns up to `limit` matching traces with their matching spans. */
    search: (traceql: string, start: Date, end: Date, limit = 20) =>
      requestJson<{ traces?: TempoTraceMatch[] }>(
        engine,
        `${baseUrl}/api/search?${new URLSearchParams({
          q: traceql,
          start: String(Math.floor(start.getTime() / 1000)),
          end: String(Math.ceil(end.getTime() / 1000)),
          limit: String(limit),
          spss: '100',
        })}`,
      ).then((r) => r.traces ?? []),
    /** A whole trace, OTLP-JSON shaped. */
    trace: (traceId: string) => requestJson<{ batches?: unknown[]; resourceSpans?: unknown[] }>(engine, `${baseUrl}/api/traces/${traceId}`),
  };
}

export type TempoClient = ReturnType<typeof tempoClient>;

/** The spans of a search result, whichever of Tempo's two shapes it used. */
export function matchedSpans(trace: TempoTraceMatch): TempoSpanMatch[] {
  const sets = trace.spanSets ?? (trace.spanSet ? [trace.spanSet] : []);
  return sets.flatMap((set) => set.spans);
}
