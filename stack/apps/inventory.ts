/**
 * The inventory service: stock levels and reservations. The shop calls it, so a shop trace has a second
 * service in it — which is what makes service graphs and "find the slow downstream call" labs possible.
 */
import { HttpFailure, type Route } from './http.ts';
import { catalogue } from './products.ts';
import { tracer } from './telemetry.ts';

const stock = new Map(catalogue.map((p) => [p.id, 1_000_000]));

export const inventoryRoutes: Route[] = [
  { method: 'GET', route: '/health', pattern: /^\/health$/, handler: async () => ({ status: 200, body: { status: 'ok' } }) },
  {
    method: 'GET',
    route: '/stock',
    pattern: /^\/stock$/,
    handler: async () => ({ status: 200, body: Object.fromEntries(stock) }),
  },
  {
    method: 'POST',
    route: '/reserve',
    pattern: /^\/reserve$/,
    handler: async ({ body }) => {
      const items = (body as { items?: { productId: string; quantity: number }[] }).items ?? [];
      // A manual INTERNAL span around the work that matters, with what it worked on as attributes.
      return tracer().startActiveSpan('reserve stock', { attributes: { 'inventory.items': items.length } }, async (span) => {
        try {
          for (const item of items) {
            const left = stock.get(item.productId);
            if (left === undefined) throw new HttpFailure(404, `unknown product ${item.productId}`);
            if (left < item.quantity) throw new HttpFailure(409, `not enough ${item.productId}`);
            stock.set(item.productId, left - item.quantity);
          }
          return { status: 200, body: { reserved: items.length } };
        } finally {
          span.end();
        }
      });
    },
  },
];
