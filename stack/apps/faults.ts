/**
 * Fault knobs: extra latency and an error rate per route, switched by lab setup scripts through the admin
 * endpoint (PUT /admin/faults). This is how a lab injects "checkout is slow" or "the cart fails 30% of the time",
 * or "the catalogue serves at most 30 requests per second" (a capacity limit: what lab 6's load test finds).
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
  /** Requests per second the route serves; the rest of each second's requests are shed with HTTP 503. Absent: no limit. */
  capacityRps?: number;
}

export type Faults = Record<string, Fault>;

export function parseFaults(body: unknown): Faults {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new Error('expected an object: { "/route": { "latencyMs": 0, "errorRate": 0, "capacityRps": 30 } }');
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
    if (value?.capacityRps !== undefined) {
      const capacityRps = Number(value.capacityRps);
      if (!(Number.isInteger(capacityRps) && capacityRps >= 1 && capacityRps <= 100_000)) throw new Error(`${route}: capacityRps must be a whole number 1…100000`);
      faults[route].capacityRps = capacityRps;
    }
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

/** Requests admitted per route in the current wall-clock second, kept by the service for its capacity limits. */
export type Admissions = Map<string, { second: number; count: number }>;

/**
 * Whether a route with a capacity limit may serve one more request now: the first `capacityRps` requests of
 * each wall-clock second are served, the rest shed. A steady load above the limit is served at exactly the limit.
 */
export function admit(faults: Faults, admissions: Admissions, route: string, now: number = Date.now()): boolean {
  const capacity = faults[route]?.capacityRps;
  if (capacity === undefined) return true;
  const second = Math.floor(now / 1000);
  const current = admissions.get(route);
  const window = current?.second === second ? current : { second, count: 0 };
  admissions.set(route, window);
  if (window.count >= capacity) return false;
  window.count += 1;
  return true;
}
