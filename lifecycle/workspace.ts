/**
 * The student's workspace/: starter files copied in (never over a student's edit unless asked), backups
 * before anything is overwritten, and "apply" — making the engines see the files: every YAML file the lab
 * names is parsed first (a broken file stops here with its path and line), then Prometheus is reloaded,
 * services that run a workspace file (the log shipper) are restarted when that file changed, and an engine
 * the student configures in part (Tempo, lab 12) is restarted with the student's overlay when it changed. Apply also
 * records when the engines' files last changed, so that checks over recorded, remote-written or shipped data
 * can look only at data produced by the student's current work (see CheckContext.appliedAt).
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { copyFile, cp, mkdir, readdir, rm } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { yamlError } from '../checks/builders/files.ts';
import { EngineError } from '../checks/clients/http.ts';
import { prometheusClient } from '../checks/clients/prometheus.ts';
import type { Lab } from '../labs/catalogue.ts';
import { UsageError } from '../lib/errors.ts';
import { newBackupDir, stateDir, workspaceDir } from '../lib/paths.ts';
import type { Progress } from '../lib/progress.ts';
import type { StackRuntime } from '../stack/runtime.ts';
import { findService } from '../stack/services.ts';
import { applyAlertmanagerConfig } from './alertmanager-config.ts';
import { applyConfigOverlay, dropOtherOverlays } from './config-overlay.ts';
import { answersFile } from './labs.ts';

/**
 * The check sources whose objectives an overlaid engine's refusal fails: Tempo's own, and for the gateway
 * collector the engines it feeds (a refused collector config runs the kit's, so what Tempo shows is not the
 * student's work).
 */
const overlaySources: Record<string, string[]> = { tempo: ['tempo'], otelcol: ['tempo', 'loki'] };

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

/** The lab's starter files a fresh start would copy (those not in the workspace yet). */
export function missingStarterFiles(lab: Lab, env: NodeJS.ProcessEnv = process.env): string[] {
  return lab.starterFiles.filter((file) => !existsSync(join(workspaceDir(env), file)));
}

/** Copies the whole workspace to .lab/backups/<timestamp>/ before anything is overwritten; undefined when empty. */
export async function backupWorkspace(progress: Progress, env: NodeJS.ProcessEnv = process.env): Promise<string | undefined> {
  const workspace = workspaceDir(env);
  if (!existsSync(workspace) || (await readdir(workspace)).length === 0) return undefined;
  const target = newBackupDir(env);
  await cp(workspace, target, { recursive: true });
  progress.info(`✓ workspace backed up to ${target}`);
  return target;
}

/** Puts one lab's files back as they were at its first start: starter files over the student's, answers gone. */
export async function restoreLabFiles(lab: Lab, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  await copyStarterFiles(lab, true, env);
  await rm(join(workspaceDir(env), answersFile(lab)), { force: true });
}

/** Removes the whole workspace (after a backup: see backupWorkspace). */
export async function clearWorkspace(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  await rm(workspaceDir(env), { recursive: true, force: true });
}

/**
 * Makes the engines see the workspace: parses every YAML file the lab names (a broken file stops here with
 * its path and line), reloads Prometheus, restarts the log shipper.
 */
export interface Applied {
  /** When the files the engines run last changed (see recordChange). */
  changedAt: number;
  /** Engines that refused the files and run their previous ones, with the reason (only with `refusals: 'report'`). */
  refused: Record<string, string>;
}

/**
 * With `refusals: 'report'` (grading), an engine that refuses the student's files is reported in the result
 * rather than thrown, so the check can still grade the file objectives and fail those that read the engine.
 */
export async function applyWorkspace(lab: Lab, runtime: StackRuntime, progress: Progress, env: NodeJS.ProcessEnv = process.env, options: { refusals?: 'throw' | 'report' } = {}): Promise<Applied> {
  const refused: Record<string, string> = {};
  const workspace = workspaceDir(env);
  for (const file of lab.workspace.yaml) {
    const path = join(workspace, file);
    if (!existsSync(path)) continue;
    const error = yamlError(path);
    if (error) throw new UsageError(`workspace/${file}: ${error}`, 'Fix the YAML in that file (indentation and colons are the usual suspects), then run the command again.');
  }
  const endpoints = runtime.endpoints();
  // An engine another lab configured in part (Tempo's generator in lab 12) runs the kit's config again.
  await dropOtherOverlays(lab, runtime, progress, env);
  for (const target of lab.workspace.reload) {
    if (target === 'prometheus') {
      const reason = await reloadPrometheus(endpoints.prometheus!, workspace, env);
      if (reason === undefined) continue;
      if (options.refusals === 'report') refused.prometheus = `Prometheus refused the workspace files and runs the previous ones: ${reason}`;
      else throw new UsageError(`Prometheus refused the workspace files: ${reason}`, 'Fix the file it names; `npm run check` shows which objective it affects.');
    } else if (target === 'alertmanager') {
      const refusal = await applyAlertmanagerConfig(runtime, env);
      if (!refusal) continue;
      if (options.refusals === 'report') refused.alertmanager = `${refusal}; Alertmanager runs the previous configuration`;
      else throw new UsageError(refusal, 'Fix the file it names (amtool check-config workspace/alertmanager/alertmanager.yml says the same), then run the command again.');
    } else if (findService(target)?.workspaceOverlay) {
      // Tempo (lab 12), the gateway collector (lab 22): the student's part of the engine's config.
      const refusal = await applyConfigOverlay(target, runtime, progress, env);
      if (!refusal) continue;
      if (options.refusals === 'report') for (const source of overlaySources[target] ?? [target]) refused[source] = refusal;
      else throw new UsageError(refusal, `Fix the file it names; \`npm run stack:logs ${target}\` shows what it said.`);
    } else {
      const config = findService(target)?.workspaceConfig;
      if (!config) throw new Error(`stack/services.ts: ${target} has no workspaceConfig to apply`);
      await restartIfChanged(target, join(workspace, config), runtime, progress, env);
    }
  }
  return { changedAt: recordChange(lab, env), refused };
}

