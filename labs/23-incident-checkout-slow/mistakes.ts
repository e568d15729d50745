/**
 * Lab 23's realistic wrong work: each is the reference investigation with one slip an on-call engineer makes
 * under pressure, found in the same live data, so only the slip is wrong.
 */
import type { LabContext, Mistake } from '../api.ts';
import { answerWith, investigate, promql, silencePage, slowShareQuery, traceFromLogs, type Findings } from './solution.ts';

/** Silences the page, investigates, and answers with one finding changed. */
const slipped = async (ctx: LabContext, change: (found: Findings) => Promise<Partial<Findings>>) => {
  await silencePage(ctx);
  const found = await investigate(ctx);
  await answerWith(ctx, { ...found, ...(await change(found)) });
};

export const mistakes: Mistake[] = [
  {
    id: 'silence-every-page',
    title: 'silences every alert of severity="page" to stop the noise, which would also hide the next incident',
    fails: ['page-silenced'],
    apply: async (ctx) => {
      const found = await investigate(ctx);
      await silencePage(ctx, { severity: 'page' });
      await answerWith(ctx, found);
    },
  },
  {
    id: 'share-of-all-requests',
    title: "measures the slow share over all the shop's requests, not over checkouts",
    fails: ['slow-share'],
    apply: (ctx) => slipped(ctx, async () => ({ percent: Number((await promql(ctx, slowShareQuery('service="shop"')))[0]!.toFixed(1)) })),
  },
  {
    id: 'fraction-not-percent',
    title: 'writes the share as a fraction (0.18) where a percent is asked',
    fails: ['slow-share'],
    apply: (ctx) => slipped(ctx, async (found) => ({ percent: Number((found.percent / 100).toFixed(3)) })),
  },
  {
    id: 'a-fast-checkout',
    title: "takes the trace id of the first checkout log line it sees, an ordinary fast one",
    fails: ['slow-trace'],
    apply: (ctx) => slipped(ctx, async () => ({ traceId: await traceFromLogs(ctx, 'duration_ms < 50') })),
  },
  {
    id: 'the-other-service',
    title: "names the other service: the shop when the time is the inventory's (its POST /checkout is the slow span at the top), or the inventory when it is the shop's own (blaming the dependency by reflex)",
    fails: ['slow-service'],
    apply: (ctx) => slipped(ctx, async (found) => ({ service: found.service === 'shop' ? 'inventory' : 'shop' })),
  },
];
