/**
 * Lab 9's reference instrumentation (what solution.ts writes into workspace/shop/instrument.ts): a child span of
 * the request's span around the stock reservation, with the cart's size as an attribute and status ERROR when the
 * inventory refuses.
 */
import { SpanStatusCode, trace } from '@opentelemetry/api';

export interface Cart {
  id: string;
  items: { productId: string; quantity: number }[];
  total: number;
}

export interface Reservation {
  ok: boolean;
  status: number;
}

const tracer = trace.getTracer('workspace/shop');

export async function reserveStock(cart: Cart, reserve: () => Promise<Reservation>): Promise<Reservation> {
  // startActiveSpan: a child of the active span (the shop's POST /checkout), and the parent of what runs inside.
  return tracer.startActiveSpan('reserve-stock', { attributes: { 'shop.cart.items': cart.items.length, 'shop.cart.total': cart.total } }, async (span) => {
    try {
      const reservation = await reserve();
      if (!reservation.ok) span.setStatus({ code: SpanStatusCode.ERROR, message: `inventory answered HTTP ${reservation.status}` });
      return reservation;
    } catch (error) {
      span.recordException(error as Error);
      span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
      throw error;
    } finally {
      span.end();
    }
  });
}
