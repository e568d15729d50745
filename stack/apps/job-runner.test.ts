import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { failureLine, fileHash, jobRunner, readRunnerSettings, runJobOnce, type JobRun } from './job-runner.ts';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));
/** A job file in a folder of its own, outside the repository: the runner must not depend on where it sits. */
const job = (source: string) => {
  const dir = mkdtempSync(join(tmpdir(), 'o11y-job-'));
  dirs.push(dir);
  const file = join(dir, 'usage-job.ts');
  writeFileSync(file, source);
  return file;
};
const settings = (file: string, timeoutMs = 20_000) => ({ file, intervalMs: 1000, timeoutMs, env: { LOKI_URL: 'http://loki.test' } });

describe('runJobOnce', () => {
  it('runs a TypeScript job from any folder, with the settings in its environment', async () => {
    const file = job("const url: string = process.env.LOKI_URL ?? '';\nconsole.log(`reading ${url} in ${process.cwd()}`);\n");
    const run = await runJobOnce(settings(file), 'request');
    expect(run).toMatchObject({ ok: true, exitCode: 0, trigger: 'request', fileHash: fileHash(file) });
    expect(run.output).toContain('reading http://loki.test in ');
    expect(run.error).toBeUndefined();
  });

  it("imports the kit's packages (pg) from a folder with no node_modules, as in the container, and nothing that is not there", async () => {
    // As an ES module (the lab's starter has "type": "module" beside the job), and as CommonJS.
    const esm = job("import pg from 'pg';\nconsole.log(`pg client ${typeof pg.Client}`);\n");
    writeFileSync(join(dirname(esm), 'package.json'), '{ "type": "module" }\n');
    for (const file of [esm, job("import pg from 'pg';\nconsole.log(`pg client ${typeof pg.Client}`);\n")]) {
      const run = await runJobOnce(settings(file), 'request');
      expect(run.output, run.error).toContain('pg client function');
    }
    const missing = await runJobOnce(settings(job("import 'no-such-package-of-the-kit';\n")), 'request');
    expect(missing.ok).toBe(false);
    expect(missing.error).toMatch(/no-such-package-of-the-kit/);
  });

  it("says why a job failed in the job's own words", async () => {
    const run = await runJobOnce(settings(job("console.log('imported 3 lines');\nthrow new Error('relation \"usage_events\" does not exist');\n")), 'interval');
    expect(run.ok).toBe(false);
    expect(run.error).toMatch(/^Error: relation "usage_events" does not exist \(exit code 1\)$/);
  });

  it('stops a job that hangs, and says so', async () => {
    const run = await runJobOnce(settings(job('setInterval(() => {}, 1000);\n'), 1500), 'interval');
    expect(run.ok).toBe(false);
    expect(run.error).toBe('did not finish within 1.5 s (stopped)');
  });

  it('reports a missing job file without running anything', async () => {
    const run = await runJobOnce(settings('/nonexistent/usage-job.ts'), 'interval');
    expect(run).toMatchObject({ ok: false, fileHash: 'missing', error: 'no job file at /nonexistent/usage-job.ts' });
  });
});

describe('failureLine', () => {
  it('picks the last error line, else the last line, else the exit code', () => {
    expect(failureLine('a\nTypeError: x is not a function\n    at main (file.ts:3:1)\n', 1, null)).toBe('TypeError: x is not a function (exit code 1)');
    expect(failureLine('nothing to import\n', 2, null)).toBe('nothing to import (exit code 2)');
    expect(failureLine('', null, 'SIGKILL')).toBe('killed by SIGKILL');
  });
});

describe('jobRunner', () => {
  it('runs one job at a time, on request after the one in progress, and remembers each run', async () => {
    let running = 0;
    let overlapped = false;
    let clock = 0;
    const fake = async (_settings: unknown, trigger: JobRun['trigger']): Promise<JobRun> => {
      running++;
      overlapped ||= running > 1;
      const startedAt = ++clock;
      await new Promise((resolve) => setTimeout(resolve, 20));
      running--;
      return { startedAt, endedAt: startedAt, trigger, fileHash: 'h', ok: true, exitCode: 0, output: '' };
    };
    const runner = jobRunner(settings('/x.ts'), fake);
    const [a, b] = await Promise.all([runner.runNow(), runner.runNow()]);
    expect(overlapped).toBe(false);
    expect([a.startedAt, b.startedAt]).toEqual([1, 2]);
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(runner.runs().map((r) => r.startedAt)).toEqual([1, 2]);
    expect(runner.runs(2).map((r) => r.startedAt)).toEqual([2]);
  });
});

describe('readRunnerSettings', () => {
  it('finds the job in the workspace and passes only the URLs the job needs', () => {
    const read = readRunnerSettings({ WORKSPACE: '/w', LOKI_URL: 'http://l', DATABASE_URL: 'postgres://p/usage', SECRET: 'x' });
    expect(read).toEqual({ file: '/w/jobs/usage-job.ts', intervalMs: 15_000, timeoutMs: 60_000, env: { LOKI_URL: 'http://l', DATABASE_URL: 'postgres://p/usage' } });
  });
});
