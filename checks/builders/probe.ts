/**
 * The two shapes most objectives take, written once: "how many things did the query find?" and "does every
 * value the query returned satisfy the expectation?". Builders supply the query and the measuring.
 */
import { parseExpectation } from '../expectations.ts';
import type { CheckContext, Probe, Source } from '../model.ts';
import { formatSeries, type Series } from './format.ts';

export interface ProbeBase {
  source: Source;
  query: string;
  validate(): void;
}

/**
 * For probes on files the student wrote (a rule file, a k6 script): the file cannot change while a check
 * runs, so a failure is final at the first look.
 */
export function settledWhenFailing(probe: Probe): Probe {
  return {
    ...probe,
    async observe(context) {
      const observation = await probe.observe(context);
      return observation.pass ? observation : { ...observation, settled: true };
    },
  };
}

/** Passes when the count `measure` finds satisfies `expectation` ('>= 1'); `unit` names what is counted. */
export function countProbe(base: ProbeBase, expectation: string, unit: string, measure: (context: CheckContext) => Promise<{ count: number; got: string }>): Probe {
  const expected = parseExpectation(expectation);
  return {
    ...base,
    async observe(context) {
      const { count, got } = await measure(context);
      return { pass: expected.test(count), got, expected: `${expected.text} ${unit}` };
    },
  };
}

/** Passes when the query returns at least one series and every value satisfies `expectation`. */
export function everyValueProbe(base: ProbeBase, expectation: string, measure: (context: CheckContext) => Promise<Series[]>): Probe {
  const expected = parseExpectation(expectation);
  return {
    ...base,
    async observe(context) {
      const series = await measure(context);
      return { pass: series.length > 0 && series.every((s) => expected.test(s.value)), got: formatSeries(series), expected: `every value ${expected.text}` };
    },
  };
}
