/**
 * The lab commands: lab:start, lab:stop, lab:solve, lab:reset (lab:list is in list.ts, so listing loads none of this). Each reads its arguments, calls the
 * lifecycle (lifecycle/) and prints the outcome; the work itself lives there.
 */
import { createInterface } from 'node:readline/promises';
import { answersFile, catalogue, requireLab } from '../../lifecycle/labs.ts';
import { resetAll, resetLab, solveLab, stopLab } from '../../lifecycle/lab.ts';
import { selectRuntime } from '../../lifecycle/runtime.ts';
import { planStart, startLab } from '../../lifecycle/start.ts';
import { readSession } from '../../lifecycle/state.ts';
import { missingStarterFiles } from '../../lifecycle/workspace.ts';
import { workspaceDir } from '../../lib/paths.ts';
import { createProgress, type Progress } from '../../lib/progress.ts';
import { engineInstalled } from '../../stack/binaries.ts';
import type { StackRuntime } from '../../stack/runtime.ts';
import { engineVersion } from '../../stack/versions.ts';
import { parseArgs } from '../args.ts';
import { printTable } from '../table.ts';

/** The runtime of the started session, unless --runtime says otherwise. */
function sessionRuntime(flag: string | true | undefined, recover?: Progress): StackRuntime {
  return selectRuntime(flag ?? readSession(process.env, recover)?.runtime);
}

export async function labStart(argv: string[]): Promise<number> {
  const { positionals, flags } = parseArgs(argv, ['runtime']);
  const lab = await requireLab(positionals[0], 'lab:start');
  const progress = createProgress();
  const runtime = selectRuntime(flags.get('runtime'));
  const session = readSession(process.env, progress); // a damaged state file is replaced, not fatal
  const plan = planStart(lab, runtime.name, {
    installed: (name) => engineInstalled(engineVersion(name)),
    missingStarterFiles: missingStarterFiles(lab),
    startedLab: session?.lab,
  });
  await startLab(plan, runtime, progress);

  const endpoints = runtime.endpoints();
  const shown = [...new Set([...lab.services, 'prometheus'])].filter((s) => endpoints[s]);
  process.stdout.write(`\nLab ${lab.number} — ${lab.title}\n${lab.summary}\n\n`);
  printTable(['service', 'url'], shown.map((s) => [s, endpoints[s]!]));
  process.stdout.write(`\nYour files are in ${workspaceDir()}/ (answers go in workspace/${answersFile(lab)}).\nNext: read the lab page (npm run site:start), do the exercise, then grade it with: npm run check\n`);
  return 0;
}

export async function labStop(argv: string[]): Promise<number> {
  const { flags } = parseArgs(argv, ['runtime']);
  const progress = createProgress();
  await stopLab(sessionRuntime(flags.get('runtime'), progress), progress);
  progress.info('✓ lab stopped; data and workspace kept (npm run lab:start <n> resumes)');
  return 0;
}

export async function labSolve(argv: string[]): Promise<number> {
  const { positionals, flags } = parseArgs(argv, ['runtime', 'mistake']);
  const lab = await requireLab(positionals[0] ?? readSession()?.lab, 'lab:solve');
  const mistake = flags.get('mistake');
  const progress = createProgress();
  const runtime = sessionRuntime(flags.get('runtime'));
  // --mistake <id>: one of the lab's realistic wrong solutions instead, to show what the check refuses.
  if (typeof mistake === 'string') {
    await progress.step(`applying mistake "${mistake}" of lab ${lab.number}`, () => solveLab(lab, `mistake:${mistake}`, runtime, progress));
    progress.info(`✓ mistake applied; npm run check ${lab.number} shows which objectives refuse it`);
  } else {
    await progress.step(`applying the reference solution of lab ${lab.number}`, () => solveLab(lab, 'solution', runtime, progress));
    progress.info(`✓ solved; npm run check ${lab.number} should now pass (telemetry may take a minute to arrive)`);
  }
  return 0;
}

export async function labReset(argv: string[]): Promise<number> {
  const { positionals, flags } = parseArgs(argv, ['runtime']);
  const all = flags.has('all');
  const lab = all ? undefined : await requireLab(positionals[0], 'lab:reset');
  const progress = createProgress();
  const what = lab ? `lab ${lab.number} (${lab.slug}): its starter files and answers` : 'every lab: the whole workspace and every engine’s data';

  if (!flags.has('yes') && process.stdin.isTTY && !(await confirm(`Reset ${what}? Your workspace is backed up first. [y/N] `))) {
    progress.info('nothing changed');
    return 0;
  }
  const runtime = sessionRuntime(flags.get('runtime'));
  const backup = lab ? await resetLab(lab, runtime, progress) : await resetAll(runtime, progress);
  progress.info(lab ? `✓ lab ${lab.number} reset to its starter files` : '✓ everything reset: start again with npm run lab:start <n>');
  if (backup) progress.info(`  your previous files are in ${backup}`);
  return 0;
}

async function confirm(question: string): Promise<boolean> {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return /^y(es)?$/i.test((await rl.question(question)).trim());
  } finally {
    rl.close();
  }
}
