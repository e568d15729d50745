/**
 * PromQL over the time since a workspace file was last saved: `sinceSaved('k6/breaking-point.ts').promql((range)
 * => \`sum(max_over_time(k6_http_reqs_total{testid="…"}[${range}]))\`).value('>= 50')`.
 *
 * Only current work counts (GRADING.md §3): a k6 script's runs all carry the lab's testid, so the runs of an
 * older version of the script sit beside the current one's in Prometheus. Saving the script starts a new
 * attempt; the query sees only what was recorded since, so neither an old good run nor an old bad one is
 * held for or against the script as it is now.
 */
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { parseExpectation } from '../expectations.ts';
import type { Probe } from '../model.ts';
import { assertQuery } from '../syntax.ts';
import { engines } from './engines.ts';
import { formatClock, formatSeries } from './format.ts';
import { toSeries } from './promql.ts';

/** The PromQL range from `savedAt` to `now`, in whole seconds, rounded up so the first sample after the save is in it. */
export function rangeSince(savedAt: number, now: number): string {
  return `${Math.max(1, Math.ceil((now - savedAt) / 1000))}s`;
}

export function sinceSaved(path: string) {
  return {
    /** `build(range)` is the query over the range since the save, e.g. "[37s]" inside a *_over_time. */
    promql(build: (range: string) => string) {
      const query = build('<since saved>').trim();
      return {
        /** Passes when the query returns at least one series and every value satisfies the expectation. */
        value(expectation: string): Probe {
          const expected = parseExpectation(expectation);
          return {
            source: 'prometheus',
            query,
            validate: () => assertQuery('promql', build('60s'), 'query'),
            async observe(context) {
              let savedAt: number;
              try {
                savedAt = statSync(join(context.workspace, path)).mtimeMs;
              } catch {
                return { pass: false, got: `no workspace/${path}`, expected: `every value ${expected.text}`, settled: true };
              }
              const series = toSeries(await engines.prometheus(context).query(build(rangeSince(savedAt, Date.now()))));
              const pass = series.length > 0 && series.every((s) => expected.test(s.value));
              return { pass, got: `${formatSeries(series)} since you saved workspace/${path} at ${formatClock(savedAt)}`, expected: `every value ${expected.text}` };
            },
          };
        },
      };
    },
  };
}