/**
 * Asks Prometheus to reload the workspace files, unless it already runs them: a reload restarts target
 * discovery, which a check then has to wait out (checks/builders/prometheus-api.ts), so reloading on every
 * `npm run check` made each one take ten seconds. "Already runs them" means: the files under
 * workspace/prometheus/ are what they were at the last reload this kit made, and Prometheus has not loaded a
 * configuration since (a restart, a reload by hand). Resolves to Prometheus's reason when it refuses the files
 * (remembered, so an unchanged refused file is reported again without asking), else undefined.
 */
async function reloadPrometheus(url: string, workspace: string, env: NodeJS.ProcessEnv): Promise<string | undefined> {
  const prometheus = prometheusClient(url);
  const record = join(stateDir(env), 'run', 'prometheus.reload.json');
  const files = hashFiles(join(workspace, 'prometheus'));
  const loadedAt = (await prometheus.runtimeInfo()).lastConfigTime;
  try {
    const last = JSON.parse(readFileSync(record, 'utf8')) as { files: string; loadedAt: string; refused?: string };
    if (last.files === files && last.loadedAt === loadedAt) return last.refused;
  } catch {
    // no reload recorded yet: make one
  }
  let refused: string | undefined;
  try {
    await prometheus.reload();
  } catch (error) {
    if (!(error instanceof EngineError)) throw error;
    refused = error.body.trim().replaceAll(workspace, 'workspace').split('\n')[0]!;
  }
  mkdirSync(dirname(record), { recursive: true });
  writeFileSync(record, `${JSON.stringify({ files, loadedAt: (await prometheus.runtimeInfo()).lastConfigTime, ...(refused ? { refused } : {}) })}\n`);
  return refused;
}

/** A hash of every file under `dir` (names and contents); the same for a missing folder as for an empty one. */
function hashFiles(dir: string): string {
  const hash = createHash('sha256');
  const walk = (current: string) => {
    if (!existsSync(current)) return;
    // Code-unit order, not localeCompare: the first localeCompare loads ICU's collator, ~7 ms of every check.
    for (const entry of readdirSync(current, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      const path = join(current, entry.name);
      if (entry.isDirectory()) walk(path);
      else hash.update(`${relative(dir, path)}\0${readFileSync(path)}\0`);
    }
  };
  walk(dir);
  return hash.digest('hex');
}

/**
 * When the files the engines run (the lab's YAML files, and the file of each service it restarts, such as lab 9's
 * shop/instrument.ts) last changed, as seen by apply: the time of the first apply that saw their current content.
 * Answers are not among them: writing an answer changes no engine.
 */
function recordChange(lab: Lab, env: NodeJS.ProcessEnv): number {
  const record = join(stateDir(env), 'run', `${lab.id}.applied.json`);
  const hash = createHash('sha256');
  const restarted = lab.workspace.reload.map((target) => findService(target)?.workspaceConfig).filter((f): f is string => f !== undefined);
  for (const file of new Set([...lab.workspace.yaml.filter((f) => !f.startsWith('answers/')), ...restarted])) {
    const path = join(workspaceDir(env), file);
    hash.update(`${file}\0${existsSync(path) ? readFileSync(path, 'utf8') : '(missing)'}\0`);
  }
  const current = hash.digest('hex');
  try {
    const previous = JSON.parse(readFileSync(record, 'utf8')) as { hash: string; at: number };
    if (previous.hash === current && Number.isFinite(previous.at)) return previous.at;
  } catch {
    // no record yet, or one from an older kit: start one now
  }
  const at = Date.now();
  mkdirSync(dirname(record), { recursive: true });
  writeFileSync(record, `${JSON.stringify({ hash: current, at })}\n`);
  return at;
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
