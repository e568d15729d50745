/**
 * Lab 10's realistic wrong answers: what a student reading traces too quickly would write. Each is found in the
 * same live traces the right answer comes from, so only the reasoning is wrong.
 */
import { eventually, type LabContext, type Mistake } from '../api.ts';
import { search } from './solution.ts';

const answer = (ctx: LabContext, operation: string, call: string) => ctx.writeFile(ctx.answersFile, `slow_operation: "${operation}"\nslow_call: "${call}"\n`);

/** The first span name a search finds, waiting for traces to arrive. */
const first = (ctx: LabContext, q: string, pick: (t: Awaited<ReturnType<typeof search>>[number]) => string | undefined) =>
  eventually(async () => (await search(ctx, q)).map(pick).find((name) => name !== undefined), (name) => name !== undefined, { timeoutMs: 90_000, intervalMs: 2000, what: `a trace for ${q}` }) as Promise<string>;

const slowOperation = (ctx: LabContext) => first(ctx, '{ resource.service.name = "shop" && kind = server && duration > 300ms }', (t) => t.rootTraceName);
const slowCall = (ctx: LabContext) => first(ctx, '{ resource.service.name = "shop" && kind = client && duration > 300ms } | select(name)', (t) => t.spanSet?.spans[0]?.name);

export const mistakes: Mistake[] = [
  {
    id: 'blames-the-operation-itself',
    title: 'names the slow shop operation as its own cause: the server span, not the downstream call inside it',
    fails: ['slow-call'],
    apply: async (ctx) => {
      const operation = await slowOperation(ctx);
      await answer(ctx, operation, operation);
    },
  },
  {
    id: 'a-fast-call',
    title: 'reads the calls of an ordinary, fast trace and names the other inventory call',
    fails: ['slow-call'],
    apply: async (ctx) => {
      const [operation, slow] = [await slowOperation(ctx), await slowCall(ctx)];
      const fast = await eventually(
        async () => (await search(ctx, '{ resource.service.name = "shop" && kind = client && duration < 100ms } | select(name)')).flatMap((t) => t.spanSet?.spans.map((s) => s.name) ?? []).find((name) => name && name !== slow && /inventory/.test(name)),
        (name) => name !== undefined,
        { timeoutMs: 90_000, intervalMs: 2000, what: 'a fast inventory call' },
      );
      await answer(ctx, operation, fast!);
    },
  },
  {
    id: 'the-inventory-side',
    title: "names the inventory's own slow server span as the shop operation that became slow",
    fails: ['slow-operation'],
    apply: async (ctx) => {
      const inventory = await first(ctx, '{ resource.service.name = "inventory" && kind = server && duration > 300ms } | select(name)', (t) => t.spanSet?.spans[0]?.name);
      await answer(ctx, inventory, await slowCall(ctx));
    },
  },
];
