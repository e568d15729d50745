/**
 * One kit command at a time changes a lab: lab:start, lab:solve, lab:reset, lab:stop and check take
 * .lab/lock (created exclusively, holding the holder's pid and command). Another one waits, saying for whom,
 * and gives up after a while with a clear message; a lock whose process is gone is taken over.
 */
import { mkdirSync, openSync, readFileSync, rmSync, writeSync, closeSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from '../lib/errors.ts';
import { stateDir } from '../lib/paths.ts';
import { formatDuration, type Progress } from '../lib/progress.ts';

interface Holder {
  pid: number;
  command: string;
  since: string;
}

export const lockFile = (env: NodeJS.ProcessEnv = process.env) => join(stateDir(env), 'lock');

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readHolder(file: string): Holder | undefined {
  try {
    const holder = JSON.parse(readFileSync(file, 'utf8')) as Holder;
    return Number.isInteger(holder.pid) ? holder : undefined;
  } catch {
    return undefined;
  }
}

/** Takes the lock or answers who holds it. A lock left by a process that is gone (or unreadable) is removed. */
function tryTake(file: string, command: string): Holder | undefined {
  try {
    const fd = openSync(file, 'wx');
    writeSync(fd, JSON.stringify({ pid: process.pid, command, since: new Date().toISOString() } satisfies Holder));
    closeSync(fd);
    return undefined;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    const holder = readHolder(file);
    if (!holder || !alive(holder.pid)) {
      rmSync(file, { force: true });
      return tryTake(file, command);
    }
    return holder;
  }
}

export async function withLabLock<T>(command: string, work: () => Promise<T>, options: { progress: Progress; env?: NodeJS.ProcessEnv; waitMs?: number; sleep?: (ms: number) => Promise<void> }): Promise<T> {
  const file = lockFile(options.env);
  mkdirSync(join(file, '..'), { recursive: true });
  const waitMs = options.waitMs ?? 5 * 60_000;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const started = Date.now();
  let told = false;
  for (;;) {
    const holder = tryTake(file, command);
    if (!holder) break;
    if (Date.now() - started >= waitMs) {
      throw new UsageError(
        `the lab is busy: npm run ${holder.command} (pid ${holder.pid}) has held it since ${holder.since}; gave up after ${formatDuration(waitMs)}`,
        `Wait for it to finish (or stop it with kill ${holder.pid}), then run npm run ${command} again.`,
      );
    }
    if (!told) options.progress.info(`… waiting for npm run ${holder.command} (pid ${holder.pid}) to finish; one lab command at a time`);
    told = true;
    await sleep(250);
  }
  try {
    return await work();
  } finally {
    if (readHolder(file)?.pid === process.pid) rmSync(file, { force: true });
  }
}
