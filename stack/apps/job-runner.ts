/**
 * The job runner (lab 20's usage-job service): runs the student's TypeScript job, workspace/<JOB_FILE>, every
 * INTERVAL_MS, one run at a time, as a fresh `node --import tsx <file>` process (which may import the kit's packages,
 * such as pg, from a workspace without node_modules: job-imports.mjs) — so every run uses the file as
 * it is now, and an edit needs no restart. It remembers how each run ended, so a check can say "your job failed:
 * …" with the job's own words, and it can run the job on demand (a check's "run it twice" test).
 *
 *   GET  /runs?since=<ms>   the runs that started since then (all kept when absent), oldest first
 *   POST /run               runs the job now (after the run in progress) and answers with how it ended
 *   GET  /health
 *
 * The job gets LOKI_URL and DATABASE_URL in its environment, and runs with the job file's folder as its working
 * directory. Started as `node --import tsx stack/apps/job-runner.ts`; settings come from the environment.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type ServerResponse } from 'node:http';
import { dirname, isAbsolute, join, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** How one run ended. */
export interface JobRun {
  /** When it started and ended (ms since the epoch). */
  startedAt: number;
  endedAt: number;
  /** What started it: the interval or a request (POST /run). */
  trigger: 'interval' | 'request';
  /** The SHA-256 of the job file it ran ("missing" when there was none): which version of the student's work this is. */
  fileHash: string;
  ok: boolean;
  exitCode: number | null;
  /** Why it failed, in one line: the job's last error line, a timeout, a missing file. */
  error?: string;
  /** The last lines the job wrote (stdout and stderr together). */
  output: string;
}

export interface RunnerSettings {
  /** The job file, absolute. */
  file: string;
  intervalMs: number;
  timeoutMs: number;
  /** Environment for the job (LOKI_URL, DATABASE_URL, …). */
  env: Record<string, string>;
}

const kept = 500;
/** Jobs running now, stopped with the runner. */
const children = new Set<import('node:child_process').ChildProcess>();
const outputKept = 4000;

/** The SHA-256 of a file's content, or "missing". */
export function fileHash(file: string): string {
  return existsSync(file) ? createHash('sha256').update(readFileSync(file)).digest('hex') : 'missing';
}

/**
 * The one line that says why a run failed: the last line that looks like an error (a thrown Error, a Node
 * diagnostic), else the last line of output, else the exit code.
 */
export function failureLine(output: string, exitCode: number | null, signal: string | null): string {
  const lines = output.split('\n').map((line) => line.trim()).filter(Boolean);
  const error = [...lines].reverse().find((line) => /^(\w*Error|error|Error \[|ERR_|SyntaxError|TypeError)\b|^\w+Error:/.test(line));
  const said = error ?? lines.at(-1);
  const how = signal ? `killed by ${signal}` : `exit code ${exitCode}`;
  return said ? `${said} (${how})` : how;
}

/** The `--import` specifier for tsx, found from this file, so the job's working directory does not matter. */
const tsxLoader = () => import.meta.resolve('tsx');
/** Lets the job import the kit's packages (pg) from a workspace with no node_modules (job-imports.mjs). */
const kitImports = () => new URL('./job-imports.mjs', import.meta.url).href;
/** The same for a job that tsx runs as CommonJS (no "type": "module" beside it): require() reads NODE_PATH. */
const kitNodeModules = () => {
  const tsx = fileURLToPath(tsxLoader());
  return tsx.slice(0, tsx.lastIndexOf(`${sep}node_modules${sep}`) + `${sep}node_modules`.length);
};

/** Runs the job once. */
export function runJobOnce(settings: RunnerSettings, trigger: JobRun['trigger']): Promise<JobRun> {
  const startedAt = Date.now();
  const hash = fileHash(settings.file);
  if (hash === 'missing') {
    return Promise.resolve({ startedAt, endedAt: startedAt, trigger, fileHash: hash, ok: false, exitCode: null, error: `no job file at ${settings.file}`, output: '' });
  }
  return new Promise((done) => {
    let output = '';
    const keep = (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-outputKept);
    };
    const child = spawn(process.execPath, ['--import', tsxLoader(), '--import', kitImports(), settings.file], {
      cwd: dirname(settings.file),
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', NODE_PATH: kitNodeModules(), ...settings.env },
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: settings.timeoutMs,
      killSignal: 'SIGKILL',
    });
    children.add(child);
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    child.on('error', (error) => keep(Buffer.from(`\nError: ${error.message}\n`)));
    child.on('close', (exitCode, signal) => {
      children.delete(child);
      const endedAt = Date.now();
      const timedOut = signal !== null && endedAt - startedAt >= settings.timeoutMs - 50;
      const ok = exitCode === 0;
      const error = ok ? undefined : timedOut ? `did not finish within ${settings.timeoutMs / 1000} s (stopped)` : failureLine(output, exitCode, signal);
      done({ startedAt, endedAt, trigger, fileHash: hash, ok, exitCode, ...(error ? { error } : {}), output });
    });
  });
}

