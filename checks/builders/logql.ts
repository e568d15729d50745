/**
 * LogQL objectives over a recent window: `logql(q).lines('>= 1')`, `.contains('timeout')`, `.value('> 0')` for
 * metric queries, and ground truth `.label('route')` (that label of the highest series of a metric query).
 */
import type { LokiResult } from '../clients/loki.ts';
import type { CheckContext, Probe } from '../model.ts';
import { assertQuery } from '../syntax.ts';
import { engines } from './engines.ts';
import { formatClock, plural } from './format.ts';
import { countProbe, everyValueProbe } from './probe.ts';
import { windowEndingNow } from './time.ts';
import type { Truth } from './truth.ts';

const lineCount = (result: LokiResult) => (result.resultType === 'streams' ? result.result.reduce((n, s) => n + s.values.length, 0) : 0);
const lines = (result: LokiResult) => (result.resultType === 'streams' ? result.result.flatMap((s) => s.values.map((v) => v[1])) : []);
const metricSeries = (result: LokiResult) =>
  result.resultType === 'vector' ? result.result.map((s) => ({ labels: s.metric, value: Number(s.value[1]) })) : result.resultType === 'matrix' ? result.result.map((s) => ({ labels: s.metric, value: Number(s.values.at(-1)?.[1]) })) : [];

/**
 * `sinceChange`: only lines from after the student's latest change to the engines' files count (the window
 * starts there), for labs where the student's shipper delivers the lines — a previous shipper's lines must
 * neither pass nor fail the current one.
 */
export function logql(q: string, options: { over?: string; sinceChange?: boolean } = {}) {
  const query = q.trim();
  const over = options.over ?? '15m';
  const base = { source: 'loki' as const, query, validate: () => assertQuery('logql', query, 'query') };
  const windowStart = (context: CheckContext, start: Date) => (options.sinceChange && context.appliedAt && context.appliedAt > start.getTime() ? new Date(context.appliedAt) : start);
  const range = (context: CheckContext) => {
    const { start, end } = windowEndingNow(over);
    return engines.loki(context).queryRange(query, windowStart(context, start), end, 5000);
  };
  const described = (context: CheckContext) => {
    const start = windowStart(context, windowEndingNow(over).start);
    return options.sinceChange && context.appliedAt === start.getTime() ? `since your latest change at ${formatClock(start.getTime())}` : `in the last ${over}`;
  };
  const instant = (context: CheckContext) => engines.loki(context).query(query);

  return {
    /** A log query: passes when the number of matching lines in the window satisfies the expectation. */
    lines(expectation: string): Probe {
      return countProbe(base, expectation, 'lines', async (context) => {
        const result = await range(context);
        const count = lineCount(result);
        const sample = lines(result)[0];
        return { count, got: `${plural(count, 'line')} ${described(context)}${sample ? `, e.g. ${sample.slice(0, 160)}` : ''}` };
      });
    },
    /** A log query: passes when at least one line in the window contains `text`. */
    contains(text: string): Probe {
      return {
        ...base,
        async observe(context) {
          const found = lines(await range(context));
          const hit = found.find((line) => line.includes(text));
          return { pass: hit !== undefined, got: hit ? hit.slice(0, 160) : `${plural(found.length, 'line')}, none containing it`, expected: `a line containing ${JSON.stringify(text)}` };
        },
      };
    },
    /** A metric query, evaluated now: passes when it returns series and every value satisfies the expectation. */
    value(expectation: string): Probe {
      return everyValueProbe(base, expectation, async (context) => metricSeries(await instant(context)));
    },
    /** Ground truth from a metric query: `name` on the highest series. */
    label(name: string): Truth {
      return { ...base, resolve: async (context) => [...metricSeries(await instant(context))].sort((a, b) => b.value - a.value)[0]?.labels[name] };
    },
  };
}
