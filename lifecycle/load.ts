/**
 * The lab's background load: k6 running the lab's shoppers (k6/<script>) against the demo shop, its metrics
 * remote-written to Prometheus tagged testid=<lab>. lab:start starts it (or keeps the one already running for
 * this lab), a lab without load stops the previous lab's, lab:stop stops it.
 */
import { join } from 'node:path';
import { k6RunCommand } from '../k6/run.ts';
import type { Lab } from '../labs/catalogue.ts';
import { SetupError } from '../lib/errors.ts';
import { repoRoot } from '../lib/paths.ts';
import type { Progress } from '../lib/progress.ts';
import { binaryPath } from '../stack/binaries.ts';
import type { StackRuntime } from '../stack/runtime.ts';
import { engineVersion } from '../stack/versions.ts';
import { backgroundProcess } from './background.ts';

const load = (env: NodeJS.ProcessEnv) => backgroundProcess('load', env);

/** Starts the lab's k6 load in the background (or keeps the one running for this lab). */
export async function startLoad(lab: Lab, runtime: StackRuntime, progress: Progress, env: NodeJS.ProcessEnv = process.env): Promise<'started' | 'running' | 'none'> {
  if (!lab.load) {
    await stopLoad(env); // the previous lab's shoppers would only blur this lab's numbers
    return 'none';
  }
  return startBackgroundLoad({ testid: lab.id, ...lab.load }, runtime, progress, env);
}

/** What k6 runs in the background: a script of k6/ at a rate of shoppers per second, tagged testid. */
export interface BackgroundLoad {
  testid: string;
  script: string;
  rate: number;
  env?: Record<string, string>;
}

/** Starts a k6 load in the background (or keeps the one running with this testid), stopping any other first. */
export async function startBackgroundLoad(spec: BackgroundLoad, runtime: StackRuntime, progress: Progress, env: NodeJS.ProcessEnv = process.env): Promise<'started' | 'running'> {
  const { testid } = spec;
  if (load(env).isRunning(testid)) return 'running';
  await stopLoad(env);
  const endpoints = runtime.endpoints();
  const k6 = binaryPath(engineVersion('k6'), 'k6', env);
  const command = k6RunCommand(
    { script: join(repoRoot, 'k6', spec.script), prometheusUrl: endpoints.prometheus!, testid, quiet: true, scriptEnv: { PROFILE: 'average', RATE: String(spec.rate), SHOP_URL: endpoints.shop!, ...(endpoints.inventory ? { INVENTORY_URL: endpoints.inventory } : {}), ...spec.env } },
    env,
  );
  const started = load(env).start({ binary: k6, ...command, cwd: repoRoot, tag: testid });
  // k6 exits at once on a script error: give it a moment to prove it runs.
  const early = await Promise.race([started.exited, new Promise((resolve) => setTimeout(() => resolve('running'), 1500))]);
  if (early !== 'running') throw new SetupError(`the k6 load for ${testid} exited at once (code ${String(early)})`, `Read ${load(env).logFile}.`);
  progress.info(`✓ k6 load running: ${spec.rate} shopper${spec.rate === 1 ? '' : 's'}/s, testid=${testid}`);
  return 'started';
}

export function stopLoad(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  return load(env).stop(5000);
}
