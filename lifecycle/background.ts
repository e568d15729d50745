/**
 * The one supervisor for the kit's own background processes (the lab's k6 load, the lab agent): each has a
 * name, a pid record in .lab/run/<name>.pid and a log in .lab/logs/<name>.log. Starting one that already runs
 * for the same purpose (its tag) keeps it; stopping one sends TERM, then KILL after a grace period. A pid
 * record whose process is gone, or is now another program, counts as not running.
 */
import { join } from 'node:path';
import { stateDir } from '../lib/paths.ts';
import { isRunning, readPid, removeFile, startDetached, stopProcess, tailFile, writePid } from '../stack/native/process.ts';

export interface BackgroundSpec {
  binary: string;
  args: string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** What this run is for (the load: the lab's testid); `isRunning(tag)` tells a run for another purpose apart. */
  tag?: string;
}

export interface BackgroundProcess {
  readonly logFile: string;
  /** Alive, still the program recorded, and (when `tag` is given) started for that purpose. */
  isRunning(tag?: string): boolean;
  pid(): number | undefined;
  /** Starts it detached (it outlives this command) and records its pid; `exited` settles when it ends. */
  start(spec: BackgroundSpec): { pid: number; exited: Promise<number | null> };
  stop(graceMs?: number): Promise<void>;
  /** The last lines of its latest run's log. */
  tail(lines: number): string[];
  /** Forgets the pid record (a start that failed). */
  forget(): void;
}

export function backgroundProcess(name: string, env: NodeJS.ProcessEnv = process.env): BackgroundProcess {
  const pidFile = join(stateDir(env), 'run', `${name}.pid`);
  const logFile = join(stateDir(env), 'logs', `${name}.log`);
  return {
    logFile,
    isRunning(tag) {
      const record = readPid(pidFile);
      return isRunning(record) && (tag === undefined || record?.tag === tag);
    },
    pid: () => readPid(pidFile)?.pid,
    start(spec) {
      const started = startDetached({ binary: spec.binary, args: spec.args, logFile, cwd: spec.cwd, env: spec.env });
      writePid(pidFile, { pid: started.pid, binary: spec.binary, startedAt: new Date().toISOString(), ...(spec.tag ? { tag: spec.tag } : {}) });
      return started;
    },
    async stop(graceMs = 5000) {
      const record = readPid(pidFile);
      if (record) await stopProcess(record, graceMs);
      removeFile(pidFile);
    },
    tail: (lines) => tailFile(logFile, lines, true),
    forget: () => removeFile(pidFile),
  };
}
