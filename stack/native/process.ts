/**
 * Host processes for the native runtime: start one detached with its output in a log file, tell whether a
 * recorded pid is still that program, stop it (TERM, then KILL), and check a port before binding it.
 */
import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, readlinkSync, realpathSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname } from 'node:path';

/** The line written to a log before each start, so errors can show only the latest run. */
const startHeader = '---- started';

export interface PidRecord {
  pid: number;
  binary: string;
  startedAt: string;
  /** What this run is for, when one binary runs for different purposes (the k6 load: the lab's testid). */
  tag?: string;
}

export interface StartOptions {
  binary: string;
  args: string[];
  logFile: string;
  cwd: string;
  env?: NodeJS.ProcessEnv;
  uid?: number;
  gid?: number;
  /** Write a "---- started" line to the log first (not for programs whose output is data, like JSON logs). */
  header?: boolean;
}

/** Starts a program that outlives this process; its stdout and stderr are appended to `logFile`. */
export function startDetached(options: StartOptions): { pid: number; exited: Promise<number | null> } {
  mkdirSync(dirname(options.logFile), { recursive: true });
  const fd = openSync(options.logFile, 'a');
  if (options.header !== false) writeSync(fd, `\n${startHeader} ${new Date().toISOString()} ${options.binary} ${options.args.join(' ')}\n`);
  const child = spawn(options.binary, options.args, {
    cwd: options.cwd,
    env: options.env ?? process.env,
    detached: true,
    stdio: ['ignore', fd, fd],
    uid: options.uid,
    gid: options.gid,
  });
  closeSync(fd);
  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', (code, signal) => resolve(code ?? (signal ? 128 : null)));
    child.once('error', () => resolve(127));
  });
  child.unref();
  if (child.pid === undefined) throw new Error(`could not start ${options.binary}`);
  return { pid: child.pid, exited };
}

export function readPid(file: string): PidRecord | undefined {
  if (!existsSync(file)) return undefined;
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as PidRecord;
  } catch {
    return undefined;
  }
}

export function writePid(file: string, record: PidRecord): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(record)}\n`);
}

/** Is `record.pid` alive and still running `record.binary` (not a recycled pid, not a zombie)? */
export function isRunning(record: PidRecord | undefined): boolean {
  if (!record) return false;
  try {
    process.kill(record.pid, 0);
  } catch {
    return false;
  }
  if (!existsSync('/proc/self')) return true; // no /proc (macOS): signal 0 is all we can ask
  try {
    const stat = readFileSync(`/proc/${record.pid}/stat`, 'utf8');
    if (/\) Z /.test(stat)) return false;
    // Compare real paths: Debian's redis-server, for one, is a symlink to redis-check-rdb.
    return readlinkSync(`/proc/${record.pid}/exe`).replace(/ \(deleted\)$/, '') === realpathSync(record.binary);
  } catch {
    return false;
  }
}

/** Sends the stop signal (TERM unless told), waits up to `graceMs`, then KILLs. Resolves when the process is gone. */
export async function stopProcess(record: PidRecord, graceMs = 10_000, stopSignal: NodeJS.Signals = 'SIGTERM'): Promise<'stopped' | 'killed' | 'not running'> {
  if (!isRunning(record)) return 'not running';
  signal(record.pid, stopSignal);
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline) {
    if (!isRunning(record)) return 'stopped';
    // Most services are gone within tens of milliseconds: look often.
    await sleep(20);
  }
  signal(record.pid, 'SIGKILL');
  while (isRunning(record)) await sleep(50);
  return 'killed';
}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch {
    /* already gone */
  }
}

export function removeFile(file: string): void {
  rmSync(file, { force: true });
}

/** Resolves true when nothing listens on host:port (we could bind it ourselves). */
export function portFree(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** The last `count` lines of a file, for error messages; with `sinceLastStart`, only the latest run's. */
export function tailFile(file: string, count: number, sinceLastStart = false): string[] {
  if (!existsSync(file)) return [];
  let lines = readFileSync(file, 'utf8').trimEnd().split('\n');
  if (sinceLastStart) {
    const header = lines.findLastIndex((line) => line.startsWith(startHeader));
    if (header >= 0) lines = lines.slice(header + 1);
  }
  return lines.slice(-count);
}
