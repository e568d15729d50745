/**
 * Your instrumentation of the shop's checkout (lab 9). The shop loads this file as it starts, and `npm run check`
 * restarts the shop when you have changed it. The shop calls reserveStock around its stock reservation in
 * POST /checkout:
 *
 *   cart       what this request is about to reserve: { id, items: [{ productId, quantity }], total }
 *   reserve()  makes the call to the inventory service and resolves to { ok, status } (its HTTP status)
 *
 * Your task: wrap reserve() in a span of your own, named "reserve-stock", that
 *   - is a child of the shop's span for the request (start it while that span is active),
 *   - covers the whole call (end it only after reserve() has settled),
 *   - carries the attribute shop.cart.items: how many items (lines) this cart has,
 *   - has status ERROR exactly when the reservation is refused (ok is false, or reserve() throws).
 *
 * The OpenTelemetry API is available: import { trace, SpanStatusCode } from '@opentelemetry/api'.
 * Reference: https://opentelemetry.io/docs/languages/js/instrumentation/#create-spans
 */

export interface Cart {
  id: string;
  items: { productId: string; quantity: number }[];
  total: number;
}

export interface Reservation {
  ok: boolean;
  status: number;
}

export async function reserveStock(cart: Cart, reserve: () => Promise<Reservation>): Promise<Reservation> {
  // TODO: a span around this call.
  return reserve();
}
