/**
 * The recorded session, .lab/state.json: which lab is started, on which runtime, since when. Every lab
 * command reads it; lab:start writes it and lab:stop / lab:reset --all clear it. A file the kit did not
 * write is refused with one line naming it and the fix, never a stack trace.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { UsageError } from '../lib/errors.ts';
import { stateDir } from '../lib/paths.ts';
import type { Progress } from '../lib/progress.ts';
import { removeFile } from '../stack/native/process.ts';

export interface SessionState {
  lab: string;
  runtime: 'native' | 'compose';
  startedAt: string;
}

export const stateFile = (env: NodeJS.ProcessEnv = process.env) => join(stateDir(env), 'state.json');

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
