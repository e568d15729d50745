/**
 * Fault knobs: extra latency and an error rate per route, switched by lab setup scripts through the admin
 * endpoint (PUT /admin/faults). This is how a lab injects "checkout is slow" or "the cart fails 30% of the time".
 */
export interface Fault {
  /** Added to the route's requests (to every one, unless latencyShare says otherwise). */
  latencyMs: number;
  /**
   * Share of the route's requests that get the extra latency, 0…1 (default 1: all of them). A small share
   * makes a slow tail: the p99 rises while the median stays where it was (lab 3 tells p99 from p50 this way).
   */
  latencyShare?: number;
  /** Share of requests that fail with HTTP 500, 0…1. */
  errorRate: number;
}

export type Faults = Record<string, Fault>;

export function parseFaults(body: unknown): Faults {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new Error('expected an object: { "/route": { "latencyMs": 0, "errorRate": 0 } }');
  const faults: Faults = {};
  for (const [route, value] of Object.entries(body as Record<string, Partial<Fault>>)) {
    const latencyMs = Number(value?.latencyMs ?? 0);
    const errorRate = Number(value?.errorRate ?? 0);
    const latencyShare = Number(value?.latencyShare ?? 1);
    if (!route.startsWith('/')) throw new Error(`route "${route}" must start with /`);
    if (!(latencyMs >= 0 && latencyMs <= 30_000)) throw new Error(`${route}: latencyMs must be 0…30000`);
    if (!(errorRate >= 0 && errorRate <= 1)) throw new Error(`${route}: errorRate must be 0…1`);
    if (!(latencyShare >= 0 && latencyShare <= 1)) throw new Error(`${route}: latencyShare must be 0…1`);
    faults[route] = latencyShare === 1 ? { latencyMs, errorRate } : { latencyMs, errorRate, latencyShare };
  }
  return faults;
}

/** The fault for a route, with a random draw deciding whether this request fails. */
export function drawFault(faults: Faults, route: string, random: () => number = Math.random): { delayMs: number; fail: boolean } {
  const fault = faults[route];
  if (!fault) return { delayMs: 0, fail: false };
  const slow = fault.latencyShare === undefined || random() < fault.latencyShare;
  return { delayMs: slow ? fault.latencyMs : 0, fail: random() < fault.errorRate };
}
