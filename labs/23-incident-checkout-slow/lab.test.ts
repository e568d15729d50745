/**
 * Lab 23's truths against its draws, with no engine: every draw survives the round trip through the demo
 * services' own fault parser (so setup keeps it and the checks read it back), the answers a right investigation
 * gives pass and the lab's mistakes' answers fail for every draw (the tolerance leaves the margins they need),
 * and the trace judge tells a slow checkout of this incident from the traces a hurried student might name.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TreeSpan } from '../../checks/index.ts';
import { parseFaults } from '../../stack/apps/faults.ts';
import { draw, faultsFor, judgeSlowCheckout, readIncident, type Incident } from './incident.ts';
import lab from './lab.ts';

let incident: Incident = draw();
// The demo services' admin endpoint as they answer it: the faults setup would set, through their own parser.
const served = (service: 'shop' | 'inventory') => parseFaults(faultsFor(incident)[service]);
const server = createServer((req, res) => res.end(JSON.stringify(served(req.url === '/inventory/admin/faults' ? 'inventory' : 'shop'))));
let base = '';
beforeAll(() => new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => ((base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`), resolve()))));
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const objective = (id: string) => lab.objectives.find((o) => o.id === id)!;
async function passes(id: string, key: string, value: string | number): Promise<boolean> {
  const workspace = mkdtempSync(join(tmpdir(), 'lab23-'));
  mkdirSync(join(workspace, 'answers'));
  writeFileSync(join(workspace, 'answers', 'lab23.yaml'), `${key}: ${JSON.stringify(value)}\n`);
  return (await objective(id).check.observe({ endpoints: { shop: base, inventory: `${base}/inventory` }, workspace, answersFile: 'answers/lab23.yaml' })).pass;
}

describe.each(Array.from({ length: 25 }, (_, i) => i))('draw %i', () => {
  beforeAll(() => void (incident = draw()));

  it('is read back from the services as it was drawn', () => {
    expect(readIncident(served('shop'), served('inventory'))).toEqual(incident);
  });

  it('passes the measured share within sampling noise, and fails the share of all requests and a fraction', async () => {
    const percent = incident.share * 100;
    // Nearly four standard deviations of 900 checkouts either way still pass.
    const sd = 100 * Math.sqrt((incident.share * (1 - incident.share)) / 900);
    expect(await passes('slow-share', 'slow_checkout_percent', percent + 3.9 * sd)).toBe(true);
    expect(await passes('slow-share', 'slow_checkout_percent', `${(percent - 3.9 * sd).toFixed(1)} %`)).toBe(true);
    // Checkout is 1 of the 3.5 requests of a shopper's journey.
    expect(await passes('slow-share', 'slow_checkout_percent', percent / 3.5)).toBe(false);
    expect(await passes('slow-share', 'slow_checkout_percent', incident.share)).toBe(false);
  });

  it('names the cause, and not the other service', async () => {
    expect(await passes('slow-service', 'slow_service', ` ${incident.cause.toUpperCase()} `)).toBe(true);
    expect(await passes('slow-service', 'slow_service', incident.cause === 'shop' ? 'inventory' : 'shop')).toBe(false);
  });
});

describe("the incident's truth", () => {
  it('is none when the services carry no incident of this lab (another lab\'s faults, or both at once)', () => {
    expect(readIncident({}, {})).toBeUndefined();
    expect(readIncident({ '/checkout': { latencyMs: 0, errorRate: 0.5 } }, {})).toBeUndefined();
    expect(readIncident({}, { '/reserve': { latencyMs: 350, errorRate: 0 } })).toBeUndefined();
    const slow = { latencyMs: 500, latencyShare: 0.2, errorRate: 0 };
    expect(readIncident({ '/checkout': slow }, { '/reserve': slow })).toBeUndefined();
  });

  it('draws both causes and every share from 12 to 30 %', () => {
    const draws = Array.from({ length: 2000 }, () => draw());
    expect(new Set(draws.map((d) => d.cause))).toEqual(new Set(['shop', 'inventory']));
    expect(Math.min(...draws.map((d) => d.share))).toBe(0.12);
    expect(Math.max(...draws.map((d) => d.share))).toBe(0.3);
    expect(new Set(draws.map((d) => d.latencyMs))).toEqual(new Set([400, 500, 600, 700]));
  });
});

describe('judgeSlowCheckout', () => {
  const started = Date.parse('2026-12-07T10:00:00Z');
  const ns = (ms: number) => BigInt(ms) * 1_000_000n;
  const span = (over: Partial<TreeSpan> & { startMs: number; ms: number }): TreeSpan => ({
    spanId: 'a',
    service: 'shop',
    name: 'POST /checkout',
    kind: 'server',
    status: 'unset',
    attributes: {},
    ...over,
    startNs: ns(over.startMs),
    endNs: ns(over.startMs + over.ms),
  });
  const reserve = (parent: string, startMs: number, ms: number) => span({ spanId: 'r', parentSpanId: parent, service: 'inventory', name: 'POST /reserve', startMs, ms });

  it('passes a checkout of this incident over 250 ms, whatever its spans below', () => {
    expect(judgeSlowCheckout([span({ startMs: started + 5000, ms: 512 }), reserve('a', started + 5001, 505)], started)).toEqual({ ok: true });
  });

  it('fails an ordinary checkout, one from before the lab started, and a request that is not a checkout', () => {
    expect(judgeSlowCheckout([span({ startMs: started + 5000, ms: 12 })], started)).toMatchObject({ ok: false, why: expect.stringContaining('ordinary checkout') });
    expect(judgeSlowCheckout([span({ startMs: started - 60_000, ms: 600 })], started)).toMatchObject({ ok: false, why: expect.stringContaining('before this lab') });
    expect(judgeSlowCheckout([span({ name: 'GET /products', startMs: started + 5000, ms: 600 })], started)).toMatchObject({ ok: false, why: expect.stringContaining('not a checkout') });
  });

  it('judges the first span there is when part of a trace is missing: a trace without its checkout is not one', () => {
    expect(judgeSlowCheckout([reserve('missing', started + 5001, 505)], started)).toMatchObject({ ok: false, why: expect.stringContaining("inventory's POST /reserve") });
  });
});
