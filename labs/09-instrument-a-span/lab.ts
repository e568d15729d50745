/**
 * Lab 9 — Instrument a span. The student adds a span of their own to the shop's checkout, with the OpenTelemetry
 * API, in a file of theirs the shop loads (workspace/shop/instrument.ts, stack/apps/instrument.ts): a child of the
 * request's span around the stock reservation, with the cart's number of items as an attribute and status ERROR
 * exactly when the inventory refuses — which setup makes it do for a drawn share of the reservations.
 *
 * Where the truth comes from: the kit's own spans in the same trace (judge.ts) — the shop's server span for
 * POST /checkout, its client span of the inventory call (with the status the inventory answered), and the
 * inventory's own span with the number of items it reserved. The student's file shapes none of them. Only traces
 * that started after the student's latest change count (the shop restarts with the file at every change).
 */
import { defineLab, traceTrees } from '../api.ts';
import { judges } from './judge.ts';
import { mistakes } from './mistakes.ts';
import setup from './setup.ts';
import solution from './solution.ts';

/**
 * The shop's checkouts: the traces each objective judges (judge.ts leaves out those that never reserved). Not
 * "checkouts with an inventory call below them": a span started as a new root takes the call into its own trace.
 */
const checkouts = traceTrees('{ resource.service.name = "shop" && kind = server && span.http.route = "/checkout" }');
const what = 'checkout request';

export default defineLab({
  number: 9,
  slug: 'instrument-a-span',
  module: '05-traces',
  title: 'Instrument a span',
  summary: "Add a span of your own around the shop's stock reservation with the OpenTelemetry API — under the request's span, with the cart's size as an attribute and an error status exactly when the reservation is refused.",
  services: ['tempo', 'otelcol', 'shop'],
  workspace: { yaml: [], reload: ['shop'] },
  load: { script: 'shop.ts', rate: 3 },
  objectives: [
    {
      id: 'child-of-checkout',
      title: "Every checkout's trace has one reserve-stock span, a child of the shop's POST /checkout span",
      points: 25,
      hint: "Start the span with tracer.startActiveSpan('reserve-stock', …) inside reserveStock: it takes the active span (the shop's POST /checkout) as its parent. Not root: true, and not a context of your own.",
      check: checkouts.every(judges['child-of-checkout'], { min: 5, what }),
      deadlineMs: 60_000,
    },
    {
      id: 'covers-the-call',
      title: 'The span covers the inventory call: the call is its child and ends before it does',
      points: 20,
      hint: 'Call reserve() inside the startActiveSpan callback (so the call is a child of your span) and end the span only after reserve() has settled: span.end() in a finally block after the await.',
      check: checkouts.every(judges['covers-the-call'], { min: 5, what }),
      needs: ['child-of-checkout'],
      deadlineMs: 60_000,
    },
    {
      id: 'items-attribute',
      title: 'The span carries shop.cart.items: the number of items of that very cart',
      points: 25,
      hint: "Set the attribute from the request's own data — cart.items.length — when you start the span (attributes: { 'shop.cart.items': … }) or with span.setAttribute. A constant is right only for some carts.",
      check: checkouts.every(judges['items-attribute'], { min: 5, what, cases: ['a cart of 1', 'a cart of 2'] }),
      needs: ['child-of-checkout'],
      deadlineMs: 60_000,
    },
    {
      id: 'error-status',
      title: 'The span has status ERROR exactly on the checkouts whose reservation was refused',
      points: 30,
      hint: "reserve() resolves to { ok, status }: when ok is false, span.setStatus({ code: SpanStatusCode.ERROR }); when it throws, record the exception and set ERROR too. Leave the status alone on success.",
      check: checkouts.every(judges['error-status'], { min: 8, what, cases: ['a refused reservation', 'a successful reservation'] }),
      needs: ['child-of-checkout'],
      deadlineMs: 60_000,
    },
  ],
  setup,
  solution,
  mistakes,
});
