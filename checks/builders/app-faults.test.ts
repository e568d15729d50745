import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { appFault } from './app-faults.ts';

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
