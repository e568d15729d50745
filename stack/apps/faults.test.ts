/** Fault knobs as the admin endpoint reads them, and the draw each request makes. */
import { describe, expect, it } from 'vitest';
import { drawFault, parseFaults } from './faults.ts';

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
