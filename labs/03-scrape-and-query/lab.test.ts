/**
 * Lab 3's truths against its draws, with no engine: for many drawn shapes, served by a real HTTP server as the
 * shop serves its faults, the answer a right query gives passes and the answers of the lab's mistakes (p50 for
 * p99, the averaged ratios, the whole service's rate, delta across a restart) fail — so the draws always leave
 * the margins the tolerances need.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseFaults } from '../../stack/apps/faults.ts';
import lab from './lab.ts';
import { drawShape, shoppersPerSecond, steady, tail } from './setup.ts';

let faults = parseFaults(drawShape());
const server = createServer((_, res) => res.end(JSON.stringify(faults)));
let shop = '';
beforeAll(() => new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => ((shop = `http://127.0.0.1:${(server.address() as AddressInfo).port}`), resolve()))));
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const objective = (id: string) => lab.objectives.find((o) => o.id === id)!;
async function passes(id: string, key: string, value: string | number): Promise<boolean> {
  const workspace = mkdtempSync(join(tmpdir(), 'lab03-'));
  mkdirSync(join(workspace, 'answers'));
  writeFileSync(join(workspace, 'answers', 'lab03.yaml'), `${key}: ${JSON.stringify(value)}\n`);
  return (await objective(id).check.observe({ endpoints: { shop }, workspace, answersFile: 'answers/lab03.yaml' })).pass;
}

describe.each(Array.from({ length: 25 }, (_, i) => i))('draw %i', () => {
  beforeAll(() => void (faults = parseFaults(drawShape())));
  const route = (pick: (f: (typeof faults)[string]) => boolean) => Object.entries(faults).find(([, f]) => pick(f))![0];
  const e = (r: string) => faults[r]!.errorRate;

  it('names the tail as the slowest p99, not the route with the slowest median', async () => {
    expect(await passes('slowest-p99-route', 'slowest_p99_route', route((f) => f.latencyMs === tail.latencyMs).slice(1))).toBe(true);
    expect(await passes('slowest-p99-route', 'slowest_p99_route', route((f) => f.latencyMs === steady.latencyMs))).toBe(false);
  });

  it('takes the route with more failures for the topk answer', async () => {
    const [most, fewer] = e('/products') > e('/checkout') ? ['/products', '/checkout'] : ['/checkout', '/products'];
    expect(await passes('top-error-route', 'top_error_route', most)).toBe(true);
    expect(await passes('top-error-route', 'top_error_route', fewer)).toBe(false);
  });

  it("takes the shop's error share within 2 points, and not the average of the routes' ratios", async () => {
    const share = (100 * (e('/products') + e('/checkout'))) / 3.5;
    expect(await passes('shop-error-percent', 'shop_error_percent', `${(share + 1.5).toFixed(1)} %`)).toBe(true);
    expect(await passes('shop-error-percent', 'shop_error_percent', (100 * (e('/products') + e('/checkout'))) / 2)).toBe(false);
  });

  it('takes the /reserve rate within 10 %, and neither the whole service nor delta over a restart', async () => {
    const reserve = shoppersPerSecond * (1 - e('/checkout'));
    expect(await passes('reserve-rate', 'reserve_rate', (reserve * 0.92).toFixed(2))).toBe(true);
    expect(await passes('reserve-rate', 'reserve_rate', reserve + shoppersPerSecond * (1 - e('/products')))).toBe(false);
    expect(await passes('reserve-rate', 'reserve_rate', reserve * 0.6)).toBe(false);
  });
});