/** Runs the job every interval and on request, one run at a time; remembers the latest runs. */
export function jobRunner(settings: RunnerSettings, run: typeof runJobOnce = runJobOnce) {
  const runs: JobRun[] = [];
  let queue: Promise<unknown> = Promise.resolve();
  let timer: NodeJS.Timeout | undefined;
  const enqueue = (trigger: JobRun['trigger']): Promise<JobRun> => {
    const next = queue.then(() => run(settings, trigger));
    queue = next.then(
      (result) => {
        runs.push(result);
        if (runs.length > kept) runs.shift();
      },
      () => undefined,
    );
    return next;
  };
  return {
    runs: (since = 0) => runs.filter((r) => r.startedAt >= since),
    runNow: () => enqueue('request'),
    start() {
      const tick = () => {
        void enqueue('interval').finally(() => {
          timer = setTimeout(tick, settings.intervalMs);
        });
      };
      tick();
    },
    stop: () => clearTimeout(timer),
  };
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

/** The runner's settings from its environment. */
export function readRunnerSettings(env: NodeJS.ProcessEnv): RunnerSettings {
  const workspace = resolve(env.WORKSPACE ?? 'workspace');
  const job = env.JOB_FILE ?? 'jobs/usage-job.ts';
  return {
    file: isAbsolute(job) ? job : join(workspace, job),
    intervalMs: Number(env.INTERVAL_MS ?? 15_000),
    timeoutMs: Number(env.JOB_TIMEOUT_MS ?? 60_000),
    env: Object.fromEntries(Object.entries({ LOKI_URL: env.LOKI_URL, DATABASE_URL: env.DATABASE_URL }).filter((e): e is [string, string] => e[1] !== undefined)),
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const settings = readRunnerSettings(process.env);
  const runner = jobRunner(settings);
  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://local');
    if (url.pathname === '/health') return sendJson(res, 200, { status: 'ok', file: settings.file });
    if (url.pathname === '/runs' && req.method === 'GET') return sendJson(res, 200, runner.runs(Number(url.searchParams.get('since') ?? 0)));
    if (url.pathname === '/run' && req.method === 'POST') return sendJson(res, 200, await runner.runNow());
    sendJson(res, 404, { error: 'GET /runs, POST /run or GET /health' });
  });
  server.listen(Number(process.env.PORT ?? 9096), process.env.HOST ?? '127.0.0.1', () => {
    process.stdout.write(`job runner: ${settings.file} every ${settings.intervalMs / 1000} s (${fileURLToPath(import.meta.url)})\n`);
    runner.start();
  });
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      runner.stop();
      for (const child of children) child.kill('SIGKILL');
      server.close();
      server.closeAllConnections();
      process.exit(0);
    });
  }
}
