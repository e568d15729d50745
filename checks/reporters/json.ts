/**
 * The JSON reporter: the CheckReport exactly, with its keys always in the order checks/REPORT.md documents, so
 * the output diffs cleanly and reads top-down whatever order the runner built the objects in. The lab page's
 * "Check my work" widget receives the same JSON.
 */
import type { CheckReport, Evidence, LabRef, ObjectiveResult, Outcome } from '../model.ts';

// Key order, per object. `satisfies Record<keyof …>` makes a field added to the model fail to compile here until
// it is given its place (and documented in REPORT.md), instead of silently vanishing from the JSON.
const reportKeys = {
  schemaVersion: true,
  lab: true,
  startedAt: true,
  durationMs: true,
  score: true,
  maxScore: true,
  passed: true,
  counts: true,
  objectives: true,
} satisfies Record<keyof CheckReport, true>;

const labKeys = { number: true, slug: true, title: true } satisfies Record<keyof LabRef, true>;

const countKeys = { pass: true, fail: true, error: true, skipped: true } satisfies Record<Outcome, true>;

const objectiveKeys = {
  id: true,
  title: true,
  outcome: true,
  points: true,
  score: true,
  evidence: true,
  hint: true,
  message: true,
  cause: true,
  attempts: true,
  durationMs: true,
} satisfies Record<keyof ObjectiveResult, true>;

const evidenceKeys = { source: true, query: true, got: true, expected: true } satisfies Record<keyof Evidence, true>;

export function toJson(report: CheckReport): string {
  const ordered = {
    ...pick(report, reportKeys),
    lab: pick(report.lab, labKeys),
    counts: pick(report.counts, countKeys),
    objectives: report.objectives.map((objective) => ({
      ...pick(objective, objectiveKeys),
      ...(objective.evidence ? { evidence: pick(objective.evidence, evidenceKeys) } : {}),
    })),
  };
  return `${JSON.stringify(ordered, null, 2)}\n`;
}

/**
 * A copy of `value` with the keys of `order`, in that order; keys whose value is undefined are left out, as
 * JSON.stringify would. Spreading nested objects over the result afterwards keeps their key's position.
 */
function pick<T extends object>(value: T, order: Record<keyof T, true>): Partial<T> {
  const out: Partial<T> = {};
  for (const key of Object.keys(order) as (keyof T)[]) {
    if (value[key] !== undefined) out[key] = value[key];
  }
  return out;
}
