/**
 * PromQL objectives: `promql(expr).value('> 0')`, `.count('>= 3')`, `.empty()`, and ground truth for answers:
 * `.label('route')` (that label of the highest series), `.scalar()` (the single value).
 */
import type { PromResult } from '../clients/prometheus.ts';
import type { CheckContext, Probe } from '../model.ts';
import { assertQuery } from '../syntax.ts';
import { engines } from './engines.ts';
import { formatSeries, type Series } from './format.ts';
import { countProbe, everyValueProbe } from './probe.ts';
import type { Truth } from './truth.ts';

/** Instant-query results as series with numeric values (a scalar becomes one unlabelled series). */
export function toSeries(result: PromResult): Series[] {
  if (result.resultType === 'vector') return result.result.map((s) => ({ labels: s.metric, value: Number(s.value[1]) }));
  if (result.resultType === 'scalar') return [{ labels: {}, value: Number(result.result[1]) }];
  if (result.resultType === 'matrix') return result.result.map((s) => ({ labels: s.metric, value: Number(s.values.at(-1)?.[1]) }));
  return [];
}

export function promql(expr: string) {
  const query = expr.trim();
  const run = async (context: CheckContext) => toSeries(await engines.prometheus(context).query(query));
  const base = { source: 'prometheus' as const, query, validate: () => assertQuery('promql', query, 'query') };

  return {
    /** Passes when the query returns at least one series and every value satisfies the expectation. */
    value(expectation: string): Probe {
      return everyValueProbe(base, expectation, run);
    },
    /** Passes when the number of series satisfies the expectation. */
    count(expectation: string): Probe {
      return countProbe(base, expectation, 'series', async (context) => {
        const series = await run(context);
        return { count: series.length, got: formatSeries(series) };
      });
    },
    /** Passes when the query returns nothing (the thing must be gone). */
    empty(): Probe {
      return {
        ...base,
        async observe(context) {
          const series = await run(context);
          return { pass: series.length === 0, got: formatSeries(series), expected: 'no series' };
        },
      };
    },
    /** Ground truth: the value of `name` on the series with the highest value. */
    label(name: string): Truth {
      return { ...base, resolve: async (context) => [...(await run(context))].sort((a, b) => b.value - a.value)[0]?.labels[name] };
    },
    /** Ground truth: the query's single value. */
    scalar(): Truth {
      return {
        ...base,
        resolve: async (context) => {
          const series = await run(context);
          return series.length === 1 && Number.isFinite(series[0]!.value) ? series[0]!.value : undefined;
        },
      };
    },
  };
}
