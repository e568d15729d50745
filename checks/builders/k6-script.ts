/**
 * Objectives on a student's k6 script: `k6 inspect` evaluates the script's options the way `k6 run` would,
 * so thresholds written in any style (object literal, spread from a shared profile…) are seen as k6 sees them.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { k6PrivateEnv } from '../../k6/run.ts';
import { parseExpectation } from '../expectations.ts';
import type { Probe } from '../model.ts';
import { plural } from './format.ts';
import { settledWhenFailing } from './probe.ts';
import { runTool } from './tool.ts';

export function k6Script(path: string) {
  return {
    /** Passes when the number of thresholds (across all metrics) satisfies the expectation. */
    thresholds(expectation: string): Probe {
      const expected = parseExpectation(expectation);
      return settledWhenFailing({
        source: 'workspace',
        query: `k6 inspect workspace/${path}`,
        validate: () => undefined,
        async observe(context) {
          const file = join(context.workspace, path);
          if (!existsSync(file)) return { pass: false, got: 'no such file', expected: `${expected.text} thresholds` };
          const result = await runTool(context, 'k6', ['inspect', file], { env: { ...process.env, ...k6PrivateEnv } });
          if (!result.ok) {
            const out = `${result.stderr}${result.stdout}`.trim().split('\n');
            const reason = out.find((line) => /error/i.test(line)) ?? out[0] ?? 'k6 inspect failed';
            return { pass: false, got: reason.replaceAll(context.workspace, 'workspace').slice(0, 240), expected: 'a script k6 can load' };
          }
          const thresholds = ((JSON.parse(result.stdout) as { thresholds?: Record<string, string[]> | null }).thresholds ?? {}) as Record<string, string[]>;
          const all = Object.entries(thresholds).flatMap(([metric, rules]) => rules.map((rule) => `${metric}: ${typeof rule === 'string' ? rule : JSON.stringify(rule)}`));
          return { pass: expected.test(all.length), got: all.length ? `${plural(all.length, 'threshold')}: ${all.join('; ')}` : 'no thresholds', expected: `${expected.text} thresholds` };
        },
      });
    },
  };
}
