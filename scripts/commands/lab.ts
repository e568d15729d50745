/**
 * The lab lifecycle: lab:list, lab:start, lab:stop, lab:solve, lab:reset. Each composes the catalogue, the
 * stack runtime, the lab's scripts and the load; none knows an engine's API.
 */
import { cp, readdir, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline/promises';
import { StackError, UsageError } from '../../lib/errors.ts';
import { newBackupDir, workspaceDir } from '../../lib/paths.ts';
import { createProgress, type Progress } from '../../lib/progress.ts';
import type { Lab } from '../../labs/catalogue.ts';
import type { StackRuntime } from '../../stack/runtime.ts';
import { startAgent, stopAgent } from '../agent.ts';
import { parseArgs } from '../args.ts';
import { engineInstalled } from '../../stack/binaries.ts';
import { installEngines } from '../../stack/engine-install.ts';
import { engineVersion } from '../../stack/versions.ts';
import { answersFile, applyWorkspace, catalogue, copyStarterFiles, labContext, labEngines, labFromArgs, labServices, readSession, runLabScript, startLoad, stopLoad, writeSession } from '../session.ts';
import { printTable } from '../table.ts';
import { printFindings, runDoctor } from './doctor.ts';
import { selectRuntime } from './runtime.ts';

/** The runtime of the started session, unless --runtime says otherwise. */
function sessionRuntime(flag: string | true | undefined, recover?: Progress): StackRuntime {
  return selectRuntime(flag ?? readSession(process.env, recover)?.runtime);
}

/** A lab number or slug is required: without one, list what exists. */
async function requireLab(key: string | undefined, command: string): Promise<Lab> {
  if (key === undefined) {
    const labs = await catalogue();
    throw new UsageError(`${command} needs a lab number`, `Example: npm run ${command} ${labs[0]?.number ?? 1}. Labs: ${labs.map((l) => `${l.number} ${l.slug}`).join(', ')}.`);
  }
  return labFromArgs(key);
}

export async function labList(argv: string[]): Promise<number> {
  const { flags } = parseArgs(argv);
  const labs = await catalogue();
  const current = readSession()?.lab;
  if (flags.has('json')) {
    process.stdout.write(`${JSON.stringify(labs.map((l) => ({ number: l.number, slug: l.slug, module: l.module, title: l.title, started: l.id === current })), null, 2)}\n`);
  } else {
    printTable(['#', 'module', 'lab', 'title', ''], labs.map((l) => [String(l.number), l.module, l.slug, l.title, l.id === current ? '← started' : '']));
  }
  return 0;
}

export async function labStart(argv: string[]): Promise<number> {
  const { positionals, flags } = parseArgs(argv, ['runtime']);
  const lab = await requireLab(positionals[0], 'lab:start');
  const progress = createProgress();
  const runtime = selectRuntime(flags.get('runtime'));
  readSession(process.env, progress); // a damaged state file is replaced, not fatal

  // 1. the engines the lab needs, installed if missing (native only: compose pulls its images). Where one cannot
  // be had, this stops here, before anything starts, naming every way to provide it.
  if (runtime.name === 'native') {
    const missing = labEngines(lab).filter((name) => !engineInstalled(engineVersion(name)));
    if (missing.length > 0) await installEngines({ progress, only: missing });
  }

  // 2. doctor: stop before starting anything if the machine cannot run the stack (ports, memory, CPU).
  const findings = await runDoctor(runtime.name);
  const problems = findings.filter((f) => f.level === 'error');
  if (problems.length > 0) {
    printFindings(problems, (line) => process.stderr.write(`${line}\n`));
    throw new StackError(`this machine cannot start lab ${lab.number} yet (${problems.length} problem${problems.length > 1 ? 's' : ''} above)`, 'Fix them, then run npm run lab:start again (npm run doctor re-checks).');
  }

  // 3. starter files first: some services (the log shipper) run the student's files.
  const copied = await copyStarterFiles(lab, false);
  if (copied.length) progress.info(`✓ starter files in workspace/: ${copied.join(', ')}`);

  // 4. the stack, 5. setup, 6. load.
  await runtime.up(labServices(lab), progress);
  const context = labContext(lab, runtime, progress);
  await progress.step(`setting up lab ${lab.number} (${lab.slug})`, async () => {
    await runLabScript('setup', lab, context);
    await applyWorkspace(lab, runtime, progress);
  });
  await startLoad(lab, runtime, progress);
  const previous = readSession();
  writeSession({ lab: lab.id, runtime: runtime.name, startedAt: previous?.lab === lab.id ? previous.startedAt : new Date().toISOString() });
  // 7. the lab agent, for the lab page's "Check my work" button (it reads the session written above).
  await startAgent(progress);

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
  await stopLoad();
  await stopAgent();
  await sessionRuntime(flags.get('runtime'), progress).down(progress);
  progress.info('✓ lab stopped; data and workspace kept (npm run lab:start <n> resumes)');
  return 0;
}

export async function labSolve(argv: string[]): Promise<number> {
  const { positionals, flags } = parseArgs(argv, ['runtime', 'mistake']);
  const lab = await requireLab(positionals[0] ?? readSession()?.lab, 'lab:solve');
  const mistake = flags.get('mistake');
  const progress = createProgress();
  const runtime = sessionRuntime(flags.get('runtime'));
  const down = (await runtime.status()).filter((s) => lab.services.includes(s.name) && s.state !== 'ready');
  if (down.length > 0) throw new StackError(`lab ${lab.number} is not running (${down.map((s) => s.name).join(', ')} not ready)`, `Start it first: npm run lab:start ${lab.number}`);
  // --mistake <id>: one of the lab's realistic wrong solutions instead, to show what the check refuses.
  const script = typeof mistake === 'string' ? (`mistake:${mistake}` as const) : 'solution';
  await progress.step(typeof mistake === 'string' ? `applying mistake "${mistake}" of lab ${lab.number}` : `applying the reference solution of lab ${lab.number}`, async () => {
    await runLabScript(script, lab, labContext(lab, runtime, progress));
    await applyWorkspace(lab, runtime, progress);
  });
  progress.info(typeof mistake === 'string' ? `✓ mistake applied; npm run check ${lab.number} shows which objectives refuse it` : `✓ solved; npm run check ${lab.number} should now pass (telemetry may take a minute to arrive)`);
  return 0;
}

export async function labReset(argv: string[]): Promise<number> {
  const { positionals, flags } = parseArgs(argv, ['runtime']);
  const all = flags.has('all');
  const lab = all ? undefined : await requireLab(positionals[0], 'lab:reset');
  const progress = createProgress();
  const what = all ? 'every lab: the whole workspace and every engine’s data' : `lab ${lab!.number} (${lab!.slug}): its starter files and answers`;

  if (!flags.has('yes') && process.stdin.isTTY && !(await confirm(`Reset ${what}? Your workspace is backed up first. [y/N] `))) {
    progress.info('nothing changed');
    return 0;
  }
  const backup = await backupWorkspace(progress);
  const runtime = sessionRuntime(flags.get('runtime'));
  if (all) {
    await stopLoad();
    await stopAgent();
    await runtime.down(progress);
    await runtime.reset('all', progress);
    await rm(workspaceDir(), { recursive: true, force: true });
    writeSession(undefined);
    progress.info('✓ everything reset: start again with npm run lab:start <n>');
  } else {
    await copyStarterFiles(lab!, true);
    await rm(join(workspaceDir(), answersFile(lab!)), { force: true });
    const running = (await runtime.status()).some((s) => s.state === 'ready');
    if (running) await applyWorkspace(lab!, runtime, progress);
    progress.info(`✓ lab ${lab!.number} reset to its starter files`);
  }
  if (backup) progress.info(`  your previous files are in ${backup}`);
  return 0;
}

/** Copies the whole workspace to .lab/backups/<timestamp>/ before anything is overwritten. */
async function backupWorkspace(progress: Progress): Promise<string | undefined> {
  const workspace = workspaceDir();
  if (!existsSync(workspace) || (await readdir(workspace)).length === 0) return undefined;
  const target = newBackupDir();
  await cp(workspace, target, { recursive: true });
  progress.info(`✓ workspace backed up to ${target}`);
  return target;
}

async function confirm(question: string): Promise<boolean> {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return /^y(es)?$/i.test((await rl.question(question)).trim());
  } finally {
    rl.close();
  }
}
