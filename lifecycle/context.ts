/**
 * What a lab's own scripts (setup, solution, each mistake) are given: the workspace, the engines' URLs, zx's
 * `$` in the workspace, file helpers that back up before they overwrite, the shop's fault switch, apply, and
 * k6. `runLabScript` runs one of them and turns its failure into one kit error with its fix.
 */
import { existsSync } from 'node:fs';
import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { EngineUnreachable } from '../checks/clients/http.ts';
import { runK6 } from '../k6/run.ts';
import type { Lab } from '../labs/catalogue.ts';
import type { LabContext } from '../labs/model.ts';
import { SetupError, StackError, UsageError } from '../lib/errors.ts';
import { newBackupDir, repoRoot, workspaceDir } from '../lib/paths.ts';
import type { Progress } from '../lib/progress.ts';
import { binaryPath } from '../stack/binaries.ts';
import type { StackRuntime } from '../stack/runtime.ts';
import { engineVersion } from '../stack/versions.ts';
import { putFaults } from './demo-faults.ts';
import { answersFile } from './labs.ts';
import { demoServices, routeTelemetry } from './telemetry-route.ts';
import { applyWorkspace } from './workspace.ts';

/** The context setup and solution scripts receive. */
export async function labContext(lab: Lab, runtime: StackRuntime, progress: Progress, env: NodeJS.ProcessEnv = process.env): Promise<LabContext> {
  const workspace = workspaceDir(env);
  const endpoints = runtime.endpoints();
  // zx loads here, when a script is about to run, not with every command that imports this file.
  const { $ } = await import('zx');
  const shell = $({ cwd: workspace, quiet: !process.env.O11Y_VERBOSE, timeout: '2m' });
  return {
    lab: { number: lab.number, slug: lab.slug, title: lab.title },
    workspace,
    answersFile: answersFile(lab),
    endpoints,
    $: shell,
    async writeFile(path, content) {
      await mkdir(dirname(join(workspace, path)), { recursive: true });
      await writeFile(join(workspace, path), content);
    },
    readFile: (path) => readFile(join(workspace, path), 'utf8'),
    async replaceFile(path, content) {
      const current = join(workspace, path);
      if (existsSync(current)) {
        const backup = join(newBackupDir(env), path);
        await mkdir(dirname(backup), { recursive: true });
        await copyFile(current, backup);
        progress.info(`  your ${path} was backed up to ${backup}`);
      }
      await mkdir(dirname(current), { recursive: true });
      await writeFile(current, content);
    },
    setFaults: (service, faults) => putFaults(endpoints, service, faults),
    routeTelemetry: async (via) => void (await Promise.all(demoServices.map((service) => routeTelemetry(endpoints, service, via)))),
    apply: async () => void (await applyWorkspace(lab, runtime, progress, env)),
    k6: (path) => runK6({ k6: binaryPath(engineVersion('k6'), 'k6', env), script: join(workspace, path), prometheusUrl: endpoints.prometheus!, testid: lab.id, scriptEnv: { SHOP_URL: endpoints.shop! }, timeoutMs: 5 * 60_000 }),
    log: (line) => progress.info(`  ${line}`),
  };
}

export type LabScript = 'setup' | 'solution' | `mistake:${string}`;

/** Runs setup, solution, or one of the lab's mistakes (`mistake:<id>`), turning its failures into kit errors. */
export async function runLabScript(name: LabScript, lab: Lab, context: LabContext): Promise<void> {
  const script = name === 'setup' ? lab.setup : name === 'solution' ? lab.solution : lab.mistakes?.find((m) => `mistake:${m.id}` === name)?.apply;
  if (!script) {
    throw new UsageError(`lab ${lab.number} has no mistake "${name.slice('mistake:'.length)}"`, `Its mistakes: ${(lab.mistakes ?? []).map((m) => m.id).join(', ') || 'none yet'}.`);
  }
  try {
    await script(context);
  } catch (error) {
    if (error instanceof UsageError || error instanceof StackError || error instanceof SetupError) throw error;
    if (error instanceof EngineUnreachable) throw new StackError(error.message, 'Run npm run stack:status to see what is down, then npm run lab:start again.');
    throw new SetupError(`${relative(repoRoot, lab.dir)}/${name}.ts failed: ${(error as Error).message}`, 'Run with O11Y_VERBOSE=1 to see every command it ran.');
  }
}
