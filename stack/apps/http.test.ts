/**
 * The demo services' HTTP frame on a real socket: a requested restart empties the counters only after the
 * next scrape has read them, so a rate over the restart loses nothing.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportRoute, requestCounter } from './export-route.ts';
import { startService } from './http.ts';
import { createMetrics } from './metrics.ts';

let server: Server;
let url = '';
const route = exportRoute({ collector: 'http://127.0.0.1:1', gateway: 'http://127.0.0.1:2', collectorLogs: false });
const requests = requestCounter({ 'service.name': 'test' });
beforeAll(async () => {
  const routes = [{ method: 'GET' as const, route: '/ping', pattern: /^\/ping$/, handler: async () => ({ status: 200, body: 'pong' }) }];
  server = await startService({ name: 'test', host: '127.0.0.1', port: 0, routes, metrics: createMetrics('test'), log: () => undefined, telemetry: { route, requests } });
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const pings = async () => /http_server_request_duration_seconds_count\{[^}]*route="\/ping"[^}]*\} (\d+)/.exec(await (await fetch(`${url}/metrics`)).text())?.[1];

describe('POST /admin/restart', () => {
  it('resets the counters just after the next scrape, which still reads them whole', async () => {
    for (let i = 0; i < 3; i++) await fetch(`${url}/ping`);
    expect((await fetch(`${url}/admin/restart`, { method: 'POST' })).status).toBe(202);
    await fetch(`${url}/ping`);
    expect(await pings()).toBe('4'); // the scrape that applies the restart sees every request before it
    expect(await pings()).toBeUndefined(); // then the series starts again, from zero, with the next request
    await fetch(`${url}/ping`);
    expect(await pings()).toBe('1');
  });
});

describe('/admin/telemetry', () => {
  it('switches where OTLP goes, refuses anything but collector or gateway, and says where it goes now', async () => {
    const put = (body: string) => fetch(`${url}/admin/telemetry`, { method: 'PUT', body });
    expect(await (await fetch(`${url}/admin/telemetry`)).json()).toEqual({ via: 'collector' });
    expect((await put('{"via":"gateway"}')).status).toBe(200);
    expect(route.endpoint('metrics')).toBe('http://127.0.0.1:2');
    expect((await put('{"via":"elsewhere"}')).status).toBe(400);
    expect(await (await put('{"via":"collector"}')).json()).toEqual({ via: 'collector' });
  });

  it('counts every request it answers for the OTLP counter', async () => {
    await fetch(`${url}/ping`);
    const points = requests.body().resourceMetrics[0]!.scopeMetrics[0]!.metrics[0]!.sum.dataPoints;
    expect(points.find((p) => p.attributes[0]!.value.stringValue === '/ping')?.asInt).toBeDefined();
  });
});
