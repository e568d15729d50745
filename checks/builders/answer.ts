/**
 * Answer objectives: the student writes answers in a YAML file in the workspace (answers/NN-slug.yaml),
 * and each is compared with ground truth computed from the live data at check time.
 *
 *   answer('noisiest_error_route').equals(logql('…').label('route'))
 *   answer('p95_seconds').near(promql('…').scalar(), { relative: 0.2 })
 *
 * Answers are read as a person would read them (see `normalise`), so a right answer written an ordinary
 * other way passes. An answer file cannot change while a check runs: a missing answer, or a wrong one while
 * the truth is known, fails at the first look (settled) instead of being polled until the deadline.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { approximately } from '../expectations.ts';
import type { CheckContext, Observation, Probe } from '../model.ts';
import { formatNumber } from './format.ts';
import type { Truth } from './truth.ts';

export function readAnswer(context: CheckContext, key: string): { value?: unknown; problem?: string } {
  if (!context.answersFile) return { problem: 'this lab has no answer file' };
  const file = join(context.workspace, context.answersFile);
  if (!existsSync(file)) return { problem: `no answer file (workspace/${context.answersFile})` };
  const answers = (parse(readFileSync(file, 'utf8')) ?? {}) as Record<string, unknown>;
  const value = answers[key];
  if (value === null || value === undefined || value === '') return { problem: `no answer for "${key}" yet` };
  return { value };
}

/**
 * How an answer is compared: `route` (an HTTP route: slashes and case optional), `name` (trimmed,
 * case-insensitive), `service` (a name that may say "the …" or "… service" around it).
 */
export type AnswerKind = 'route' | 'name' | 'service';

/**
 * An answer as a person reads it: no surrounding space or quotes, inner space collapsed, case folded; a route
 * also gets one leading slash and no trailing one; a service loses a leading "the" and a trailing "service".
 */
export function normalise(value: unknown, kind: AnswerKind): string {
  let text = String(value).trim().replace(/^(["'`])(.*)\1$/s, '$2').trim().replace(/\s+/g, ' ').toLowerCase();
  if (kind === 'route') text = `/${text.replace(/^\/+|\/+$/g, '')}`;
  if (kind === 'service') text = text.replace(/^the /, '').replace(/[ _-]service$/, '');
  return text;
}

/**
 * A numeric answer as a person writes it: "21.5", "21,5", "21.5 °C", "0.42s", "42 %" all read as their
 * number; anything else is NaN (and fails).
 */
export function readNumber(value: unknown): number {
  if (typeof value === 'number') return value;
  const text = String(value).trim().replace(/\s*(°\s*[cf]?|[a-zµ%]+)$/i, '');
  return Number(/^-?\d+,\d+$/.test(text) ? text.replace(',', '.') : text);
}

export function answer(key: string) {
  const probe = (truth: Truth, compare: (given: unknown, truth: string | number) => boolean, describe: (truth: string | number) => string): Probe => ({
    source: 'answer',
    query: `answer "${key}" vs ${truth.query}`,
    validate: () => truth.validate(),
    async observe(context): Promise<Observation> {
      const given = readAnswer(context, key);
      const expected = await truth.resolve(context);
      if (given.problem) return { pass: false, got: given.problem, expected: 'an answer', settled: true };
      if (expected === undefined) return { pass: false, got: `answer ${JSON.stringify(given.value)}`, expected: 'ground truth (the live data does not give one yet)' };
      // Evidence never shows the true value: it would give the answer away to the next student.
      const pass = compare(given.value, expected);
      return { pass, got: `answer ${JSON.stringify(given.value)}`, expected: describe(expected), settled: !pass };
    },
  });

  return {
    /** The answer equals the truth, both read as `kind` (see normalise). */
    equals(truth: Truth, options: { as?: AnswerKind } = {}): Probe {
      const kind = options.as ?? 'name';
      return probe(truth, (given, expected) => normalise(given, kind) === normalise(expected, kind), () => 'the value the live data gives');
    },
    /** A numeric answer within a tolerance of the truth. */
    near(truth: Truth, tolerance: { relative?: number; absolute?: number }): Probe {
      const within = (expected: number) => approximately(expected, tolerance);
      return probe(
        truth,
        (given, expected) => within(Number(expected)).test(readNumber(given)),
        () => `the live value${tolerance.relative ? ` ±${formatNumber(tolerance.relative * 100)}%` : ''}${tolerance.absolute ? ` ±${formatNumber(tolerance.absolute)}` : ''}`,
      );
    },
  };
}
