/**
 * The truth read from a service's own log: lines as the runtime keeps them (prefixes and banners included),
 * counted by level and field — so a shipper's labels cannot change it.
 */
import { describe, expect, it } from 'vitest';
import type { CheckContext } from '../model.ts';
import { appLog } from './app-log.ts';

const line = (secondsAgo: number, level: string, route: string) => JSON.stringify({ time: new Date(Date.now() - secondsAgo * 1000).toISOString(), level, service: 'shop', msg: `${route} done`, route });

function contextWith(lines: string[]): CheckContext {
  return { endpoints: {}, workspace: '/tmp', appLog: async () => lines };
}

describe("appLog(…).top: the route with the most errors, from the shop's own lines", () => {
  const truth = appLog('shop').top('route', { level: 'error', over: '10m' });
  // /cart is the busiest route; /products logs the most errors.
  const busyCart = [...Array.from({ length: 60 }, (_, i) => line(i, 'info', '/cart')), ...Array.from({ length: 12 }, (_, i) => line(i, 'error', '/products')), ...Array.from({ length: 3 }, (_, i) => line(i, 'error', '/cart'))];

  it('counts error lines, not all lines', async () => {
    expect(await truth.resolve(contextWith(busyCart))).toBe('/products');
  });

  it('reads lines behind a runtime prefix and skips what is not JSON', async () => {
    expect(await truth.resolve(contextWith(['---- started 2026-12-02 node shop', ...busyCart.map((l) => `shop-1  | ${l}`)]))).toBe('/products');
  });

  it('gives no truth until the lines tell a clear story', async () => {
    expect(await truth.resolve(contextWith(Array.from({ length: 5 }, (_, i) => line(i, 'error', '/products'))))).toBeUndefined();
    const close = [...Array.from({ length: 12 }, (_, i) => line(i, 'error', '/products')), ...Array.from({ length: 8 }, (_, i) => line(i, 'error', '/cart'))];
    expect(await truth.resolve(contextWith(close))).toBeUndefined();
  });

  it('leaves out lines older than the window', async () => {
    const old = Array.from({ length: 40 }, (_, i) => line(900 + i, 'error', '/checkout'));
    expect(await truth.resolve(contextWith([...old, ...busyCart]))).toBe('/products');
  });
});
