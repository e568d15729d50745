/** Where the demo services' OTLP goes: the collector as always (with the logs during the tour), or every signal to lab 21's gateway. */
import { describe, expect, it } from 'vitest';
import { exportRoute, requestCounter } from './export-route.ts';

describe('exportRoute', () => {
  it('sends traces (and logs only with OTLP_LOGS) to the collector, and no metrics, until switched to the gateway', () => {
    const route = exportRoute({ collector: 'http://c', gateway: 'http://g', collectorLogs: false });
    expect([route.endpoint('traces'), route.endpoint('logs'), route.endpoint('metrics')]).toEqual(['http://c', undefined, undefined]);
    route.set('gateway');
    expect([route.endpoint('traces'), route.endpoint('logs'), route.endpoint('metrics')]).toEqual(['http://g', 'http://g', 'http://g']);
    expect(exportRoute({ collector: 'http://c', gateway: undefined, collectorLogs: true }).endpoint('logs')).toBe('http://c');
  });

  it('adds the logs to the collector during the stack tour, still no metrics (Prometheus scrapes them), and back', () => {
    const route = exportRoute({ collector: 'http://c', gateway: undefined, collectorLogs: false });
    route.set('collector-with-logs');
    expect([route.endpoint('traces'), route.endpoint('logs'), route.endpoint('metrics')]).toEqual(['http://c', 'http://c', undefined]);
    route.set('collector');
    expect(route.endpoint('logs')).toBeUndefined();
  });

  it('refuses the gateway where none is configured', () => {
    expect(() => exportRoute({ collector: 'http://c', gateway: undefined, collectorLogs: false }).set('gateway')).toThrow(/OTLP_GATEWAY_ENDPOINT/);
  });
});

describe('requestCounter', () => {
  it('is a cumulative monotonic sum per route, method and status code', () => {
    const counter = requestCounter({ 'service.name': 'shop' });
    counter.add({ route: '/cart', method: 'POST', status_code: '200' });
    counter.add({ route: '/cart', method: 'POST', status_code: '200' });
    counter.add({ route: '/health', method: 'GET', status_code: '200' });
    const metric = counter.body(1_000).resourceMetrics[0]!.scopeMetrics[0]!.metrics[0]!;
    expect(metric.sum).toMatchObject({ aggregationTemporality: 2, isMonotonic: true });
    expect(metric.sum.dataPoints.map((p) => [p.attributes[0]!.value.stringValue, p.asInt, p.timeUnixNano])).toEqual([
      ['/cart', '2', '1000000000'],
      ['/health', '1', '1000000000'],
    ]);
  });
});
