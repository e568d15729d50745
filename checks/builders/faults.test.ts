import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { injectedFault } from './faults.ts';

// A stand-in for the demo app's admin endpoint: the JSON shape GET /admin/faults answers with (stack/apps/http.ts).
let faults: Record<string, { latencyMs: number; errorRate: number }> = { '/checkout': { latencyMs: 0, errorRate: 0.45 } };
const server = createServer((_req, res) => res.end(JSON.stringify(faults)));
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const context = { endpoints: { shop: `http://127.0.0.1:${(server.address() as AddressInfo).port}` }, workspace: '/nonexistent' };
afterAll(() => server.close());

describe('injectedFault', () => {
  it("reads the route's injected error rate, and the burn rate it causes against a budget", async () => {
    expect(await injectedFault('shop', '/checkout').errorRate().resolve(context)).toBe(0.45);
    expect(await injectedFault('shop', '/checkout').burnRate(0.001).resolve(context)).toBeCloseTo(450, 9);
  });

  it('gives no truth for a route without an error fault', async () => {
    faults = { '/checkout': { latencyMs: 100, errorRate: 0 } };
    expect(await injectedFault('shop', '/checkout').errorRate().resolve(context)).toBeUndefined();
    expect(await injectedFault('shop', '/products').burnRate(0.001).resolve(context)).toBeUndefined();
  });

  it('refuses a budget that is not one', () => {
    expect(() => injectedFault('shop', '/checkout').burnRate(1).validate()).toThrow(/between 0 and 1/);
  });
});
