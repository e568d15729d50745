/**
 * Truth from a demo service's drawn faults, against a real HTTP server standing in for the service's admin
 * endpoint: the value is computed from what the service reports, and a service that does not answer is an
 * engine error, not a wrong answer.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EngineUnreachable } from '../clients/http.ts';
import { appFault, appFaults } from './app-faults.ts';

const faults = { '/cart': { latencyMs: 60, errorRate: 0 }, '/checkout': { latencyMs: 400, errorRate: 0.2, latencyShare: 0.05 } };
const server = createServer((req, res) => {
  res.writeHead(req.url === '/admin/faults' ? 200 : 404, { 'content-type': 'application/json' });
  res.end(JSON.stringify(faults));
});
let url = '';
beforeAll(() => new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => ((url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`), resolve()))));
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('appFaults(…).truth', () => {
  const slowest = appFaults('shop').truth('the route with the most added latency', (f) => Object.entries(f).sort(([, a], [, b]) => b.latencyMs - a.latencyMs)[0]?.[0]);

  it('computes the truth from the faults the service reports', async () => {
    expect(await slowest.resolve({ endpoints: { shop: url }, workspace: '/nowhere' })).toBe('/checkout');
    expect(slowest.query).toBe("the route with the most added latency, from shop's drawn faults");
  });

  it('reads several services together, one argument each, in order', async () => {
    const both = appFaults('shop', 'inventory').truth('where the latency is', (shop, inventory) => `${Object.keys(shop!).length} ${Object.keys(inventory!).length}`);
    expect(await both.resolve({ endpoints: { shop: url, inventory: url }, workspace: '/nowhere' })).toBe('2 2');
    expect(both.query).toBe("where the latency is, from shop and inventory's drawn faults");
    await expect(both.resolve({ endpoints: { shop: url, inventory: 'http://127.0.0.1:9' }, workspace: '/nowhere' })).rejects.toBeInstanceOf(EngineUnreachable);
  });

  it('is an unreachable engine when the service does not answer', async () => {
    await expect(slowest.resolve({ endpoints: { shop: 'http://127.0.0.1:9' }, workspace: '/nowhere' })).rejects.toBeInstanceOf(EngineUnreachable);
  });
});

// A stand-in for the demo app's admin endpoint: the JSON shape GET /admin/faults answers with (stack/apps/http.ts).
let routeFaults: Record<string, { latencyMs: number; errorRate: number }> = { '/checkout': { latencyMs: 0, errorRate: 0.45 } };
const faultServer = createServer((_req, res) => res.end(JSON.stringify(routeFaults)));
await new Promise<void>((resolve) => faultServer.listen(0, '127.0.0.1', resolve));
const faultContext = { endpoints: { shop: `http://127.0.0.1:${(faultServer.address() as AddressInfo).port}` }, workspace: '/nonexistent' };
afterAll(() => faultServer.close());

describe('appFault(…).errorRate and .burnRate', () => {
  it("reads the route's injected error rate, and the burn rate it causes against a budget", async () => {
    expect(await appFault('shop', '/checkout').errorRate().resolve(faultContext)).toBe(0.45);
    expect(await appFault('shop', '/checkout').burnRate(0.001).resolve(faultContext)).toBeCloseTo(450, 9);
  });

  it('gives no truth for a route without an error fault', async () => {
    routeFaults = { '/checkout': { latencyMs: 100, errorRate: 0 } };
    expect(await appFault('shop', '/checkout').errorRate().resolve(faultContext)).toBeUndefined();
    expect(await appFault('shop', '/products').burnRate(0.001).resolve(faultContext)).toBeUndefined();
  });

  it('refuses a budget that is not one', () => {
    expect(() => appFault('shop', '/checkout').burnRate(1).validate()).toThrow(/between 0 and 1/);
  });
});

describe('appFault(…).capacity', () => {
  it('reads the capacity the service runs with from its fault settings, and nothing for a route without one', async () => {
    // What the shop's GET /admin/faults answers (stack/apps/http.ts) after a setup drew a capacity of 27.
    const faults = { '/products': { latencyMs: 0, errorRate: 0, capacityRps: 27 }, '/checkout': { latencyMs: 100, errorRate: 0 } };
    const server = createServer((_req, res) => res.end(JSON.stringify(faults)));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const context = { endpoints: { shop: `http://127.0.0.1:${(server.address() as AddressInfo).port}` }, workspace: '.' };
      expect(await appFault('shop', '/products').capacity().resolve(context)).toBe(27);
      expect(await appFault('shop', '/checkout').capacity().resolve(context)).toBeUndefined();
    } finally {
      server.close();
    }
  });

  it('names the service when the lab does not run it', async () => {
    await expect(appFault('shop', '/products').capacity().resolve({ endpoints: {}, workspace: '.' })).rejects.toThrow(/shop/);
  });
});
