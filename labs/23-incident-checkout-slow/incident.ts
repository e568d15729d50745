/**
 * Lab 23's incident: a share of checkouts gets hundreds of milliseconds slower, and where the time goes is drawn
 * per student — in the shop's own handling of POST /checkout, or in the inventory's POST /reserve that checkout
 * calls. Both look the same from outside (the checkout's latency histogram, the page); only a trace tells them
 * apart. The draw lives in the services' fault settings, so the checks read it back from them (data no query,
 * pipeline or answer of the student's can change) and a restarted setup keeps it.
 */
import type { ServiceFaults, TreeSpan, Verdict } from '../api.ts';

/** The service whose own work holds the extra time. */
export type Cause = 'shop' | 'inventory';
export const causes: readonly Cause[] = ['shop', 'inventory'];

export interface Incident {
  cause: Cause;
  /** Added to each slowed request: 400–700 ms, well past the 250 ms line and inside the histogram's 1 s bucket. */
  latencyMs: number;
  /** The share of checkouts slowed, 0.12–0.30: enough to lift the p95 over 250 ms (it takes more than 5 %), small enough that most checkouts stay fast. */
  share: number;
}

/** The alert that pages (the starter's prometheus/rules/on-call.yml). */
export const pagingAlert = 'CheckoutLatencyHigh';

/** The line between an ordinary checkout (a few milliseconds) and a slowed one; a bucket bound of the shop's histogram. */
export const slowMs = 250;

/** Where each cause's fault goes: the route whose handling is slowed. */
const faultRoute: Record<Cause, { service: Cause; route: string }> = {
  shop: { service: 'shop', route: '/checkout' },
  inventory: { service: 'inventory', route: '/reserve' },
};

export function draw(random: () => number = Math.random): Incident {
  return {
    cause: causes[Math.floor(random() * causes.length)]!,
    latencyMs: 400 + 100 * Math.floor(random() * 4),
    share: (12 + Math.floor(random() * 19)) / 100,
  };
}

/** The fault settings that inject an incident: the cause's route slowed, every other fault of both services cleared. */
export function faultsFor(incident: Incident): Record<Cause, Record<string, { latencyMs: number; latencyShare: number; errorRate: number }>> {
  const { service, route } = faultRoute[incident.cause];
  const faults: Record<Cause, Record<string, { latencyMs: number; latencyShare: number; errorRate: number }>> = { shop: {}, inventory: {} };
  faults[service][route] = { latencyMs: incident.latencyMs, latencyShare: incident.share, errorRate: 0 };
  return faults;
}

/** The incident the services run with, read back from their faults; undefined when neither carries one (another lab's faults, or none). */
export function readIncident(shop: ServiceFaults, inventory: ServiceFaults): Incident | undefined {
  const found = causes.flatMap((cause) => {
    const { route } = faultRoute[cause];
    const fault = (cause === 'shop' ? shop : inventory)[route];
    const share = fault?.latencyShare;
    return fault && fault.latencyMs >= 400 && fault.latencyMs <= 700 && share !== undefined && share >= 0.12 && share <= 0.3 && fault.errorRate === 0 ? [{ cause, latencyMs: fault.latencyMs, share }] : [];
  });
  // Both at once is no incident of this lab's: a student (or another lab) set them.
  return found.length === 1 ? found[0] : undefined;
}

/**
 * A trace the student names as "a slow checkout of this incident": its root is the shop's POST /checkout
 * server span, it started after the lab did (this incident, not an earlier lab's slowness), and it took longer
 * than the 250 ms line. Where its time went is the `slow_service` answer's business, not this one's.
 */
export function judgeSlowCheckout(spans: TreeSpan[], labStartedAt: number | undefined): Verdict {
  const ids = new Set(spans.map((s) => s.spanId));
  const root = spans.find((s) => !s.parentSpanId || !ids.has(s.parentSpanId));
  if (!root) return { ok: false, why: 'it has no spans' };
  if (root.service !== 'shop' || root.name !== 'POST /checkout') return { ok: false, why: `it is ${root.service}'s ${root.name}, not a checkout (the shop's POST /checkout)` };
  const ms = Number(root.endNs - root.startNs) / 1e6;
  if (labStartedAt !== undefined && Number(root.startNs / 1_000_000n) < labStartedAt) return { ok: false, why: 'it started before this lab did: not this incident' };
  if (ms <= slowMs) return { ok: false, why: `it took ${Math.round(ms)} ms: an ordinary checkout, not one over ${slowMs} ms` };
  return { ok: true };
}
