/**
 * Lab 5 reference solution: the shop's journey with checks and thresholds, run for ten seconds with
 * `npm run k6`'s settings.
 */
import type { LabContext } from '../api.ts';

/** The reference test, which mistakes.ts varies. */
export const script = `import { check, sleep } from 'k6';
import exec from 'k6/execution';
import http from 'k6/http';
import type { Options } from 'k6/options';

export const options = {
  vus: 3,
  duration: '10s',
  thresholds: {
    http_req_failed: ['rate<0.01'],
    http_req_duration: ['p(95)<500'],
    checks: ['rate>0.99'],
  },
} satisfies Options;

const shop = __ENV.SHOP_URL ?? 'http://127.0.0.1:8080';
const json = { headers: { 'content-type': 'application/json' } };

export default function () {
  const cartId = \`cart-\${exec.vu.idInTest}-\${exec.vu.iterationInScenario}\`;
  check(http.get(\`\${shop}/products\`), { 'products answer 200': (r) => r.status === 200 });
  check(http.post(\`\${shop}/cart\`, JSON.stringify({ cartId, productId: 'mug' }), json), { 'item added': (r) => r.status === 200 });
  check(http.post(\`\${shop}/checkout\`, JSON.stringify({ cartId }), json), { 'order placed': (r) => r.status === 201 });
  sleep(0.2);
}
`;

export default async function solution(ctx: LabContext): Promise<void> {
  await ctx.writeFile('k6/first-test.ts', script);
  const result = await ctx.k6('k6/first-test.ts');
  if (result.exitCode !== 0) throw new Error(`the reference test failed (k6 exit ${result.exitCode}): ${result.output.slice(-400)}`);
  ctx.log('ran the reference k6 test for 10 s');
}
