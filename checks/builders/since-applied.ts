/**
 * What an engine produced from the student's current configuration: series and exemplars that arrived in
 * Prometheus after the workspace was last applied (CheckContext.appliedAt).
 *
 *   sinceApplied((range) => `count by (http_route) (count_over_time(traces_spanmetrics_calls_total[${range}]))`).count('>= 2')
 *   exemplars('traces_spanmetrics_latency_bucket{service="shop"}').count('>= 1')
 *
 * Only current work counts (GRADING.md §3): series written before the change (Tempo's metrics-generator with
 * the previous config, another lab's run) stay in Prometheus; a range that starts at the change sees none of
 * their samples, so neither an old good config nor an old bad one is held for or against the current one.
 * When the engine that writes them refused the student's file (CheckContext.refused.tempo), nothing it writes
 * is the student's work: the objective fails at once with the reason.
 */
import { parseExpectation } from '../expectations.ts';
import type { CheckContext, Observation, Probe } from '../model.ts';
import { assertQuery } from '../syntax.ts';
import { engines } from './engines.ts';
import { formatClock, formatSeries, plural } from './format.ts';
import { toSeries } from './promql.ts';

/** Without an apply time (a check outside a lab), the last ten minutes. */
const since = (context: CheckContext, now: number) => context.appliedAt ?? now - 600_000;
const sinceText = (context: CheckContext) => (context.appliedAt ? ` since your change at ${formatClock(context.appliedAt)}` : ' in the last 10 minutes');
const refusedBy = (context: CheckContext): Observation | undefined => (context.refused?.tempo ? { pass: false, got: context.refused.tempo, expected: 'Tempo running your file', settled: true } : undefined);

/**
 * The window since the apply, exactly: a range of whole seconds evaluated at the apply plus that range, so it
 * covers (appliedAt, appliedAt + range] and nothing earlier — not even the last push an engine's previous
 * process made as it stopped, a moment before the apply (a range rounded up and evaluated at "now" reached
 * back past the apply, and counted that push as the new process's: lab 21's gateway without a batch processor
 * once passed "sends in batches" that way). Undefined until a whole second has passed.
 */
export function windowSince(appliedAt: number, now: number): { range: string; at: Date } | undefined {
  const seconds = Math.floor((now - appliedAt) / 1000);
  return seconds >= 1 ? { range: `${seconds}s`, at: new Date(appliedAt + seconds * 1000) } : undefined;
}

export function sinceApplied(build: (range: string) => string) {
  const query = build('<since applied>').trim();
  return {
    /**
     * Passes when the number of series the query returns over the range since the apply satisfies the
     * expectation. With `settlesAfterMs`, a shortfall is final once that long has passed since the apply: the
     * engine that writes the series pushes every few seconds, so what has not come by then is not coming (a
     * verdict at once rather than at the deadline, GRADING.md §5).
     */
    count(expectation: string, options: { settlesAfterMs?: number } = {}): Probe {
      const expected = parseExpectation(expectation);
      return {
        source: 'prometheus',
        query,
        validate: () => assertQuery('promql', build('60s'), 'query'),
        async observe(context) {
          const refused = refusedBy(context);
          if (refused) return refused;
          const now = Date.now();
          const window = windowSince(since(context, now), now);
          if (!window) return { pass: false, got: `nothing yet${sinceText(context)}`, expected: `${expected.text} series` };
          const series = toSeries(await engines.prometheus(context).query(build(window.range), window.at));
          const pass = expected.test(series.length);
          const settled = !pass && options.settlesAfterMs !== undefined && context.appliedAt !== undefined && now - context.appliedAt >= options.settlesAfterMs;
          return { pass, got: `${formatSeries(series)}${sinceText(context)}`, expected: `${expected.text} series`, ...(settled ? { settled } : {}) };
        },
      };
    },
  };
}

export function exemplars(selector: string) {
  const query = selector.trim();
  return {
    /** Passes when the number of exemplars stored for the selector's series since the apply satisfies the expectation. */
    count(expectation: string): Probe {
      const expected = parseExpectation(expectation);
      return {
        source: 'prometheus',
        query: `exemplars of ${query}`,
        validate: () => assertQuery('promql', query, 'selector'),
        async observe(context) {
          const refused = refusedBy(context);
          if (refused) return refused;
          const now = Date.now();
          const start = since(context, now);
          const found = (await engines.prometheus(context).queryExemplars(query, new Date(start), new Date(now + 5_000))).flatMap((s) => s.exemplars.filter((e) => e.timestamp * 1000 >= start));
          const example = found[0] ? ` (e.g. ${Object.entries(found[0].labels).map(([k, v]) => `${k}=${v}`).join(', ')})` : '';
          return { pass: expected.test(found.length), got: `${plural(found.length, 'exemplar')}${sinceText(context)}${example}`, expected: `${expected.text} exemplars` };
        },
      };
    },
  };
}
