/**
 * Where things live. The repository root is found from this file, so commands work from any directory;
 * runtime state goes to `.lab/` and the student's files to `workspace/` (both git-ignored), and built engine
 * binaries to a cache outside the work tree so that clones, CI runs and later sessions share them.
 */
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = resolve(fileURLToPath(new URL('..', import.meta.url)));

/** Runtime state for one checkout. Tests point O11Y_LAB_STATE elsewhere to run beside a student's stack. */
export function stateDir(env: NodeJS.ProcessEnv = process.env): string {
  return resolve(env.O11Y_LAB_STATE ?? join(repoRoot, '.lab'));
}

/** The student's working files. */
export function workspaceDir(env: NodeJS.ProcessEnv = process.env): string {
  return resolve(env.O11Y_LAB_WORKSPACE ?? join(repoRoot, 'workspace'));
}

/** A new backup folder, .lab/backups/<timestamp>/: lab:reset and lab setups copy a student's files there first. */
export function newBackupDir(env: NodeJS.ProcessEnv = process.env): string {
  return join(stateDir(env), 'backups', new Date().toISOString().replaceAll(':', '-'));
}

/** Built engines, keyed by engine and version: <cache>/engines/<engine>/<version>/bin/<binary>. */
export function engineCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.O11Y_LAB_CACHE ?? join(env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'o11y-lab-kit');
  return resolve(base, 'engines');
}
