/**
 * What the lab commands share: the recorded session (.lab/state.json: which lab is started, on which
 * runtime), the lab catalogue validated against the stack's services, the context handed to setup and
 * solution scripts, applying the workspace (parse YAML, reload engines), and the background k6 load.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { $ } from 'zx';
import { prometheusClient } from '../checks/clients/prometheus.ts';
import { EngineError, EngineUnreachable } from '../checks/clients/http.ts';
import { yamlError } from '../checks/builders/files.ts';
import { k6Environment, runK6 } from '../k6/run.ts';
import { findLab, loadLabs, type Lab } from '../labs/catalogue.ts';
import type { LabContext } from '../labs/model.ts';
import { SetupError, StackError, UsageError } from '../lib/errors.ts';
import { newBackupDir, repoRoot, stateDir, workspaceDir } from '../lib/paths.ts';
import type { Progress } from '../lib/progress.ts';
import { binaryPath } from '../stack/binaries.ts';
import { isRunning, readPid, removeFile, startDetached, stopProcess, writePid } from '../stack/native/process.ts';
import type { StackRuntime } from '../stack/runtime.ts';
import { enginesFor, findService, services } from '../stack/services.ts';
import { engineVersion, nativeEngines } from '../stack/versions.ts';

export interface SessionState {
  lab: string;
  runtime: string;
  startedAt: string;
}

const stateFile = (env: NodeJS.ProcessEnv) => join(stateDir(env), 'state.json');

const isSession = (value: unknown): value is SessionState => {
  const s = value as Partial<SessionState> | null;
  return !!s && typeof s === 'object' && typeof s.lab === 'string' && (s.runtime === 'native' || s.runtime === 'compose') && typeof s.startedAt === 'string';
};

/**
 * The started lab, if any. A file the kit did not write (damaged, edited, from another tool) is a UsageError
 * naming it and the fix; lab:start and lab:stop replace it (`recover`), saying so.
 */
export function readSession(env: NodeJS.ProcessEnv = process.env, recover?: Progress): SessionState | undefined {
  const file = stateFile(env);
  if (!existsSync(file)) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    parsed = undefined;
  }
  if (isSession(parsed)) return parsed;
  if (recover) {
    removeFile(file);
    recover.info(`⚠ ${file} was not a lab session the kit wrote (damaged?): removed it and started afresh`);
    return undefined;
  }
  throw new UsageError(`${file} is not a lab session the kit wrote (damaged, or from another tool)`, 'Run npm run lab:start <n> or npm run lab:stop: either replaces it; your workspace files are not touched.');
}

export function writeSession(state: SessionState | undefined, env: NodeJS.ProcessEnv = process.env): void {
  const file = stateFile(env);
  mkdirSync(dirname(file), { recursive: true });
  if (state) writeFileSync(file, `${JSON.stringify(state, null, 2)}\n`);
  else removeFile(file);
}

/** Every lab, validated against the services the stack knows. */
export function catalogue(): Promise<Lab[]> {
  return loadLabs({ knownServices: services.map((s) => s.name) });
}

/** The services a lab starts: its own, and Prometheus when it runs load (k6 remote-writes its metrics there). */
export function labServices(lab: Lab): string[] {
  return lab.load ? [...new Set([...lab.services, 'prometheus'])] : lab.services;
}

/** The native engines a lab needs: its services' (and what they need), and k6 for its load or the student's tests. */
export function labEngines(lab: Lab): string[] {
  const native = new Set(nativeEngines().map((e) => e.name));
  return [...new Set([...enginesFor(labServices(lab)), ...(lab.load ? ['k6'] : []), ...(lab.tools ?? [])])].filter((name) => native.has(name));
}

/** The lab named on the command line, or else the started one. */
export async function labFromArgs(key: string | undefined, env: NodeJS.ProcessEnv = process.env): Promise<Lab> {
  const labs = await catalogue();
  if (key !== undefined) return findLab(labs, key);
  const session = readSession(env);
  if (!session) throw new UsageError('no lab is started', `Name one (for example npm run check 4), or start one with npm run lab:start <n>. Labs: ${labs.map((l) => l.number).join(', ')}.`);
  return findLab(labs, session.lab);
}

export const answersFile = (lab: Lab) => `answers/${lab.id}.yaml`;

/** Copies the lab's starter files into the workspace; with `overwrite` false, a student's edited file is kept. */
export async function copyStarterFiles(lab: Lab, overwrite: boolean, env: NodeJS.ProcessEnv = process.env): Promise<string[]> {
  const copied: string[] = [];
  for (const file of lab.starterFiles) {
    const target = join(workspaceDir(env), file);
    if (!overwrite && existsSync(target)) continue;
    await mkdir(dirname(target), { recursive: true });
    await copyFile(join(lab.dir, 'starter', file), target);
    copied.push(file);
  }
  return copied;
}

/**
 * Makes the engines see the workspace: parses every YAML file the lab names (a broken file stops here with
 * its path and line), reloads Prometheus, restarts the log shipper.
 */
