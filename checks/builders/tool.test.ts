import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runTool } from './tool.ts';

// A stand-in helper program (not an engine): it counts its runs in a file and judges its one argument's file.
const dir = mkdtempSync(join(tmpdir(), 'o11y-tool-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const runs = join(dir, 'runs');
const program = join(dir, 'judge');
writeFileSync(program, `#!/bin/sh\necho x >> '${runs}'\nif grep -q good "$1"; then echo SUCCESS; else echo FAILED >&2; exit 1; fi\n`);
chmodSync(program, 0o755);
const runCount = () => readFileSync(runs, 'utf8').split('\n').filter(Boolean).length;
const file = join(dir, 'rules.yml');
const context = { endpoints: {}, workspace: dir, tools: { promtool: program }, toolRuns: join(dir, 'tool-runs') };

describe('runTool', () => {
  it('remembers a run that depends only on the files it reads, until one of them changes', async () => {
    writeFileSync(file, 'good\n');
    expect(await runTool(context, 'promtool', [file], { reads: [file] })).toMatchObject({ ok: true, stdout: 'SUCCESS\n' });
    expect(await runTool(context, 'promtool', [file], { reads: [file] })).toMatchObject({ ok: true, stdout: 'SUCCESS\n' });
    expect(runCount()).toBe(1);
    writeFileSync(file, 'bad\n');
    expect(await runTool(context, 'promtool', [file], { reads: [file] })).toMatchObject({ ok: false, stderr: 'FAILED\n' });
    expect(await runTool(context, 'promtool', [file], { reads: [file] })).toMatchObject({ ok: false });
    expect(runCount()).toBe(2);
    // Back to the first bytes: the record holds the last run only, so the program runs again.
    writeFileSync(file, 'good\n');
    expect(await runTool(context, 'promtool', [file], { reads: [file] })).toMatchObject({ ok: true });
    expect(runCount()).toBe(3);
  });

  it('runs every time without `reads`, or without a place to remember in', async () => {
    const before = runCount();
    await runTool(context, 'promtool', [file]);
    await runTool(context, 'promtool', [file]);
    await runTool({ ...context, toolRuns: undefined }, 'promtool', [file], { reads: [file] });
    expect(runCount()).toBe(before + 3);
  });

  it('runs the program when a file it reads is missing (it says why)', async () => {
    const result = await runTool(context, 'promtool', [join(dir, 'missing.yml')], { reads: [join(dir, 'missing.yml')] });
    expect(result.ok).toBe(false);
    expect(result.stderr).toContain('missing.yml');
  });

  it('names the engine to install when the program is not there', async () => {
    await expect(runTool({ endpoints: {}, workspace: dir }, 'amtool', ['check-config'])).rejects.toThrow('amtool is not available (npm run engines:install builds it with Alertmanager)');
  });
});
