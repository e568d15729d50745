/**
 * Objectives on a student's k6 script: `k6 inspect` evaluates the script's options the way `k6 run` would,
 * so thresholds written in any style (object literal, spread from a shared profile…) are seen as k6 sees them.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parseExpectation } from '../expectations.ts';
import type { Probe } from '../model.ts';
import { plural } from './format.ts';

const run = promisify(execFile);

export function k6Script(path: string) {
  return {
    /** Passes when the number of thresholds (across all metrics) satisfies the expectation. */
    thresholds(expectation: string): Probe {
      const expected = parseExpectation(expectation);
      return {
        source: 'workspace',
        query: `k6 inspect workspace/${path}`,
        validate: () => undefined,
        async observe(context) {
          const file = join(context.workspace, path);
          if (!existsSync(file)) return { pass: false, got: 'no such file', expected: `${expected.text} thresholds` };
          const k6 = context.tools?.k6;
          if (!k6) throw new Error('k6 is not available (npm run engines:install builds it)');
          const result = await run(k6, ['inspect', file], { env: { ...process.env, K6_NO_USAGE_REPORT: 'true', K6_AUTO_EXTENSION_RESOLUTION: 'false' } }).then(
            (r) => ({ ok: true as const, out: r.stdout }),
            (e: { stdout?: string; stderr?: string }) => ({ ok: false as const, out: `${e.stderr ?? ''}${e.stdout ?? ''}` }),
          );
          if (!result.ok) {
            const reason = result.out.trim().split('\n').find((line) => /error/i.test(line)) ?? result.out.trim().split('\n')[0] ?? 'k6 inspect failed';
            return { pass: false, got: reason.replaceAll(context.workspace, 'workspace').slice(0, 240), expected: 'a script k6 can load' };
          }
          const thresholds = ((JSON.parse(result.out) as { thresholds?: Record<string, string[]> | null }).thresholds ?? {}) as Record<string, string[]>;
          const all = Object.entries(thresholds).flatMap(([metric, rules]) => rules.map((rule) => `${metric}: ${typeof rule === 'string' ? rule : JSON.stringify(rule)}`));
          return { pass: expected.test(all.length), got: all.length ? `${plural(all.length, 'threshold')}: ${all.join('; ')}` : 'no thresholds', expected: `${expected.text} thresholds` };
        },
      };
    },
  };
}