export async function applyWorkspace(lab: Lab, runtime: StackRuntime, progress: Progress, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const workspace = workspaceDir(env);
  for (const file of lab.workspace.yaml) {
    const path = join(workspace, file);
    if (!existsSync(path)) continue;
    const error = yamlError(path);
    if (error) throw new UsageError(`workspace/${file}: ${error}`, 'Fix the YAML in that file (indentation and colons are the usual suspects), then run the command again.');
  }
  const endpoints = runtime.endpoints();
  for (const target of lab.workspace.reload) {
    if (target === 'prometheus') {
      try {
        await prometheusClient(endpoints.prometheus!).reload();
      } catch (error) {
        if (error instanceof EngineError) {
          const reason = error.body.trim().replaceAll(workspace, 'workspace').split('\n')[0];
          throw new UsageError(`Prometheus refused the workspace files: ${reason}`, 'Fix the file it names; `npm run check` shows which objective it affects.');
        }
        throw error;
      }
    } else {
      const config = findService(target)?.workspaceConfig;
      if (!config) throw new Error(`stack/services.ts: ${target} has no workspaceConfig to apply`);
      await restartIfChanged(target, join(workspace, config), runtime, progress, env);
    }
  }
}

/**
 * Restarts a service that runs a workspace file when the file changed since its last start (or when it is
 * not running), so a check right after an edit sees the edit, and repeated checks do not interrupt it.
 */
async function restartIfChanged(service: string, file: string, runtime: StackRuntime, progress: Progress, env: NodeJS.ProcessEnv): Promise<void> {
  const stamp = join(stateDir(env), 'run', `${service}.applied`);
  const current = existsSync(file) ? createHash('sha256').update(readFileSync(file)).digest('hex') : 'missing';
  const running = (await runtime.status()).some((s) => s.name === service && s.state === 'ready');
  if (running && existsSync(stamp) && readFileSync(stamp, 'utf8') === current) return;
  if (running) await runtime.down(progress, [service]);
  await runtime.up([service], progress);
  mkdirSync(dirname(stamp), { recursive: true });
  writeFileSync(stamp, current);
}

/** The context setup and solution scripts receive. */
export function labContext(lab: Lab, runtime: StackRuntime, progress: Progress, env: NodeJS.ProcessEnv = process.env): LabContext {
  const workspace = workspaceDir(env);
  const endpoints = runtime.endpoints();
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
    async setFaults(service, faults) {
      const url = `${endpoints[service]}/admin/faults`;
      const response = await fetch(url, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(faults) }).catch((error: Error) => {
        throw new EngineUnreachable(service, url, error.message);
      });
      if (!response.ok) throw new SetupError(`${service} refused the fault settings: ${await response.text()}`, 'This is a bug in the lab setup; report it.');
    },
    apply: () => applyWorkspace(lab, runtime, progress, env),
    k6: (path) => runK6({ k6: binaryPath(engineVersion('k6'), 'k6', env), script: join(workspace, path), prometheusUrl: endpoints.prometheus!, testid: lab.id, scriptEnv: { SHOP_URL: endpoints.shop! }, timeoutMs: 5 * 60_000 }),
    log: (line) => progress.info(`  ${line}`),
  };
}

/** Runs a lab script (setup or solution), turning an engine outage into a stack error and anything else into a setup error. */
/** Runs setup, solution, or one of the lab's mistakes (`mistake:<id>`), turning its failures into kit errors. */
export async function runLabScript(name: 'setup' | 'solution' | `mistake:${string}`, lab: Lab, context: LabContext): Promise<void> {
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

// ── Background load ─────────────────────────────────────────────────────────────────────────────────────

const loadPidFile = (env: NodeJS.ProcessEnv) => join(stateDir(env), 'run', 'load.pid');

/** Starts the lab's k6 load in the background (or keeps the one running for this lab). */
export async function startLoad(lab: Lab, runtime: StackRuntime, progress: Progress, env: NodeJS.ProcessEnv = process.env): Promise<'started' | 'running' | 'none'> {
  if (!lab.load) {
    await stopLoad(env); // the previous lab's shoppers would only blur this lab's numbers
    return 'none';
  }
  const pidFile = loadPidFile(env);
  const record = readPid(pidFile);
  const testid = lab.id;
  if (isRunning(record) && record?.tag === testid) return 'running';
  await stopLoad(env);
  const endpoints = runtime.endpoints();
  const k6 = binaryPath(engineVersion('k6'), 'k6', env);
  const started = startDetached({
    binary: k6,
    args: ['run', '--quiet', '--out', 'experimental-prometheus-rw', '--tag', `testid=${testid}`, join(repoRoot, 'k6', lab.load.script)],
    logFile: join(stateDir(env), 'logs', 'load.log'),
    cwd: repoRoot,
    env: { ...env, ...k6Environment(endpoints.prometheus!), PROFILE: 'average', RATE: String(lab.load.rate), SHOP_URL: endpoints.shop!, ...lab.load.env },
  });
  writePid(pidFile, { pid: started.pid, binary: k6, startedAt: new Date().toISOString(), tag: testid });
  // k6 exits at once on a script error: give it a moment to prove it runs.
  const early = await Promise.race([started.exited, new Promise((resolve) => setTimeout(() => resolve('running'), 1500))]);
  if (early !== 'running') throw new SetupError(`the k6 load for ${lab.id} exited at once (code ${String(early)})`, `Read ${join(stateDir(env), 'logs', 'load.log')}.`);
  progress.info(`✓ k6 load running: ${lab.load.rate} shoppers/s, testid=${testid}`);
  return 'started';
}

export async function stopLoad(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const record = readPid(loadPidFile(env));
  if (record) await stopProcess(record, 5000);
  removeFile(loadPidFile(env));
}
