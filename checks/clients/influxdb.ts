/**
 * InfluxDB 1.x client: InfluxQL over /query and line protocol over /write.
 * API reference: https://docs.influxdata.com/influxdb/v1/tools/api/
 */
import { EngineError, requestJson, requestText } from './http.ts';

const engine = 'InfluxDB';

export interface InfluxSeries {
  name: string;
  tags?: Record<string, string>;
  columns: string[];
  values: unknown[][];
}

export function influxClient(baseUrl: string) {
  return {
    baseUrl,
    /** Runs InfluxQL; statement errors (InfluxDB answers 200 with an "error" field) are thrown. */
    query: async (influxql: string, db?: string): Promise<InfluxSeries[]> => {
      const params = new URLSearchParams({ q: influxql, ...(db ? { db } : {}) });
      const url = `${baseUrl}/query`;
      const body = await requestJson<{ results: { series?: InfluxSeries[]; error?: string }[]; error?: string }>(engine, url, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: params.toString(),
      });
      const failure = body.error ?? body.results.find((r) => r.error)?.error;
      if (failure) throw new EngineError(engine, url, 400, failure);
      return body.results.flatMap((r) => r.series ?? []);
    },
    /** Writes points in line protocol, e.g. `room_temp,room=lab value=21.5 1700000000000000000`. */
    write: (db: string, lines: string[], precision: 'ns' | 'ms' | 's' = 'ns') =>
      requestText(engine, `${baseUrl}/write?${new URLSearchParams({ db, precision })}`, { method: 'POST', body: lines.join('\n') }),
  };
}

export type InfluxClient = ReturnType<typeof influxClient>;
