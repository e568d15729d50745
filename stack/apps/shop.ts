/**
 * The shop service: the app students observe. Routes:
 *   GET  /products   the catalogue with stock (calls inventory)
 *   POST /cart       add an item to a cart (in memory)
 *   POST /checkout   reserve stock (calls inventory) and store the order (PostgreSQL); the shopper's id, e-mail
 *                    and card number go on its span and log line (lab 22 redacts them in the collector)
 *   POST /usage      product-usage events from the web client, logged with usage=true (usage.ts, lab 20)
 *   GET  /health     liveness, for load balancers and health-check noise (lab 21 drops these spans)
 */
import pg from 'pg';
import type { AppConfig } from './config.ts';
import { HttpFailure, type Route, tracedFetch } from './http.ts';
import type { Logger } from './log.ts';
import type { Metrics } from './metrics.ts';
import { type Cart, loadInstrument, reserveThrough } from './instrument.ts';
import { catalogue } from './products.ts';
import { tracer } from './telemetry.ts';
import { usageRoutes } from './usage.ts';

export function shopRoutes(config: AppConfig, metrics: Metrics, log: Logger): Route[] {
  const pool = new pg.Pool({ connectionString: config.postgresUrl, max: 4, connectionTimeoutMillis: 3000 });
  pool.on('error', (error) => log('warn', 'database connection lost', { error: error.message }));
  const carts = new Map<string, { productId: string; quantity: number }[]>();
  // The student's optional span around the stock reservation (lab 9), loaded once, as the shop starts.
  const instrument = loadInstrument(config.instrumentFile, log);

  /** A CLIENT span per SQL statement, named and attributed like OpenTelemetry's database conventions. */
  const sql = (statement: string, params: unknown[]) =>
    tracer().startActiveSpan(`${statement.split(' ')[0]} shop_orders`, { attributes: { 'db.system.name': 'postgresql', 'db.query.text': statement }, kind: 2 }, async (span) => {
      try {
        return await pool.query(statement, params);
      } catch (error) {
        span.recordException(error as Error);
        span.setStatus({ code: 2 });
        throw new HttpFailure(503, `database: ${(error as Error).message}`);
      } finally {
        span.end();
      }
    });

  let tableReady: Promise<unknown> | undefined;
  const ensureTable = () =>
    (tableReady ??= sql('CREATE TABLE IF NOT EXISTS shop_orders (id serial PRIMARY KEY, cart text NOT NULL, items int NOT NULL, total numeric NOT NULL, placed_at timestamptz NOT NULL DEFAULT now())', []).catch((error) => {
      tableReady = undefined;
      throw error;
    }));

  return [
    ...usageRoutes(metrics, log),
    { method: 'GET', route: '/health', pattern: /^\/health$/, handler: async () => ({ status: 200, body: { status: 'ok' } }) },
    {
      method: 'GET',
      route: '/products',
      pattern: /^\/products$/,
      handler: async () => {
        const stock = (await (await tracedFetch('GET inventory /stock', `${config.inventoryUrl}/stock`)).json()) as Record<string, number>;
        return { status: 200, body: catalogue.map((p) => ({ ...p, inStock: stock[p.id] ?? 0 })) };
      },
    },
    {
      method: 'POST',
      route: '/cart',
      pattern: /^\/cart$/,
      handler: async ({ body }) => {
        const { cartId, productId, quantity } = body as { cartId?: string; productId?: string; quantity?: number };
        if (!cartId || !productId) throw new HttpFailure(400, 'cartId and productId are required');
        if (!catalogue.some((p) => p.id === productId)) throw new HttpFailure(404, `unknown product ${productId}`);
        const cart = carts.get(cartId) ?? [];
        cart.push({ productId, quantity: quantity ?? 1 });
        carts.set(cartId, cart);
        return { status: 200, body: { cartId, items: cart.length } };
      },
    },
    {
      method: 'POST',
      route: '/checkout',
      pattern: /^\/checkout$/,
      handler: async ({ body, annotate }) => {
        const { cartId, userId, email, cardNumber } = body as { cartId?: string; userId?: string; email?: string; cardNumber?: string };
        // Who pays and how, on the span and the log line, as careless services do: lab 22's collector redacts the
        // e-mail and the card number and hashes the user id. Only what the client sent (the load's fake shoppers).
        annotate?.({ ...(userId ? { 'user.id': userId } : {}), ...(email ? { 'user.email': email } : {}), ...(cardNumber ? { 'payment.card_number': cardNumber } : {}) });
        const cart = cartId ? carts.get(cartId) : undefined;
        if (!cartId || !cart?.length) throw new HttpFailure(400, 'empty or unknown cart');
        const total = cart.reduce((sum, item) => sum + (catalogue.find((p) => p.id === item.productId)?.price ?? 0) * item.quantity, 0);
        const order: Cart = { id: cartId, items: cart.map((item) => ({ ...item })), total };
        const reserve = async () => {
          const response = await tracedFetch('POST inventory /reserve', `${config.inventoryUrl}/reserve`, { method: 'POST', body: JSON.stringify({ items: cart }) });
          return { ok: response.ok, status: response.status };
        };
        const reserved = await reserveThrough(await instrument, order, reserve, log);
        if (!reserved.ok) {
          metrics.orders.inc({ outcome: 'rejected' });
          throw new HttpFailure(reserved.status >= 500 ? 502 : 409, `inventory refused: HTTP ${reserved.status}`);
        }
        await ensureTable();
        const result = await sql('INSERT INTO shop_orders (cart, items, total) VALUES ($1, $2, $3) RETURNING id', [cartId, cart.length, total]);
        carts.delete(cartId);
        metrics.orders.inc({ outcome: 'placed' });
        return { status: 201, body: { orderId: result.rows[0].id, total } };
      },
    },
  ];
}
