/**
 * The numeric expectations objectives are written with: `'> 0'`, `'>= 3'`, `'== 1'`, `'!= 0'`, `'< 0.5'`, `'<= 2'`,
 * and `approximately(…)` for graded answers. Parsed once, when the lab definition loads, so a typo is a
 * definition error with the place named rather than an objective that can never pass.
 *
 * Values come from engines that compute in floating point (a ratio of rates is 0.30000000000000004, not 0.3), so
 * equality allows a relative difference of 1e-9, and the ordered comparisons use the same notion of equality
 * (`<= 0.3` holds for every value that `== 0.3` holds for). Zero equals only zero, so `> 0` passes for any
 * positive value, however small. NaN (Prometheus's answer to 0/0) passes no expectation, `!= 0` included.
 */
import { UsageError } from '../lib/errors.ts';

export type ComparisonOperator = '>' | '>=' | '==' | '!=' | '<' | '<=';

/** Anything that judges one number: what builders need from an expectation. */
export interface NumberTest {
  /** How the expectation reads in evidence: "> 0", "≈ 42 ± 5%". */
  readonly text: string;
  test(n: number): boolean;
}

export interface Expectation extends NumberTest {
  readonly op: ComparisonOperator;
  readonly value: number;
}

export interface Approximation extends NumberTest {
  readonly expected: number;
  /** The widest difference from `expected` that still passes. */
  readonly margin: number;
}

/** Relative difference under which two floating-point results count as equal. */
const equalityTolerance = 1e-9;

function nearlyEqual(a: number, b: number): boolean {
  if (a === b) return true;
  if (!Number.isFinite(a) || !Number.isFinite(b)) return false;
  return Math.abs(a - b) <= equalityTolerance * Math.max(Math.abs(a), Math.abs(b));
}

const comparisons: Record<ComparisonOperator, (n: number, value: number) => boolean> = {
  '==': (n, v) => nearlyEqual(n, v),
  '!=': (n, v) => !nearlyEqual(n, v),
  '>': (n, v) => n > v && !nearlyEqual(n, v),
  '>=': (n, v) => n > v || nearlyEqual(n, v),
  '<': (n, v) => n < v && !nearlyEqual(n, v),
  '<=': (n, v) => n < v || nearlyEqual(n, v),
};

// Longer operators first, so ">=" is not read as ">" followed by "=3".
const expectationPattern = /^\s*(==|!=|>=|<=|>|<)\s*([+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?)\s*$/;

/** Parses `'>= 3'` and friends; throws a UsageError naming the text when it is not one of them. */
export function parseExpectation(text: string): Expectation {
  const match = expectationPattern.exec(text);
  if (!match) {
    const fix = /^\s*=\s*[^=]/.test(text) ? ' (equality is written "==")' : '';
    throw new UsageError(
      `expectation ${JSON.stringify(text)} is not a comparison${fix}`,
      'Write an operator (>, >=, ==, !=, <, <=) and a number, for example "> 0" or ">= 3".',
    );
  }
  const op = match[1] as ComparisonOperator;
  const number = match[2]!.replace(/^\+/, '');
  const value = Number(number);
  if (!Number.isFinite(value)) throw new UsageError(`expectation ${JSON.stringify(text)}: ${number} is out of range`, 'Use a finite number.');
  const compare = comparisons[op];
  return {
    op,
    value,
    text: `${op} ${number}`,
    test: (n) => !Number.isNaN(n) && compare(n, value),
  };
}

/**
 * A number within a tolerance of `expected`: `relative` is a fraction of `expected` (0.05 = 5 %), `absolute` a
 * fixed amount; given both, the wider one applies. `expected` is often a live value (the truth an answer is graded
 * against), so a NaN there is not a definition error: it just lets nothing pass.
 */
export function approximately(expected: number, tolerance: { relative?: number; absolute?: number }): Approximation {
  const { relative, absolute } = tolerance;
  if (relative === undefined && absolute === undefined) {
    throw new UsageError('approximately(): no tolerance given', 'Pass { relative } (0.05 for 5 %), { absolute }, or both.');
  }
  for (const [name, amount] of [['relative', relative], ['absolute', absolute]] as const) {
    if (amount !== undefined && !(amount >= 0 && Number.isFinite(amount))) {
      throw new UsageError(`approximately(): ${name} tolerance ${amount} is not a finite number ≥ 0`, `Give ${name} as a number such as 0.05.`);
    }
  }
  const margin = Math.max((relative ?? 0) * Math.abs(expected), absolute ?? 0);
  return {
    expected,
    margin,
    text: `≈ ${expected} ${describeTolerance(relative, absolute)}`,
    test(n) {
      if (Number.isNaN(n) || Number.isNaN(expected)) return false;
      if (!Number.isFinite(expected) || !Number.isFinite(n)) return n === expected;
      // `0.3 + 0.1` is 0.4000000000000001: the boundary itself passes, whatever the rounding did to it.
      const slack = equalityTolerance * Math.max(Math.abs(n), Math.abs(expected));
      return Math.abs(n - expected) <= margin + slack;
    },
  };
}

function describeTolerance(relative: number | undefined, absolute: number | undefined): string {
  const percent = relative === undefined ? undefined : `± ${Number((relative * 100).toPrecision(6))}%`;
  const amount = absolute === undefined ? undefined : `± ${absolute}`;
  if (percent && amount) return `(${percent} or ${amount}, whichever is wider)`;
  return percent ?? amount!;
}
