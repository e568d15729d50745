/**
 * Answer objectives: the student writes answers in a YAML file in the workspace (answers/NN-slug.yaml),
 * and each is compared with ground truth computed from the live data at check time.
 *
 *   answer('noisiest_error_route').equals(logql('…').label('route'))
 *   answer('p95_seconds').near(promql('…').scalar(), { relative: 0.2 })
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { approximately } from '../expectations.ts';
import type { CheckContext, Observation, Probe } from '../model.ts';
import { formatNumber } from './format.ts';
import type { Truth } from './truth.ts';

function readAnswer(context: CheckContext, key: string): { value?: unknown; problem?: string } {
  if (!context.answersFile) return { problem: 'this lab has no answer file' };
  const file = join(context.workspace, context.answersFile);
  if (!existsSync(file)) return { problem: `no answer file (workspace/${context.answersFile})` };
  const answers = (parse(readFileSync(file, 'utf8')) ?? {}) as Record<string, unknown>;
  const value = answers[key];
  if (value === null || value === undefined || value === '') return { problem: `no answer for "${key}" yet` };
  return { value };
}

export function answer(key: string) {
  const probe = (truth: Truth, compare: (given: unknown, truth: string | number) => boolean, describe: (truth: string | number) => string): Probe => ({
    source: 'answer',
    query: `answer "${key}" vs ${truth.query}`,
    validate: () => truth.validate(),
    async observe(context): Promise<Observation> {
      const given = readAnswer(context, key);
      const expected = await truth.resolve(context);
      if (expected === undefined) return { pass: false, got: given.problem ?? `answer ${JSON.stringify(given.value)}`, expected: 'ground truth (the live data does not give one yet)' };
      if (given.problem) return { pass: false, got: given.problem, expected: 'an answer' };
      // Evidence never shows the true value: it would give the answer away to the next student.
      return { pass: compare(given.value, expected), got: `answer ${JSON.stringify(given.value)}`, expected: describe(expected) };
    },
  });

  return {
    /** The answer equals the truth (strings trimmed; numbers compared as numbers). */
    equals(truth: Truth): Probe {
      return probe(truth, (given, expected) => String(given).trim() === String(expected).trim(), () => 'the value the live data gives');
    },
    /** A numeric answer within a tolerance of the truth. */
    near(truth: Truth, tolerance: { relative?: number; absolute?: number }): Probe {
      const within = (expected: number) => approximately(expected, tolerance);
      return probe(
        truth,
        (given, expected) => within(Number(expected)).test(Number(given)),
        () => `the live value${tolerance.relative ? ` ±${formatNumber(tolerance.relative * 100)}%` : ''}${tolerance.absolute ? ` ±${formatNumber(tolerance.absolute)}` : ''}`,
      );
    },
  };
}
