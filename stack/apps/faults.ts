/**
 * Fault knobs: extra latency and an error rate per route, switched by lab setup scripts through the admin
 * endpoint (PUT /admin/faults). This is how a lab injects "checkout is slow" or "the cart fails 30% of the time".
 */
export interface Fault {
  /** Added to every request of the route. */
  latencyMs: number;
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
    if (!route.startsWith('/')) throw new Error(`route "${route}" must start with /`);
    if (!(latencyMs >= 0 && latencyMs <= 30_000)) throw new Error(`${route}: latencyMs must be 0…30000`);
    if (!(errorRate >= 0 && errorRate <= 1)) throw new Error(`${route}: errorRate must be 0…1`);
    faults[route] = { latencyMs, errorRate };
  }
  return faults;
}

/** The fault for a route, with a random draw deciding whether this request fails. */
export function drawFault(faults: Faults, route: string, random: () => number = Math.random): { delayMs: number; fail: boolean } {
  const fault = faults[route];
  if (!fault) return { delayMs: 0, fail: false };
  return { delayMs: fault.latencyMs, fail: random() < fault.errorRate };
}
