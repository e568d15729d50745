/**
 * Load profiles shared by every script, chosen with PROFILE (and tuned with RATE and DURATION):
 *   smoke    1 iteration per second for 30 s — does it work at all?
 *   average  RATE iterations per second (default 5) for DURATION (default 2h) — the labs' background traffic
 *   spike    ramps from RATE to 10×RATE and back over 2 minutes — what breaks first?
 * Arrival-rate executors keep the request rate steady even when the app slows down, so latency faults show
 * up as latency, not as fewer requests.
 */
import type { Options } from 'k6/options';

export type ProfileName = 'smoke' | 'average' | 'spike';

export function profile(name: string = __ENV.PROFILE ?? 'smoke'): NonNullable<Options['scenarios']> {
  const rate = Number(__ENV.RATE ?? 5);
  switch (name as ProfileName) {
    case 'smoke':
      return { smoke: { executor: 'constant-arrival-rate', rate: 1, timeUnit: '1s', duration: __ENV.DURATION ?? '30s', preAllocatedVUs: 2 } };
    case 'average':
      return { average: { executor: 'constant-arrival-rate', rate, timeUnit: '1s', duration: __ENV.DURATION ?? '2h', preAllocatedVUs: Math.max(5, rate * 2), maxVUs: rate * 10 } };
    case 'spike':
      return {
        spike: {
          executor: 'ramping-arrival-rate',
          startRate: rate,
          timeUnit: '1s',
          preAllocatedVUs: rate * 4,
          maxVUs: rate * 40,
          stages: [
            { target: rate * 10, duration: '1m' },
            { target: rate, duration: '1m' },
          ],
        },
      };
    default:
      throw new Error(`unknown PROFILE "${name}": use smoke, average or spike`);
  }
}

/** The thresholds every script carries, so a run's exit code means something (k6 exits 99 when one fails). */
export const defaultThresholds: NonNullable<Options['thresholds']> = {
  // Faults inject some errors on purpose: the threshold catches a broken app, not a lab's fault.
  http_req_failed: ['rate<0.5'],
  http_req_duration: ['p(95)<3000'],
};
