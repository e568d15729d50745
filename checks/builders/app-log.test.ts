/**
 * The truth read from a service's own log: lines as the runtime keeps them (prefixes and banners included),
 * counted by level and field — so a shipper's labels cannot change it.
 */
import { describe, expect, it } from 'vitest';
import type { CheckContext } from '../model.ts';
import { appLog, finalDisagreement } from './app-log.ts';

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

describe('appLog(…) comparisons wait for a window of current work, and count only what they compare', () => {
  const spans = appLog('shop').spansAgreeWith('{ kind = server }', { attribute: 'http.route', by: 'route', over: '2m', within: 0.1, except: ['/health'] });
  const dropped = appLog('shop').dropped('loki', '{service_name="shop"}', { by: 'route', values: ['/health'], over: '2m' });

  it('collects until 20 s of telemetry after the latest change are in', async () => {
    const context = { ...contextWith([]), appliedAt: Date.now() - 20_000 };
    expect((await spans.observe(context)).got).toMatch(/^collecting spans since your latest change/);
  });

  it('leaves the excepted routes out of the requests it compares, and needs the dropped ones to have happened', async () => {
    const health = Array.from({ length: 30 }, (_, i) => line(15 + i, 'info', '/health'));
    const context = { ...contextWith([...health, line(20, 'info', '/cart')]), appliedAt: Date.now() - 120_000 };
    expect(await spans.observe(context)).toMatchObject({ pass: false, got: 'shop answered 1 request in the window so far' });
    const quiet = { ...contextWith([line(20, 'info', '/cart')]), appliedAt: Date.now() - 120_000 };
    expect(await dropped.observe(quiet)).toMatchObject({ pass: false, got: 'shop answered 0 such requests in the window so far' });
  });
});

describe('finalDisagreement: what waiting cannot mend', () => {
  const counts = (entries: Record<string, number>) => new Map(Object.entries(entries));
  it('names a value the service answered 10 times or more that the engine has none of, over 30 s or more', () => {
    expect(finalDisagreement(counts({ '/cart': 40, '/products': 30 }), counts({ '/cart': 38 }), 0.1, { seconds: 30 })).toBe('/products');
    expect(finalDisagreement(counts({ '/cart': 40 }), counts({}), 0.1, { seconds: 45 })).toBe('/cart');
  });
  it('names a value the engine has more of than the service logged, beyond the tolerance', () => {
    expect(finalDisagreement(counts({ '/cart': 40, '/products': 10 }), counts({ '/cart': 40, '/products': 35 }), 0.1, { seconds: 40 })).toBe('/products');
    expect(finalDisagreement(counts({ '/cart': 2 }), counts({ '/cart': 2, '/health': 12 }), 0.1, { seconds: 40 })).toBe('/health');
  });
  it('leaves counts merely short, surpluses within the tolerance, rare values and short windows to the deadline', () => {
    expect(finalDisagreement(counts({ '/cart': 40, '/products': 30 }), counts({ '/cart': 20, '/products': 1 }), 0.1, { seconds: 60 })).toBeUndefined();
    expect(finalDisagreement(counts({ '/cart': 40 }), counts({ '/cart': 44 }), 0.1, { seconds: 60 })).toBeUndefined();
    expect(finalDisagreement(counts({ '/cart': 40, '/health': 9 }), counts({ '/cart': 40 }), 0.1, { seconds: 60 })).toBeUndefined();
    expect(finalDisagreement(counts({ '/cart': 40 }), counts({}), 0.1, { seconds: 29 })).toBeUndefined();
  });
});
