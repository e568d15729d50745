/**
 * Grading a lab: apply the workspace (so the engines run what the student wrote), then run the lab's
 * objectives against the live engines. The same for `npm run check` and the lab page's "Check my work".
 */
import { join } from 'node:path';
import { EngineUnreachable } from '../checks/clients/http.ts';
import type { CheckEvent, CheckReport, Objective } from '../checks/model.ts';
import { runObjectives } from '../checks/runner.ts';
import type { Lab } from '../labs/catalogue.ts';
import { toolEngine } from '../labs/model.ts';
import { StackError, UsageError } from '../lib/errors.ts';
import { stateDir, workspaceDir } from '../lib/paths.ts';
import { silentProgress } from '../lib/progress.ts';
import { binaryPath } from '../stack/binaries.ts';
import type { StackRuntime } from '../stack/runtime.ts';
import { engineVersion } from '../stack/versions.ts';
import { answersFile } from './labs.ts';
import { recordReport } from './progress.ts';
import { readSession } from './state.ts';
import { applyWorkspace } from './workspace.ts';

export interface GradeOptions {
  onEvent?: (event: CheckEvent) => void;
  /** Multiplies every objective's deadline (tests on a slow machine). */
  deadlineScale?: number;
  env?: NodeJS.ProcessEnv;
  /** Grade this objective only (and the objectives it needs): a re-check from the lab page or `--objective`. */
  only?: string;
}

export async function gradeLab(lab: Lab, runtime: StackRuntime, options: GradeOptions = {}): Promise<CheckReport> {
  const env = options.env ?? process.env;
  // An unknown objective id is refused before the workspace is applied (which may reload engines).
  const objectives = options.only === undefined ? lab.objectives : withNeeds(lab, options.only);
  let applied: Awaited<ReturnType<typeof applyWorkspace>>;
  try {
    applied = await applyWorkspace(lab, runtime, silentProgress, env, { refusals: 'report' });
  } catch (error) {
    if (error instanceof EngineUnreachable) throw stackDown(error.message, lab);
    throw error;
  }
  const report = await runObjectives({ number: lab.number, slug: lab.slug, title: lab.title }, objectives, {
    endpoints: runtime.endpoints(),
    workspace: workspaceDir(env),
    answersFile: answersFile(lab),
    appliedAt: applied.changedAt,
    refused: applied.refused,
    labStartedAt: startedAt(lab, env),
    appLog: serviceLogReader(runtime),
    // Only the tools the lab declares: a check that runs another fails here too, not only where Docker runs.
    tools: Object.fromEntries((lab.tools ?? []).map((tool) => [tool, binaryPath(engineVersion(toolEngine[tool]), tool, env)])),
    toolRuns: join(stateDir(env), 'run', 'tool-runs'),
  }, { emit: options.onEvent, deadlineScale: options.deadlineScale });
  // Every check counts towards the student's progress (lifecycle/progress.ts), except one an engine could not
  // answer: that says nothing about the student's work.
  if (!unreachableEngine(report)) recordReport(lab.id, report, objectives.length === lab.objectives.length, env);
  return report;
}

/** One objective and, before it, every objective it needs (transitively), in the lab's order. */
export function withNeeds(lab: Lab, id: string): Objective[] {
  const byId = new Map(lab.objectives.map((o) => [o.id, o]));
  if (!byId.has(id)) throw new UsageError(`lab ${lab.number} has no objective "${id}"`, `Its objectives are: ${lab.objectives.map((o) => o.id).join(', ')}.`);
  const wanted = new Set<string>();
  const add = (next: string) => {
    if (wanted.has(next)) return;
    wanted.add(next);
    for (const need of byId.get(next)?.needs ?? []) add(need);
  };
  add(id);
  return lab.objectives.filter((o) => wanted.has(o.id));
}

/**
 * A service's own log lines for the objectives that take their truth from it. Objectives poll in parallel,
 * each every few seconds, and a read is the whole log (a file natively, `docker compose logs` otherwise): one
 * read serves every look within a second. Enough lines for the windows truths use (ten minutes of the shop
 * at lab load is ~6000).
 */
function serviceLogReader(runtime: StackRuntime): (service: string) => Promise<string[]> {
  const recent = new Map<string, { at: number; lines: Promise<string[]> }>();
  return (service) => {
    const cached = recent.get(service);
    if (cached && Date.now() - cached.at < 1000) return cached.lines;
    const lines = runtime.logs(service, 50_000).then((text) => text.split('\n'));
    recent.set(service, { at: Date.now(), lines });
    return lines;
  };
}

/** When this lab's session began, if it is the started lab. */
function startedAt(lab: Lab, env: NodeJS.ProcessEnv): number | undefined {
  const session = readSession(env);
  return session?.lab === lab.id ? Date.parse(session.startedAt) : undefined;
}

/** An engine that did not answer is a stack problem, not the student's: one line, exit 3. */
export function stackDown(message: string, lab: Lab): StackError {
  return new StackError(message, `Start the lab's stack with npm run lab:start ${lab.number} (npm run stack:status shows what runs).`);
}

/** The first objective that could not be graded because its engine did not answer, if any. */
export function unreachableEngine(report: CheckReport): string | undefined {
  return report.objectives.find((o) => o.cause === 'engine-unreachable')?.message;
}
