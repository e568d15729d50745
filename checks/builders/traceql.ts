/**
 * TraceQL objectives over a recent window: `traceql(q).spans('>= 1')`, `.traces('>= 1')`, and ground truth
 * `.attribute('span.http.route')` (that attribute of the first matching span) or `.traceId()`.
 */
import { matchedSpans } from '../clients/tempo.ts';
import type { CheckContext, Probe } from '../model.ts';
import { assertQuery } from '../syntax.ts';
import { engines } from './engines.ts';
import { plural } from './format.ts';
import { countProbe } from './probe.ts';
import { windowEndingNow } from './time.ts';
import type { Truth } from './truth.ts';

function search(query: string, over: string, context: CheckContext) {
  const { start, end } = windowEndingNow(over);
  return engines.tempo(context).search(query, start, end, 50);
}

/** The value that occurs most often (undefined values ignored), or undefined when there is none. */
export function mostCommon(values: (string | undefined)[]): string | undefined {
  const counts = new Map<string, number>();
  for (const value of values) if (value !== undefined) counts.set(value, (counts.get(value) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
}

export function traceql(q: string, options: { over?: string } = {}) {
  const query = q.trim();
  const over = options.over ?? '15m';
  const base = { source: 'tempo' as const, query, validate: () => assertQuery('traceql', query, 'query') };

  return {
    /** Passes when the number of matching spans (over up to 50 traces) satisfies the expectation. */
    spans(expectation: string): Probe {
      return countProbe(base, expectation, 'spans', async (context) => {
        const traces = await search(query, over, context);
        const spans = traces.flatMap(matchedSpans);
        return { count: spans.length, got: `${plural(spans.length, 'span')} in ${plural(traces.length, 'trace')} (last ${over})` };
      });
    },
    /** Passes when the number of matching traces satisfies the expectation. */
    traces(expectation: string): Probe {
      return countProbe(base, expectation, 'traces', async (context) => {
        const traces = await search(query, over, context);
        return { count: traces.length, got: `${plural(traces.length, 'trace')} (last ${over})${traces[0] ? `, e.g. ${traces[0].traceID}` : ''}` };
      });
    },
    /** Ground truth: the root span name shared by most matching traces ("POST /checkout"). */
    rootName(): Truth {
      return { ...base, resolve: async (context) => mostCommon((await search(query, over, context)).map((t) => t.rootTraceName)) };
    },
    /** Ground truth: the name shared by most matching spans (the query must end with `| select(name)`). */
    spanName(): Truth {
      return { ...base, resolve: async (context) => mostCommon((await search(query, over, context)).flatMap(matchedSpans).map((s) => s.name)) };
    },
    /** Ground truth: the trace id of the most recent matching trace. */
    traceId(): Truth {
      return { ...base, resolve: async (context) => [...(await search(query, over, context))].sort((a, b) => Number(BigInt(b.startTimeUnixNano) - BigInt(a.startTimeUnixNano)))[0]?.traceID };
    },
  };
}
