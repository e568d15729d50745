/**
 * A student's progress, .lab/progress.json: for each lab, the best score a check has reached, when the lab first
 * passed whole, and each objective's latest outcome. Every check records here (`npm run check` and the lab page's
 * "Check my work" alike), so the course site's home and module pages can show which labs are passed, in progress
 * or not started — from this file, through the lab agent; the browser stores nothing.
 *
 * A damaged file is never fatal: progress is a convenience, grading does not depend on it, so an unreadable
 * file counts as no progress (and is replaced by the next check). lab:reset of a lab forgets that lab's record;
 * lab:reset --all forgets every record.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { LabStatus } from '../agent/api.ts';
import type { CheckReport, Outcome } from '../checks/model.ts';
import { stateDir } from '../lib/paths.ts';
import { removeFile } from '../stack/native/process.ts';

export interface ObjectiveProgress {
  outcome: Outcome;
  at: string;
  /** The first time it passed, kept when a later check fails it. */
  passedAt?: string;
}

export interface LabProgress {
  /** The highest score of a whole check (every objective graded together). */
  best: { score: number; maxScore: number; at: string };
  /** The first whole check in which every objective passed. */
  passedAt?: string;
  lastCheckedAt: string;
  objectives: Record<string, ObjectiveProgress>;
}

interface ProgressFile {
  version: 1;
  labs: Record<string, LabProgress>;
}

export const progressFile = (env: NodeJS.ProcessEnv = process.env) => join(stateDir(env), 'progress.json');

/** Every lab's record, keyed by lab id ("lab-04"). Empty when there is none or the file is unreadable. */
export function readProgress(env: NodeJS.ProcessEnv = process.env): Record<string, LabProgress> {
  const file = progressFile(env);
  if (!existsSync(file)) return {};
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as Partial<ProgressFile>;
    return parsed.version === 1 && parsed.labs && typeof parsed.labs === 'object' ? parsed.labs : {};
  } catch {
    return {};
  }
}

function writeProgress(labs: Record<string, LabProgress>, env: NodeJS.ProcessEnv): void {
  const file = progressFile(env);
  mkdirSync(dirname(file), { recursive: true });
  // Written beside and renamed: the agent and a terminal check may record at the same moment.
  const partial = `${file}.${process.pid}.partial`;
  writeFileSync(partial, `${JSON.stringify({ version: 1, labs } satisfies ProgressFile, null, 2)}\n`);
  renameSync(partial, file);
}

/**
 * Adds a check's report to the lab's record. `whole` says whether every objective of the lab was graded (a
 * re-check of one objective updates that objective only: it can neither raise the best score nor pass the lab).
 */
export function recordReport(labId: string, report: CheckReport, whole: boolean, env: NodeJS.ProcessEnv = process.env): LabProgress {
  const labs = readProgress(env);
  const at = new Date(Date.parse(report.startedAt) + report.durationMs).toISOString();
  const previous = labs[labId];
  const objectives = { ...previous?.objectives };
  for (const result of report.objectives) {
    // An objective skipped because another did not pass says nothing new about it.
    if (result.outcome === 'skipped' && objectives[result.id]) continue;
    const firstPass = objectives[result.id]?.passedAt ?? (result.outcome === 'pass' ? at : undefined);
    objectives[result.id] = { outcome: result.outcome, at, ...(firstPass ? { passedAt: firstPass } : {}) };
  }
  const passedAt = previous?.passedAt ?? (whole && report.passed ? at : undefined);
  const better = whole && (!previous || report.score > previous.best.score || report.maxScore !== previous.best.maxScore);
  const record: LabProgress = {
    best: better ? { score: report.score, maxScore: report.maxScore, at } : (previous?.best ?? { score: 0, maxScore: report.maxScore, at }),
    ...(passedAt ? { passedAt } : {}),
    lastCheckedAt: at,
    objectives,
  };
  writeProgress({ ...labs, [labId]: record }, env);
  return record;
}

/** A lab's status for the site: passed once a whole check passed, in progress once started or checked. */
export function labStatus(record: LabProgress | undefined, started: boolean): LabStatus {
  if (record?.passedAt) return 'passed';
  return record || started ? 'in-progress' : 'not-started';
}

/** Forgets one lab's record (lab:reset <n>), or every record (lab:reset --all). */
export function forgetProgress(labId: string | 'all', env: NodeJS.ProcessEnv = process.env): void {
  if (labId === 'all') return removeFile(progressFile(env));
  const labs = readProgress(env);
  if (!(labId in labs)) return;
  delete labs[labId];
  writeProgress(labs, env);
}
