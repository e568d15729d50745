/**
 * The rest of the lab lifecycle after start (lifecycle/start.ts): stop, solve (or apply a mistake), and reset
 * one lab or everything. Each works on the running stack through its StackRuntime and never touches a
 * student's files without a backup first.
 */
import type { Lab } from '../labs/catalogue.ts';
import { StackError } from '../lib/errors.ts';
import type { Progress } from '../lib/progress.ts';
import type { StackRuntime } from '../stack/runtime.ts';
import { stopAgent } from './agent.ts';
import { labContext, runLabScript, type LabScript } from './context.ts';
import { stopLoad } from './load.ts';
import { forgetProgress } from './progress.ts';
import { writeSession } from './state.ts';
import { applyWorkspace, backupWorkspace, clearWorkspace, restoreLabFiles } from './workspace.ts';

/** Stops the load, the agent and the stack; data and workspace stay. */
export async function stopLab(runtime: StackRuntime, progress: Progress): Promise<void> {
  await stopLoad();
  await stopAgent();
  await runtime.down(progress);
}

/** Runs the reference solution or one mistake on the running lab, then applies the workspace. */
export async function solveLab(lab: Lab, script: Extract<LabScript, 'solution' | `mistake:${string}`>, runtime: StackRuntime, progress: Progress): Promise<void> {
  const down = (await runtime.status()).filter((s) => lab.services.includes(s.name) && s.state !== 'ready');
  if (down.length > 0) throw new StackError(`lab ${lab.number} is not running (${down.map((s) => s.name).join(', ')} not ready)`, `Start it first: npm run lab:start ${lab.number}`);
  await runLabScript(script, lab, await labContext(lab, runtime, progress));
  await applyWorkspace(lab, runtime, progress);
}

/** One lab back to its starter files (answers removed), after backing up the whole workspace. Returns the backup. */
export async function resetLab(lab: Lab, runtime: StackRuntime, progress: Progress): Promise<string | undefined> {
  const backup = await backupWorkspace(progress);
  await restoreLabFiles(lab);
  forgetProgress(lab.id);
  // Apply the starter files only where the lab runs: with part of the stack up (another lab's, or one engine
  // killed), reloading would fail on the missing engine. lab:start applies them anyway.
  const status = await runtime.status();
  const running = lab.services.every((name) => status.some((s) => s.name === name && s.state === 'ready'));
  if (running) await applyWorkspace(lab, runtime, progress);
  else progress.info(`  lab ${lab.number} is not running: its starter files apply when you start it (npm run lab:start ${lab.number})`);
  return backup;
}

/** Everything back to a fresh kit: backup, stop, every engine's data and the workspace gone. Returns the backup. */
export async function resetAll(runtime: StackRuntime, progress: Progress): Promise<string | undefined> {
  const backup = await backupWorkspace(progress);
  await stopLab(runtime, progress);
  await runtime.reset('all', progress);
  await clearWorkspace();
  writeSession(undefined);
  forgetProgress('all');
  return backup;
}
