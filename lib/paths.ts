/**
 * Where things live. The repository root is found from this file, so commands work from any directory;
 * runtime state goes to `.lab/` and the student's files to `workspace/` (both git-ignored), and built engine
 * binaries to a cache outside the work tree so that clones, CI runs and later sessions share them.
 */
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

/** The nearest folder at or above `from` that `matches`. */
function nearestUp(from: string, matches: (dir: string) => boolean): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (matches(dir)) return dir;
    if (dirname(dir) === dir) throw new Error(`no folder above ${from} holds the o11y-lab-kit checkout`);
  }
}

/** The checkout: the folder that holds the lab catalogue's source. */
export const repoRoot = nearestUp(here, (dir) => existsSync(join(dir, 'labs', 'catalogue.ts')));

/**
 * Where the running copy of the kit's modules lives: the checkout itself (through tsx), or the compiled copy
 * that scripts/run.mjs runs, .lab/cli/<key>/, which has a package.json of its own.
 */
export const modulesRoot = nearestUp(here, (dir) => existsSync(join(dir, 'package.json')));

/** True when this process runs the compiled copy of the kit rather than its TypeScript. */
export const runsCompiled = modulesRoot !== repoRoot;

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
