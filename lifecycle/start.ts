/**
 * lab:start, planned then carried out. `planStart` is pure: from the lab, the runtime and what is already on
 * the machine it says what will happen — engines to install, starter files to copy, services to start, the
 * setup to run, the load to start or stop, the agent — so a unit test can read the plan without starting
 * anything. `startLab` carries a plan out, in that order, and records the session.
 */
import type { Lab } from '../labs/catalogue.ts';
import { StackError } from '../lib/errors.ts';
import type { Progress } from '../lib/progress.ts';
import { printFindings, runDoctor } from './doctor.ts';
import { installEngines } from '../stack/engine-install.ts';
import type { StackRuntime } from '../stack/runtime.ts';
import { services as stackServices } from '../stack/services.ts';
import { startAgent } from './agent.ts';
import { labContext, runLabScript } from './context.ts';
import { clearDemoFaults } from './demo-faults.ts';
import { labEngines, labServices, labToolEngines } from './labs.ts';
import { startLoad, stopLoad } from './load.ts';
import { readSession, writeSession } from './state.ts';
import { resetTelemetryRoutes } from './telemetry-route.ts';
import { stopTour } from './tour.ts';
import { applyWorkspace, copyStarterFiles } from './workspace.ts';

export interface StartPlan {
  lab: Lab;
  runtime: 'native' | 'compose';
  /** Native engines to install first (with compose only the lab's tools': compose pulls the images). */
  install: string[];
  /** Starter files not yet in the workspace; a student's existing files are kept. */
  starterFiles: string[];
  services: string[];
  /**
   * Other labs' own services (their collectors, job runner, alert sink), stopped if they run: a log shipper left
   * from lab 20 would send the shop's lines to Loki a second time, beside lab 21's gateway, unredacted beside
   * lab 22's. The student's files stay; that lab's start runs them again.
   */
  stop: string[];
  /** The lab's background load, or 'stop' to end the previous lab's. */
  load: { script: string; rate: number } | 'stop';
  /** The session keeps its start time when the same lab is started again. */
  resumes: boolean;
}

export interface MachineFacts {
  installed(engine: string): boolean;
  /** Starter files of the lab that are not in the workspace yet. */
  missingStarterFiles: string[];
  startedLab?: string;
}

export function planStart(lab: Lab, runtime: 'native' | 'compose', machine: MachineFacts): StartPlan {
  return {
    lab,
    runtime,
    install: (runtime === 'native' ? labEngines(lab) : labToolEngines(lab)).filter((name) => !machine.installed(name)),
    starterFiles: machine.missingStarterFiles,
    services: labServices(lab),
    stop: stackServices.filter((s) => s.labOnly && !labServices(lab).includes(s.name)).map((s) => s.name),
    load: lab.load ? { script: lab.load.script, rate: lab.load.rate } : 'stop',
    resumes: machine.startedLab === lab.id,
  };
}

export async function startLab(plan: StartPlan, runtime: StackRuntime, progress: Progress): Promise<void> {
  const { lab } = plan;
  // 1. engines: where one cannot be had, this stops here, before anything starts, naming every way to provide it.
  if (plan.install.length > 0) await installEngines({ progress, only: plan.install });

  // 2. doctor: stop before starting anything if the machine cannot run the stack (ports, memory, CPU).
  const problems = (await runDoctor(runtime)).filter((f) => f.level === 'error');
  if (problems.length > 0) {
    printFindings(problems, (line) => process.stderr.write(`${line}\n`));
    throw new StackError(`this machine cannot start lab ${lab.number} yet (${problems.length} problem${problems.length > 1 ? 's' : ''} above)`, 'Fix them, then run npm run lab:start again (npm run doctor re-checks).');
  }

  // 3. starter files first: some services (the log shipper) run the student's files.
  const copied = await copyStarterFiles(lab, false);
  if (copied.length) progress.info(`✓ starter files in workspace/: ${copied.join(', ')}`);

  // 4. the stack (without other labs' own services), 5. setup, 6. load.
  const othersRunning = (await runtime.status()).filter((s) => plan.stop.includes(s.name) && s.state !== 'stopped').map((s) => s.name);
  if (othersRunning.length) await runtime.down(progress, othersRunning);
  await runtime.up(plan.services, progress);
  await progress.step(`setting up lab ${lab.number} (${lab.slug})`, async () => {
    // The stack tour of a plain stack:up ends here: Prometheus scrapes what the lab and the student say.
    await stopTour(runtime);
    // The demo apps send to the kit's collector (without their logs, which the tour adds) unless this lab's setup
    // says otherwise (lab 21's gateway, lab 23's logs).
    await resetTelemetryRoutes(runtime.endpoints());
    // Another lab's faults would change what this one measures; the same lab started again keeps its draw.
    if (!plan.resumes) await clearDemoFaults(runtime.endpoints());
    await runLabScript('setup', lab, await labContext(lab, runtime, progress));
    await applyWorkspace(lab, runtime, progress);
  });
  if (plan.load === 'stop') await stopLoad();
  else await startLoad(lab, runtime, progress);

  const startedAt = plan.resumes ? readSession()?.startedAt : undefined;
  writeSession({ lab: lab.id, runtime: plan.runtime, startedAt: startedAt ?? new Date().toISOString() });
  // 7. the lab agent, for the lab page's "Check my work" button (it reads the session written above).
  await startAgent(progress);
}
