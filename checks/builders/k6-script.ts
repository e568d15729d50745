/**
 * Objectives on a student's k6 script: `k6 inspect` evaluates the script's options the way `k6 run` would,
 * so thresholds and scenarios written in any style (object literal, spread from a shared profile…) are seen
 * as k6 sees them. A script cannot change while a check runs: a failure is final at the first look.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { k6PrivateEnv } from '../../k6/run.ts';
import { parseExpectation } from '../expectations.ts';
import type { CheckContext, Observation, Probe } from '../model.ts';
import { formatNumber, plural } from './format.ts';
import { settledWhenFailing } from './probe.ts';
import { runTool } from './tool.ts';

/** A threshold as `k6 inspect` prints it: a bare expression, or the object form with abortOnFail. */
export type InspectedThreshold = string | { threshold: string; abortOnFail?: boolean; delayAbortEval?: string };

export interface InspectedScenario {
  executor: string;
  startRate?: number | null;
  rate?: number | null;
  timeUnit?: string | null;
  stages?: { duration: string; target: number }[] | null;
}

/** The part of `k6 inspect`'s output these objectives read. */
export interface InspectedOptions {
  scenarios?: Record<string, InspectedScenario> | null;
  thresholds?: Record<string, InspectedThreshold[]> | null;
}

/** "ramp: ramping-arrival-rate 10 → 60 per 1s", "steady: constant-arrival-rate 40 per 1s". */
export function describeScenario(name: string, scenario: InspectedScenario): string {
  const per = scenario.timeUnit ? ` per ${scenario.timeUnit}` : '';
  if (scenario.executor === 'ramping-arrival-rate') {
    const targets = (scenario.stages ?? []).map((s) => formatNumber(s.target));
    return `${name}: ramping-arrival-rate ${[formatNumber(scenario.startRate ?? 0), ...targets].join(' → ')}${per}`;
  }
  if (scenario.executor === 'constant-arrival-rate') return `${name}: constant-arrival-rate ${formatNumber(scenario.rate ?? 0)}${per}`;
  return `${name}: ${scenario.executor}`;
}

/** A ramping-arrival-rate scenario whose stages climb above the rate it starts at: it searches for a limit. */
export function rampsArrivalRate(options: InspectedOptions): boolean {
  return Object.values(options.scenarios ?? {}).some(
    (s) => s.executor === 'ramping-arrival-rate' && (s.stages ?? []).some((stage) => stage.target > (s.startRate ?? 0)),
  );
}

/** Every threshold as "metric: expression" with its abort setting, for evidence. */
export function listThresholds(options: InspectedOptions): string[] {
  return Object.entries(options.thresholds ?? {}).flatMap(([metric, rules]) =>
    rules.map((rule) => (typeof rule === 'string' ? `${metric}: ${rule}` : `${metric}: ${rule.threshold}${rule.abortOnFail ? ' (abortOnFail)' : ''}`)),
  );
}

/**
 * Whether a threshold on `metric` (or one of its sub-metrics, `metric{tag:value}`) aborts the test
 * (`abortOnFail: true`) once the metric's rate reaches a bound of at most `rateAtMost`: `rate<0.05`, `rate<=0.01`.
 */
export function abortsOnRate(options: InspectedOptions, metric: string, rateAtMost: number): boolean {
  return Object.entries(options.thresholds ?? {}).some(
    ([name, rules]) =>
      (name === metric || name.startsWith(`${metric}{`)) &&
      rules.some((rule) => {
        if (typeof rule === 'string' || !rule.abortOnFail) return false;
        const bound = /^\s*rate\s*<=?\s*([0-9.]+(?:e-?\d+)?)\s*$/.exec(rule.threshold)?.[1];
        return bound !== undefined && Number(bound) <= rateAtMost;
      }),
  );
}

export function k6Script(path: string) {
  const query = `k6 inspect workspace/${path}`;

  /** The options k6 reads from the script, or the failed observation that says why there are none. */
  async function inspect(context: CheckContext, expected: string): Promise<{ options: InspectedOptions } | { failure: Observation }> {
    const file = join(context.workspace, path);
    if (!existsSync(file)) return { failure: { pass: false, got: 'no such file', expected } };
    const result = await runTool(context, 'k6', ['inspect', file], { env: { ...process.env, ...k6PrivateEnv } });
    if (!result.ok) {
      const out = `${result.stderr}${result.stdout}`.trim().split('\n');
      const reason = out.find((line) => /error/i.test(line)) ?? out[0] ?? 'k6 inspect failed';
      return { failure: { pass: false, got: reason.replaceAll(context.workspace, 'workspace').slice(0, 240), expected: 'a script k6 can load' } };
    }
    return { options: JSON.parse(result.stdout) as InspectedOptions };
  }

  /** A settled-when-failing probe over the inspected options. */
  const onOptions = (expected: string, judge: (options: InspectedOptions) => Observation): Probe =>
    settledWhenFailing({
      source: 'workspace',
      query,
      validate: () => undefined,
      async observe(context) {
        const inspected = await inspect(context, expected);
        return 'failure' in inspected ? inspected.failure : judge(inspected.options);
      },
    });

  return {
    /** Passes when the number of thresholds (across all metrics) satisfies the expectation. */
    thresholds(expectation: string): Probe {
      const expected = parseExpectation(expectation);
      const text = `${expected.text} thresholds`;
      return onOptions(text, (options) => {
        const all = listThresholds(options);
        return { pass: expected.test(all.length), got: all.length ? `${plural(all.length, 'threshold')}: ${all.join('; ')}` : 'no thresholds', expected: text };
      });
    },
    /** Passes when a scenario ramps its arrival rate up (ramping-arrival-rate, a stage above its start rate). */
    rampsArrivalRate(): Probe {
      const expected = 'a ramping-arrival-rate scenario whose stages climb';
      return onOptions(expected, (options) => {
        const scenarios = Object.entries(options.scenarios ?? {}).map(([name, s]) => describeScenario(name, s));
        return { pass: rampsArrivalRate(options), got: scenarios.length ? scenarios.join('; ') : 'no scenarios (k6 runs its default: 1 VU, 1 iteration)', expected };
      });
    },
    /** Passes when a threshold on `metric`'s rate, with a bound of at most `rateAtMost`, aborts the test. */
    abortsOnRate(metric: string, options: { rateAtMost: number }): Probe {
      const expected = `a threshold ${metric}: rate<${formatNumber(options.rateAtMost)} (or tighter) with abortOnFail: true`;
      return onOptions(expected, (inspected) => {
        const all = listThresholds(inspected);
        return { pass: abortsOnRate(inspected, metric, options.rateAtMost), got: all.length ? all.join('; ') : 'no thresholds', expected };
      });
    },
  };
}
