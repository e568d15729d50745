/**
 * `npm run check [n] [-- --objective <id>] [-- --json | --junit <file>] [-v]`: grades a lab from the live
 * telemetry (one objective, and what it needs, with --objective). Every result is recorded in .lab/progress.json.
 * Exit 0 when every objective passes, 1 when some do not, 2 for a usage or definition error (a malformed
 * workspace file included), 3 when an engine does not answer.
 */
import { writeFileSync } from 'node:fs';
import { toJson } from '../../checks/reporters/json.ts';
import { toJUnit } from '../../checks/reporters/junit.ts';
import { formatTerminalEvent, formatTerminalReport } from '../../checks/reporters/terminal.ts';
import { gradeLab, stackDown, unreachableEngine } from '../../lifecycle/grade.ts';
import { labFromArgs } from '../../lifecycle/labs.ts';
import { selectRuntime } from '../../lifecycle/runtime.ts';
import { readSession } from '../../lifecycle/state.ts';
import { UsageError } from '../../lib/errors.ts';
import { createProgress } from '../../lib/progress.ts';
import { parseArgs } from '../args.ts';

function objectiveOf(flag: string | true | undefined, lab: number): string | undefined {
  if (flag === true) throw new UsageError('--objective needs the id of an objective', `Example: npm run check ${lab} -- --objective <id> (npm run check ${lab} -- --json lists the ids).`);
  return flag;
}

export async function check(argv: string[]): Promise<number> {
  const { positionals, flags } = parseArgs(argv, ['junit', 'runtime', 'deadline-scale', 'objective']);
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
    only: objectiveOf(flags.get('objective'), lab.number),
  });

  if (json) process.stdout.write(toJson(report));
  else process.stdout.write(`${formatTerminalReport(report, { verbose, color: process.stdout.isTTY ?? false })}\n`);
  const junit = flags.get('junit');
  if (typeof junit === 'string') writeFileSync(junit, toJUnit(report));

  // An engine that did not answer is a stack problem, not the student's: say so in one line, exit 3.
  const down = unreachableEngine(report);
  if (down) throw stackDown(down, lab);
  return report.passed ? 0 : 1;
}
