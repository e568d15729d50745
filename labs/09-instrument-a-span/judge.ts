/**
 * How lab 9 judges one checkout trace, from the kit's own spans (which the student's file cannot shape): the
 * shop's SERVER span for POST /checkout, its CLIENT span for the call to the inventory, and the inventory's own
 * "reserve stock" span with the number of items it reserved. Each judge returns undefined for a trace that holds
 * no truth to judge by (a checkout that never reached the reservation, an inventory that failed before its handler).
 */
import type { TreeSpan, Verdict } from '../api.ts';

export const spanName = 'reserve-stock';
export const itemsAttribute = 'shop.cart.items';

/** How far apart two spans' wall-clock starts may be placed for the same instant (see coversTheCall). */
const clockSlackNs = 2_000_000n;

/** The shop's answers to a checkout that got as far as reserving stock (400: an empty cart, never reserved). */
const reservedStatuses = new Set(['201', '409', '502', '503']);

interface Checkout {
  server: TreeSpan;
  /** The kit's CLIENT span of the inventory call. */
  call?: TreeSpan;
  /** The inventory's own span of the reservation (absent when its injected fault answered first). */
  inventory?: TreeSpan;
  /** The student's spans of that name in this trace. */
  mine: TreeSpan[];
}

function checkout(spans: TreeSpan[]): Checkout | undefined {
  const server = spans.find((s) => s.service === 'shop' && s.kind === 'server' && s.attributes['http.route'] === '/checkout');
  if (!server || !reservedStatuses.has(server.attributes['http.response.status_code'] ?? '')) return undefined;
  const call = spans.find((s) => s.service === 'shop' && s.kind === 'client' && s.name === 'POST inventory /reserve');
  const inventory = spans.find((s) => s.service === 'inventory' && s.name === 'reserve stock');
  return { server, ...(call ? { call } : {}), ...(inventory ? { inventory } : {}), mine: spans.filter((s) => s.service === 'shop' && s.name === spanName) };
}

const nameOf = (spans: TreeSpan[], id: string | undefined) => (id ? (spans.find((s) => s.spanId === id)?.name ?? 'a span not in this trace') : 'none (it is a root span)');

/** One span of the student's in the trace, or why not. */
function mine(c: Checkout): TreeSpan | { why: string } {
  if (c.mine.length === 0) return { why: `this checkout's trace has no ${spanName} span (was it started in another trace, or not at all?)` };
  if (c.mine.length > 1) return { why: `this checkout's trace has ${c.mine.length} ${spanName} spans; one per checkout was asked` };
  return c.mine[0]!;
}

export function childOfCheckout(spans: TreeSpan[]): Verdict | undefined {
  const c = checkout(spans);
  if (!c) return undefined;
  const span = mine(c);
  if ('why' in span) return { ok: false, why: span.why };
  if (span.parentSpanId !== c.server.spanId) return { ok: false, why: `the parent of ${spanName} is ${nameOf(spans, span.parentSpanId)}, not the shop's POST /checkout span` };
  return { ok: true };
}

export function coversTheCall(spans: TreeSpan[]): Verdict | undefined {
  const c = checkout(spans);
  if (!c?.call) return undefined;
  const span = mine(c);
  if ('why' in span) return undefined;
  if (c.call.parentSpanId !== span.spanId) return { ok: false, why: `the inventory call (POST inventory /reserve) is not inside ${spanName}: its parent is ${nameOf(spans, c.call.parentSpanId)}` };
  // Durations are exact (each span times itself on one monotonic clock); where a span starts on the wall clock is
  // not, to about a millisecond (OpenTelemetry JS anchors each span to Date.now() as it starts). So: the span
  // lasts at least as long as the call, and starts and ends around it within that slack.
  const ms = (ns: bigint) => (Number(ns) / 1e6).toFixed(1);
  const [lasted, call] = [span.endNs - span.startNs, c.call.endNs - c.call.startNs];
  if (lasted < call) return { ok: false, why: `${spanName} lasted ${ms(lasted)} ms, less than the inventory call inside it (${ms(call)} ms): it ended before the call did` };
  if (span.startNs > c.call.startNs + clockSlackNs || span.endNs + clockSlackNs < c.call.endNs) return { ok: false, why: `${spanName} does not cover the inventory call: it ran from ${ms(span.startNs - c.server.startNs)} to ${ms(span.endNs - c.server.startNs)} ms into the request, the call from ${ms(c.call.startNs - c.server.startNs)} to ${ms(c.call.endNs - c.server.startNs)} ms` };
  return { ok: true };
}

export function itemsMatch(spans: TreeSpan[]): Verdict | undefined {
  const c = checkout(spans);
  const reserved = c?.inventory?.attributes['inventory.items'];
  if (!c || reserved === undefined) return undefined;
  const span = mine(c);
  if ('why' in span) return undefined;
  const said = span.attributes[itemsAttribute];
  if (said === undefined) return { ok: false, why: `${spanName} has no attribute ${itemsAttribute}` };
  if (Number(said) !== Number(reserved)) return { ok: false, why: `${spanName} says ${itemsAttribute}=${said}, but this cart had ${reserved} (the inventory reserved that many)` };
  return { ok: true, case: `a cart of ${reserved}` };
}

export function errorStatus(spans: TreeSpan[]): Verdict | undefined {
  const c = checkout(spans);
  if (!c?.call) return undefined;
  const span = mine(c);
  if ('why' in span) return undefined;
  const status = c.call.attributes['http.response.status_code'];
  // Refused: the inventory answered with an error, or never answered (the kit's client span records that as ERROR).
  const refused = status === undefined || Number(status) >= 400 || c.call.status === 'error';
  const answered = status === undefined ? 'no answer' : `HTTP ${status}`;
  if (refused && span.status !== 'error') return { ok: false, why: `the reservation was refused (inventory: ${answered}) but ${spanName}'s status is ${span.status}` };
  if (!refused && span.status === 'error') return { ok: false, why: `the reservation succeeded (inventory: ${answered}) but ${spanName}'s status is error` };
  return { ok: true, case: refused ? 'a refused reservation' : 'a successful reservation' };
}

/** The judge of each objective, by its id in lab.ts. */
export const judges = {
  'child-of-checkout': childOfCheckout,
  'covers-the-call': coversTheCall,
  'items-attribute': itemsMatch,
  'error-status': errorStatus,
} satisfies Record<string, (spans: TreeSpan[]) => Verdict | undefined>;
