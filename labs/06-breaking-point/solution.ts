/**
 * Lab 6 reference solution: a ramping-arrival-rate test on GET /products with the error budget as an
 * aborting threshold, run once with `npm run k6`'s settings; then the breaking rate read from the run's
 * metrics in Prometheus, as the lesson shows: the rate of successful requests while some failed. Below its
 * capacity the shop serves everything it is sent; above it, exactly its capacity, until the budget threshold
 * stops k6.
 */
import { eventually, type LabContext } from '../api.ts';

export const scriptPath = 'k6/breaking-point.ts';

/**
 * The reference test, which mistakes.ts varies. 2 → 112 requests per second over 55 s climbs 2 per second:
 * slow enough that the shop serves at its capacity for a few seconds before 5 % of all requests have failed
 * and k6 stops (about 4 s at a capacity of 30, 8 s at 60), so the plateau is there to read; the whole run
 * takes 20 to 40 s. Starting low keeps the run's average rate far below the breaking point (measured: 0.77 of
 * it at a capacity of 60 from a start of 10, 0.87 at 30; from 2, lower still), so the summary-average
 * mistake cannot pass by being close.
 */
export const script = `import { check } from 'k6';
import http from 'k6/http';
import type { Options } from 'k6/options';

export const options = {
  scenarios: {
    ramp: {
      executor: 'ramping-arrival-rate',
      startRate: 2,
      timeUnit: '1s',
      preAllocatedVUs: 10,
      maxVUs: 50,
      stages: [{ target: 112, duration: '55s' }],
    },
  },
  thresholds: {
    // The error budget: 5 % of requests may fail. Once more have, the test has found the breaking point.
    http_req_failed: [{ threshold: 'rate<0.05', abortOnFail: true }],
    http_req_duration: ['p(95)<500'],
  },
} satisfies Options;

const shop = __ENV.SHOP_URL ?? 'http://127.0.0.1:8080';

export default function () {
  check(http.get(\`\${shop}/products\`), { 'catalogue served': (r) => r.status === 200 });
}
`;

/** k6 exits 99 when a threshold fails: here, the budget threshold that aborted the ramp. */
export const thresholdCrossed = 99;

/** Runs a test and says how it ended; a ramp that never broke the budget found nothing. */
export async function runTest(ctx: LabContext, text: string): Promise<{ output: string; startedAt: number }> {
  await ctx.writeFile(scriptPath, text);
  const startedAt = Date.now();
  const result = await ctx.k6(scriptPath);
  if (result.exitCode !== thresholdCrossed) throw new Error(`the test should have been stopped by its error budget (k6 exit ${thresholdCrossed}), but k6 exited ${result.exitCode}: ${result.output.slice(-400)}`);
  return { output: result.output, startedAt };
}

/**
 * The rate of successful requests while some failed (over 3 s windows, averaged over the run), in the run that
 * started at `since`: the shop's capacity. The windows start 3 s after `since`, so none reaches into an
 * earlier run; the average, not the highest, since one 3 s window of 1 s pushes is off by a request or two.
 */
export async function servedPlateau(ctx: LabContext, since: number): Promise<number> {
  const window = Math.floor((Date.now() - since) / 1000) - 3;
  const served = (expected: boolean) => `sum(rate(k6_http_reqs_total{testid="06-breaking-point", expected_response="${expected}"}[3s]))`;
  const query = `avg_over_time((${served(true)} and ${served(false)} > 0)[${window}s:1s])`;
  const body = await eventually(
    async () => (await (await fetch(`${ctx.endpoints.prometheus}/api/v1/query`, { method: 'POST', body: new URLSearchParams({ query }) })).json()) as { data: { result: { value: [number, string] }[] } },
    (b) => b.data.result.length > 0,
    { timeoutMs: 30_000, intervalMs: 1000, what: 'the run in Prometheus' },
  );
  return Number(body.data.result[0]!.value[1]);
}

export default async function solution(ctx: LabContext): Promise<void> {
  const { startedAt } = await runTest(ctx, script);
  const rate = Math.round(await servedPlateau(ctx, startedAt));
  await ctx.writeFile(ctx.answersFile, `breaking_rate: ${rate}\n`);
  ctx.log(`the ramp broke the shop's error budget; it served at most ${rate} requests per second`);
}
