/**
 * Shoppers for the demo shop: each iteration browses the catalogue, adds one or two items to a cart and
 * checks out — the traffic every lab observes. Run by `lab:start` in the background:
 *
 *   PROFILE=average RATE=5 SHOP_URL=http://127.0.0.1:8080 k6 run k6/shop.ts
 */
import { check } from 'k6';
import exec from 'k6/execution';
import http from 'k6/http';
import type { Options } from 'k6/options';
import { defaultThresholds, profile } from './lib/profiles.ts';
import { summaryOutputs } from './lib/summary.ts';

export const options = {
  scenarios: profile(),
  thresholds: defaultThresholds,
} satisfies Options;

const shop = __ENV.SHOP_URL ?? 'http://127.0.0.1:8080';
const products = ['tea', 'mug', 'sticker', 'hoodie'];
const json = { headers: { 'content-type': 'application/json' } };
/**
 * Twelve fake shoppers who pay at checkout: their id, e-mail and card number (the card networks' published
 * test numbers), which the shop puts on its spans and logs — lab 22's collector redacts and hashes them.
 */
const cards = ['4111 1111 1111 1111', '5555 5555 5555 4444', '3782 822463 10005', '6011 1111 1111 1117'];
const shopper = (n: number) => {
  const i = n % 12;
  return { userId: `u-${1001 + i * 37}`, email: `shopper${i + 1}@example.com`, cardNumber: cards[i % cards.length] };
};

export default function () {
  const cartId = `cart-${exec.vu.idInTest}-${exec.scenario.iterationInTest}`;
  const catalogue = http.get(`${shop}/products`, { tags: { route: '/products' } });
  check(catalogue, { 'catalogue answers 200': (r) => r.status === 200 });

  const items = 1 + (exec.scenario.iterationInTest % 2);
  for (let i = 0; i < items; i++) {
    const productId = products[(exec.scenario.iterationInTest + i) % products.length];
    const added = http.post(`${shop}/cart`, JSON.stringify({ cartId, productId, quantity: 1 }), { ...json, tags: { route: '/cart' } });
    check(added, { 'item added': (r) => r.status === 200 });
  }

  const order = http.post(`${shop}/checkout`, JSON.stringify({ cartId, ...shopper(exec.scenario.iterationInTest) }), { ...json, tags: { route: '/checkout' } });
  check(order, { 'order placed': (r) => r.status === 201 });
}

export function handleSummary(data: Parameters<typeof summaryOutputs>[0]) {
  return summaryOutputs(data);
}
