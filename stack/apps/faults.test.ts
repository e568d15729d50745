/** Fault knobs as the admin endpoint reads them, and the draw each request makes. */
import { describe, expect, it } from 'vitest';
import { type Admissions, admit, drawFault, parseFaults } from './faults.ts';

describe('parseFaults', () => {
  it('reads latency, error rate and the share of slow requests, keeping the default share implicit', () => {
    expect(parseFaults({ '/cart': { latencyMs: 60 }, '/checkout': { latencyMs: 400, latencyShare: 0.05, errorRate: 0.2 } })).toEqual({
      '/cart': { latencyMs: 60, errorRate: 0 },
      '/checkout': { latencyMs: 400, errorRate: 0.2, latencyShare: 0.05 },
    });
  });

  it('refuses a share outside 0…1, naming the route', () => {
    expect(() => parseFaults({ '/cart': { latencyMs: 60, latencyShare: 5 } })).toThrow('/cart: latencyShare must be 0…1');
  });
});

describe('drawFault', () => {
  it('delays every request without a share', () => {
    expect(drawFault({ '/cart': { latencyMs: 60, errorRate: 0 } }, '/cart', () => 0.99)).toEqual({ delayMs: 60, fail: false });
  });

  it('delays only the drawn share of requests: a slow tail', () => {
    const faults = { '/checkout': { latencyMs: 400, errorRate: 0, latencyShare: 0.05 } };
    expect(drawFault(faults, '/checkout', () => 0.01).delayMs).toBe(400);
    expect(drawFault(faults, '/checkout', () => 0.5).delayMs).toBe(0);
  });
});

describe('parseFaults: capacity', () => {
  it('reads a capacity limit beside latency and errors, and leaves it out when not given', () => {
    expect(parseFaults({ '/products': { capacityRps: 30 }, '/checkout': { latencyMs: 120 } })).toEqual({
      '/products': { latencyMs: 0, errorRate: 0, capacityRps: 30 },
      '/checkout': { latencyMs: 120, errorRate: 0 },
    });
  });

  it('refuses a capacity that is not a whole number of requests per second', () => {
    expect(() => parseFaults({ '/products': { capacityRps: 0 } })).toThrow(/capacityRps/);
    expect(() => parseFaults({ '/products': { capacityRps: 2.5 } })).toThrow(/capacityRps/);
    expect(() => parseFaults({ '/products': { capacityRps: 'lots' } })).toThrow(/capacityRps/);
  });
});

describe('admit', () => {
  const faults = parseFaults({ '/products': { capacityRps: 3 } });

  it('serves the first capacityRps requests of each second and sheds the rest', () => {
    const admissions: Admissions = new Map();
    const second = 1_700_000_000_000;
    const served = [0, 100, 200, 300, 900].map((ms) => admit(faults, admissions, '/products', second + ms));
    expect(served).toEqual([true, true, true, false, false]);
    // A new second starts with a fresh allowance.
    expect(admit(faults, admissions, '/products', second + 1000)).toBe(true);
  });

  it('serves a steady load above the limit at exactly the limit', () => {
    const admissions: Admissions = new Map();
    // 10 requests per second for 5 seconds, evenly spread.
    const served = Array.from({ length: 50 }, (_, i) => admit(faults, admissions, '/products', 1_700_000_000_000 + i * 100)).filter(Boolean);
    expect(served).toHaveLength(15);
  });

  it('never limits a route without a capacity', () => {
    const admissions: Admissions = new Map();
    expect(Array.from({ length: 100 }, () => admit(faults, admissions, '/cart', 0)).every(Boolean)).toBe(true);
  });
});
