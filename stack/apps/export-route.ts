/**
 * Where a demo service sends its OTLP telemetry: to the kit's collector (always, for traces; logs when
 * OTLP_LOGS=true), to the collector with its logs too (`collector-with-logs`: the stack tour of a plain
 * `npm run stack:up`, lifecycle/tour.ts, and lab 23's incident, whose logs are evidence, not the student's
 * pipeline), or — while lab 21 asks for it — to the student's gateway collector, all three signals. The kit
 * switches it with PUT /admin/telemetry {"via":"collector"|"collector-with-logs"|"gateway"} and puts it back to the
 * collector at every lab start, so no lab sees a gateway, or logs in Loki that its own pipeline did not ship,
 * unless its setup asks. Natively and in compose alike the gateway's address comes from OTLP_GATEWAY_ENDPOINT.
 *
 * Metrics: the services' own metrics are Prometheus-scraped (metrics.ts). Through the gateway they also push
 * one OTLP counter, http.server.requests by route, method and status code (every 2 s, OTLP/JSON), so that the
 * gateway has a metrics pipeline to carry. It is written here by hand — a handful of lines of OTLP/JSON —
 * rather than with the OpenTelemetry metrics SDK, which the demo image does not otherwise need.
 */
/** What an OpenTelemetry exporter reports for a batch (ExportResult of @opentelemetry/core: 0 success). */
interface ExportResult {
  code: number;
  error?: Error;
}

export type Via = 'collector' | 'collector-with-logs' | 'gateway';
export const vias: readonly Via[] = ['collector', 'collector-with-logs', 'gateway'];

export interface ExportRoute {
  via(): Via;
  set(via: Via): void;
  /** The OTLP/HTTP root for a signal now, or undefined when that signal is not exported at all. */
  endpoint(signal: 'traces' | 'logs' | 'metrics'): string | undefined;
}

export function exportRoute(options: { collector: string; gateway: string | undefined; collectorLogs: boolean }): ExportRoute {
  let current: Via = 'collector';
  return {
    via: () => current,
    set(via) {
      if (via === 'gateway' && !options.gateway) throw new Error('this service has no OTLP_GATEWAY_ENDPOINT');
      current = via;
    },
    endpoint(signal) {
      if (current === 'gateway') return options.gateway;
      if (signal === 'traces' || (signal === 'logs' && (options.collectorLogs || current === 'collector-with-logs'))) return options.collector;
      return undefined;
    },
  };
}

/** An exporter that hands each batch to the exporter of the current route (or drops it when there is none). */
export function routedExporter<T, E extends { export(items: T[], done: (result: ExportResult) => void): void; shutdown(): Promise<void>; forceFlush?(): Promise<void> }>(
  route: ExportRoute,
  signal: 'traces' | 'logs',
  create: (endpoint: string) => E,
) {
  const exporters = new Map<string, E>();
  return {
    export(items: T[], done: (result: ExportResult) => void) {
      const endpoint = route.endpoint(signal);
      if (!endpoint) return done({ code: 0 });
      let exporter = exporters.get(endpoint);
      if (!exporter) exporters.set(endpoint, (exporter = create(endpoint)));
      exporter.export(items, done);
    },
    async forceFlush() {
      await Promise.allSettled([...exporters.values()].map((e) => e.forceFlush?.()));
    },
    async shutdown() {
      await Promise.allSettled([...exporters.values()].map((e) => e.shutdown()));
    },
  };
}

const attribute = (key: string, value: string) => ({ key, value: { stringValue: value } });

/** Requests counted since the process started, by route, method and status code: a cumulative OTLP sum. */
export function requestCounter(resource: Record<string, string>) {
  const started = `${Date.now()}000000`;
  const counts = new Map<string, { route: string; method: string; status_code: string; n: number }>();
  return {
    add(labels: { route: string; method: string; status_code: string }) {
      const key = `${labels.route} ${labels.method} ${labels.status_code}`;
      const entry = counts.get(key) ?? { ...labels, n: 0 };
      entry.n += 1;
      counts.set(key, entry);
    },
    /** The OTLP/JSON body of one export (POST <root>/v1/metrics). */
    body(now = Date.now()) {
      const dataPoints = [...counts.values()].map((c) => ({
        attributes: [attribute('http.route', c.route), attribute('http.request.method', c.method), attribute('http.response.status_code', c.status_code)],
        startTimeUnixNano: started,
        timeUnixNano: `${now}000000`,
        asInt: String(c.n),
      }));
      return {
        resourceMetrics: [
          {
            resource: { attributes: Object.entries(resource).map(([k, v]) => attribute(k, v)) },
            scopeMetrics: [
              {
                scope: { name: 'o11y-lab-kit/demo', version: '1.0.0' },
                metrics: [{ name: 'http.server.requests', unit: '{request}', description: 'HTTP requests handled, by route, method and status code.', sum: { aggregationTemporality: 2, isMonotonic: true, dataPoints } }],
              },
            ],
          },
        ],
      };
    },
  };
}

/** Pushes the counter every `everyMs` while the route exports metrics; a failed push is simply retried at the next. */
export function pushMetrics(route: ExportRoute, counter: ReturnType<typeof requestCounter>, everyMs = 2000): () => void {
  const timer = setInterval(() => {
    const endpoint = route.endpoint('metrics');
    if (!endpoint) return;
    fetch(`${endpoint}/v1/metrics`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(counter.body()), signal: AbortSignal.timeout(everyMs) })
      .then((r) => r.body?.cancel())
      .catch(() => undefined);
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
