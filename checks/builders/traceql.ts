/**
 * TraceQL objectives over a recent window: `traceql(q).spans('>= 1')`, `.traces('>= 1')`, and ground truth:
 * `.rootName()`, `.spanName()`, `.attribute('http.route')` (the value most matching spans have, the query ending
 * in `| select(span.http.route)`), `.traceId()`, or `.percentOf(traceql(all))` (what share of `all`'s spans
 * match, counted over every matching trace of the window that ended when the answer was written, not a sample).
 */
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { matchedSpans } from '../clients/tempo.ts';
import type { CheckContext, Probe } from '../model.ts';
import { assertQuery } from '../syntax.ts';
import { engines } from './engines.ts';
import { plural } from './format.ts';
import { countProbe } from './probe.ts';
import { parseDuration, windowEndingNow } from './time.ts';
import type { Truth } from './truth.ts';

function search(query: string, over: string, context: CheckContext, limit = 50, counting = false) {
  let { start, end } = windowEndingNow(over);
  if (counting) {
    // Like with like (GRADING.md §2): the student's answer is over the window that ended when they wrote it, so
    // a counting truth's window ends when the answer file was last saved — and starts no earlier than the lab,
    // since the rates its setup drew hold only from then.
    const saved = answeredAt(context);
    if (saved !== undefined && saved < end.getTime()) ({ start, end } = { start: new Date(saved - parseDuration(over)), end: new Date(saved) });
    if (context.labStartedAt && context.labStartedAt > start.getTime()) start = new Date(context.labStartedAt);
  }
  return engines.tempo(context).search(query, start, end, limit);
}

/** When the lab's answer file was last saved, if there is one. */
function answeredAt(context: CheckContext): number | undefined {
  if (!context.answersFile) return undefined;
  try {
    return statSync(join(context.workspace, context.answersFile)).mtimeMs;
  } catch {
    return undefined;
  }
}

/** What percentOf needs of the query it divides by. */
interface SpanCounter {
  query: string;
  validate(): void;
  countSpans(context: CheckContext): Promise<number>;
}

/** Enough traces for every one of a window's at lab load (a few a second for ten minutes). */
const everyTrace = 20_000;

/** A span attribute's value as a string, from the OTLP-JSON shape Tempo answers with. */
function attributeValue(value: Record<string, unknown> | undefined): string | undefined {
  const found = value && Object.values(value)[0];
  return found === undefined || found === null ? undefined : String(found);
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

  /** Spans matched, over every matching trace of the window (each trace's spanset says how many it matched). */
  const countSpans = async (context: CheckContext): Promise<number> => {
    const traces = await search(query, over, context, everyTrace, true);
    // As many traces as asked for: the window holds more, and a count of some of them is no count.
    if (traces.length >= everyTrace) return Number.NaN;
    return traces.reduce((sum, t) => sum + (t.spanSets ?? (t.spanSet ? [t.spanSet] : [])).reduce((n, set) => n + set.matched, 0), 0);
  };

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
    /** Ground truth: the value of span attribute `key` ("http.route") most matching spans have (select it in the query). */
    attribute(key: string): Truth {
      return { ...base, resolve: async (context) => mostCommon((await search(query, over, context)).flatMap(matchedSpans).map((s) => attributeValue(s.attributes?.find((a) => a.key === key)?.value))) };
    },
    /** Ground truth: the share, in percent, of the spans of `all` (over the same window) that this query matches. */
    percentOf(all: SpanCounter): Truth {
      return {
        ...base,
        query: `100 × spans of ${query} / spans of ${all.query}`,
        validate: () => (base.validate(), all.validate()),
        resolve: async (context) => {
          const [part, whole] = await Promise.all([countSpans(context), all.countSpans(context)]);
          return whole > 0 && Number.isFinite(part) ? (100 * part) / whole : undefined;
        },
      };
    },
    /** @internal for percentOf: the matched spans of the window. */
    countSpans,
    query,
    validate: base.validate,
    /** Ground truth: the trace id of the most recent matching trace. */
    traceId(): Truth {
      return { ...base, resolve: async (context) => [...(await search(query, over, context))].sort((a, b) => Number(BigInt(b.startTimeUnixNano) - BigInt(a.startTimeUnixNano)))[0]?.traceID };
    },
  };
}
