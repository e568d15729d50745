import { describe, expect, it } from 'vitest';
import { abortsOnRate, describeScenario, type InspectedOptions, listThresholds, rampsArrivalRate } from './k6-script.ts';

// Shapes as `k6 inspect` (k6 v2.2.0) prints them: nulls for what the script leaves out, thresholds as written.
const ramp: InspectedOptions = {
  scenarios: {
    ramp: { executor: 'ramping-arrival-rate', startRate: 10, timeUnit: '1s', stages: [{ duration: '40s', target: 60 }] },
  },
  thresholds: {
    http_req_duration: ['p(95)<500'],
    http_req_failed: [{ threshold: 'rate<0.05', abortOnFail: true, delayAbortEval: '2s' }],
  },
};

describe('rampsArrivalRate', () => {
  it('accepts a ramping-arrival-rate scenario that climbs', () => {
    expect(rampsArrivalRate(ramp)).toBe(true);
  });

  it('refuses a constant rate, a ramp that never climbs, ramping VUs, and no scenarios at all', () => {
    expect(rampsArrivalRate({ scenarios: { steady: { executor: 'constant-arrival-rate', rate: 40, timeUnit: '1s' } } })).toBe(false);
    expect(rampsArrivalRate({ scenarios: { flat: { executor: 'ramping-arrival-rate', startRate: 30, stages: [{ duration: '30s', target: 30 }] } } })).toBe(false);
    expect(rampsArrivalRate({ scenarios: { vus: { executor: 'ramping-vus', stages: [{ duration: '30s', target: 50 }] } } })).toBe(false);
    expect(rampsArrivalRate({ scenarios: null })).toBe(false);
  });

  it('describes what it found', () => {
    expect(describeScenario('ramp', ramp.scenarios!.ramp!)).toBe('ramp: ramping-arrival-rate 10 → 60 per 1s');
    expect(describeScenario('steady', { executor: 'constant-arrival-rate', rate: 40, timeUnit: '1s' })).toBe('steady: constant-arrival-rate 40 per 1s');
  });
});

describe('abortsOnRate', () => {
  it('accepts an error-rate threshold within the budget that aborts the test', () => {
    expect(abortsOnRate(ramp, 'http_req_failed', 0.05)).toBe(true);
    expect(abortsOnRate({ thresholds: { 'http_req_failed{scenario:ramp}': [{ threshold: 'rate<=0.01', abortOnFail: true }] } }, 'http_req_failed', 0.05)).toBe(true);
  });

  it('refuses the threshold without abortOnFail, a budget too loose, and an abort on latency only', () => {
    expect(abortsOnRate({ thresholds: { http_req_failed: ['rate<0.05'] } }, 'http_req_failed', 0.05)).toBe(false);
    expect(abortsOnRate({ thresholds: { http_req_failed: [{ threshold: 'rate<0.5', abortOnFail: true }] } }, 'http_req_failed', 0.05)).toBe(false);
    expect(abortsOnRate({ thresholds: { http_req_duration: [{ threshold: 'p(95)<200', abortOnFail: true }], http_req_failed: ['rate<0.05'] } }, 'http_req_failed', 0.05)).toBe(false);
    expect(abortsOnRate({ thresholds: null }, 'http_req_failed', 0.05)).toBe(false);
  });

  it('lists every threshold with its abort setting, for evidence', () => {
    expect(listThresholds(ramp)).toEqual(['http_req_duration: p(95)<500', 'http_req_failed: rate<0.05 (abortOnFail)']);
  });
});
