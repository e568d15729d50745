/**
 * `npm run check [n] [-- --json | --junit <file>] [-v]`: grades a lab from the live telemetry.
 * Exit 0 when every objective passes, 1 when some do not, 2 for a usage or definition error (a malformed
 * workspace file included), 3 when an engine does not answer.
 */
import { writeFileSync } from 'node:fs';
import { EngineUnreachable } from '../../checks/clients/http.ts';
import type { CheckEvent, CheckReport } from '../../checks/model.ts';
import { toJson } from '../../checks/reporters/json.ts';
import { toJUnit } from '../../checks/reporters/junit.ts';
import { formatTerminalEvent, formatTerminalReport } from '../../checks/reporters/terminal.ts';
import { runObjectives } from '../../checks/runner.ts';
import type { Lab } from '../../labs/catalogue.ts';
import { StackError } from '../../lib/errors.ts';
import { workspaceDir } from '../../lib/paths.ts';
import { createProgress, silentProgress } from '../../lib/progress.ts';
import { binaryPath } from '../../stack/binaries.ts';
import type { StackRuntime } from '../../stack/runtime.ts';
import { engineVersion } from '../../stack/versions.ts';
import { parseArgs } from '../args.ts';
import { answersFile, applyWorkspace, labFromArgs, readSession } from '../session.ts';
import { selectRuntime } from './runtime.ts';

/** Applies the workspace and runs the lab's objectives: the same for the CLI and the lab agent. */
export async function gradeLab(lab: Lab, runtime: StackRuntime, options: { onEvent?: (event: CheckEvent) => void; deadlineScale?: number } = {}): Promise<CheckReport> {
  try {
    await applyWorkspace(lab, runtime, silentProgress);
  } catch (error) {
    if (error instanceof EngineUnreachable) throw unreachable(error, lab);
    throw error;
  }
  return runObjectives({ number: lab.number, slug: lab.slug, title: lab.title }, lab.objectives, {
    endpoints: runtime.endpoints(),
    workspace: workspaceDir(),
    answersFile: answersFile(lab),
    tools: { promtool: binaryPath(engineVersion('prometheus'), 'promtool'), k6: binaryPath(engineVersion('k6'), 'k6') },
  }, { emit: options.onEvent, deadlineScale: options.deadlineScale });
}

function unreachable(error: EngineUnreachable, lab: Lab): StackError {
  return new StackError(error.message, `Start the lab's stack with npm run lab:start ${lab.number} (npm run stack:status shows what runs).`);
}

export async function check(argv: string[]): Promise<number> {
  const { positionals, flags } = parseArgs(argv, ['junit', 'runtime', 'deadline-scale']);
  const lab = await labFromArgs(positionals[0]);
  const runtime = selectRuntime(flags.get('runtime') ?? readSession()?.runtime);
  const json = flags.has('json');
  const verbose = flags.has('verbose') || flags.has('v');
  const progress = createProgress({ quiet: json });

  const report = await gradeLab(lab, runtime, {
    onEvent: (event) => {
      const line = json ? undefined : formatTerminalEvent(event);
      if (line) progress.info(line);
    },
    deadlineScale: flags.has('deadline-scale') ? Number(flags.get('deadline-scale')) : undefined,
  });

  if (json) process.stdout.write(toJson(report));
  else process.stdout.write(`${formatTerminalReport(report, { verbose, color: process.stdout.isTTY ?? false })}\n`);
  const junit = flags.get('junit');
  if (typeof junit === 'string') writeFileSync(junit, toJUnit(report));

  // An engine that did not answer is a stack problem, not the student's: say so in one line, exit 3.
  const down = report.objectives.find((o) => o.outcome === 'error' && EngineUnreachable.describes(o.message));
  if (down) throw new StackError(down.message!, `Start the lab's stack with npm run lab:start ${lab.number} (npm run stack:status shows what runs).`);
  return report.passed ? 0 : 1;
}
