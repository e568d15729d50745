/**
 * The lab commands' promises to students and instructors: wrong arguments list what exists, lab:start is
 * idempotent and restarts what died, a broken workspace file is named with its line, and lab:reset backs the
 * workspace up before restoring the starter files.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { CheckReport } from '../checks/model.ts';
import { describe, expect, it } from 'vitest';
import { silentProgress } from '../lib/progress.ts';
import { createNativeRuntime } from '../stack/native/driver.ts';
import { runCli } from './support/cli.ts';
import { catalogue, labEngines } from '../lifecycle/labs.ts';
import { readProgress } from '../lifecycle/progress.ts';
import { needsEngines, startableServices } from './support/engines.ts';
import { testEnv, testStateDir, testWorkspaceDir } from './support/stack.ts';

const lab4 = (await catalogue()).find((lab) => lab.number === 4)!;
const lab10 = (await catalogue()).find((lab) => lab.number === 10)!;

const runtime = createNativeRuntime({ env: testEnv });
const rulesFile = join(testWorkspaceDir, 'prometheus', 'rules', 'red.yml');

describe('wrong arguments', () => {
  it.each([['99'], ['abc']])('lab:start %s exits 2 and lists the labs', async (arg) => {
    const { code, stderr } = await runCli(['lab:start', arg], testEnv);
    expect(code).toBe(2);
    expect(stderr).toContain(`no lab "${arg}"`);
    expect(stderr).toMatch(/4 red-recording-rules/);
  });

  it('lab:start without a number exits 2 with an example', async () => {
    const { code, stderr } = await runCli(['lab:start'], testEnv);
    expect(code).toBe(2);
    expect(stderr).toContain('npm run lab:start');
  });

  it('lab:list --json lists every lab with number, slug, module and title', async () => {
    const { code, stdout } = await runCli(['lab:list', '--json'], testEnv);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual(expect.arrayContaining([expect.objectContaining({ number: 4, slug: 'red-recording-rules', module: '02-metrics', title: 'RED recording rules' })]));
  });
});

describe('lab:start where engines cannot be had', () => {
  it('stops before starting anything, with one line per missing engine naming the ways to provide it', async () => {
    // An empty engine cache, no network for releases, no Go for source builds: only the OS packages are there.
    const scratch = mkdtempSync(join(tmpdir(), 'o11y-noengines-'));
    const path = (process.env.PATH ?? '').split(':').filter((dir) => !existsSync(join(dir, 'go'))).join(':');
    const env = { ...testEnv, O11Y_LAB_STATE: join(scratch, 'state'), O11Y_LAB_WORKSPACE: join(scratch, 'workspace'), O11Y_LAB_CACHE: join(scratch, 'cache'), O11Y_LAB_OFFLINE: '1', PATH: path };
    try {
      const { code, stderr } = await runCli(['lab:start', '10'], env);
      expect(code, stderr).toBe(3);
      expect(stderr).toContain('4 engines could not be installed here');
      for (const engine of ['prometheus', 'tempo', 'k6', 'otelcol']) expect(stderr).toMatch(new RegExp(`^\\s+${engine} [\\d.]+: .*stack/engines\\.local\\.yaml or O11Y_LAB_${engine.toUpperCase()}_PATH; or use Docker`, 'm'));
      // Permissive engines can be built; AGPL ones never are.
      expect(stderr).toMatch(/^\s+prometheus 3\.15\.0: .*build it from source with Go/m);
      expect(stderr).not.toMatch(/^\s+tempo .*from source/m);
      expect(stderr).not.toMatch(/\n\s+at /);
      // Nothing was started, and no starter file was copied.
      expect(existsSync(join(scratch, 'state', 'run'))).toBe(false);
      expect(existsSync(join(scratch, 'workspace'))).toBe(false);
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  });
});

describe('lab:start', () => {
  needsEngines(...labEngines(lab4));
  it('twice is a no-op: same processes, the student’s edits kept', async () => {
    expect((await runCli(['lab:start', '4'], testEnv)).code).toBe(0);
    writeFileSync(rulesFile, `${readFileSync(rulesFile, 'utf8')}# my note\n`);
    const before = await runtime.status();
    const again = await runCli(['lab:start', '4'], testEnv);
    expect(again.code, again.stderr).toBe(0);
    const after = await runtime.status();
    expect(after.map((s) => [s.name, s.pid])).toEqual(before.map((s) => [s.name, s.pid]));
    expect(readFileSync(rulesFile, 'utf8')).toContain('# my note');
  });

  it('brings back an engine that was killed', async () => {
    const prometheus = (await runtime.status()).find((s) => s.name === 'prometheus')!;
    process.kill(prometheus.pid!, 'SIGKILL');
    await expect.poll(async () => (await runtime.status()).find((s) => s.name === 'prometheus')!.state).toBe('failed');
    const { code, stderr } = await runCli(['lab:start', '4'], testEnv);
    expect(code, stderr).toBe(0);
    const back = (await runtime.status()).find((s) => s.name === 'prometheus')!;
    expect(back.state).toBe('ready');
    expect(back.pid).not.toBe(prometheus.pid);
    await runtime.up(startableServices().start.map((s) => s.name), silentProgress); // the rest of the suite expects the whole stack
  });
});

describe("one lab's faults do not leak into the next", () => {
  needsEngines(...labEngines(lab4), ...labEngines(lab10));
  const faults = async (service: 'shop' | 'inventory') => (await fetch(`${runtime.endpoints()[service]}/admin/faults`)).json();

  it('the same lab started again keeps its draw; another lab starts on healthy services but for its own faults', async () => {
    // Lab 10 slows one of the inventory's routes (drawn); lab 4 sets only the shop's faults.
    expect((await runCli(['lab:start', '10'], testEnv)).code).toBe(0);
    const drawn = await faults('inventory');
    expect(Object.keys(drawn)).toHaveLength(1);
    expect((await runCli(['lab:start', '10'], testEnv)).code).toBe(0);
    expect(await faults('inventory')).toEqual(drawn);
    const next = await runCli(['lab:start', '4'], testEnv);
    expect(next.code, next.stderr).toBe(0);
    expect(await faults('inventory')).toEqual({});
    expect(await faults('shop')).toEqual({ '/checkout': { latencyMs: 120, errorRate: 0 } });
  });
});

describe('a malformed workspace file', () => {
  needsEngines(...labEngines(lab4));
  it('stops check with exit 2, naming the file and the line', async () => {
    writeFileSync(rulesFile, 'groups:\n  - name: broken\n    rules:\n      - record: x\n       expr: up\n');
    const { code, stderr } = await runCli(['check', '4'], testEnv);
    expect(code).toBe(2);
    expect(stderr).toMatch(/workspace\/prometheus\/rules\/red\.yml: line 5/);
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  it('grades a rule file Prometheus refuses (valid YAML, broken PromQL): the file objective names the line, the loaded-rule objective says Prometheus runs the previous files, both at once', async () => {
    writeFileSync(rulesFile, 'groups:\n  - name: red\n    rules:\n      - record: service_route:http_server_requests:rate1m\n        expr: sum by (route (rate(x[1m]))\n      - record: y\n        expr: up\n');
    const { code, stdout, stderr } = await runCli(['check', '4', '--json'], testEnv);
    expect(code, stderr).toBe(1);
    const report = JSON.parse(stdout) as CheckReport;
    const byId = Object.fromEntries(report.objectives.map((o) => [o.id, o]));
    expect(byId['rules-valid']).toMatchObject({ outcome: 'fail', cause: 'settled' });
    expect(byId['rules-valid']!.evidence!.got).toMatch(/red\.yml/);
    expect(byId['rate-rule-loaded']).toMatchObject({ outcome: 'skipped' });
    expect(byId['shop-scraped']).toMatchObject({ outcome: 'fail', cause: 'settled' });
    expect(byId['shop-scraped']!.evidence!.got).toMatch(/Prometheus refused the workspace files and runs the previous ones/);
    expect(report.durationMs).toBeLessThan(10_000);
  });
});

describe('check, run again and again', () => {
  needsEngines(...labEngines(lab4));
  const loadedAt = async () => (await (await fetch(`${runtime.endpoints().prometheus}/api/v1/status/runtimeinfo`)).json()).data.lastConfigTime as string;

  it('reloads Prometheus only when the workspace files changed (a reload restarts target discovery, which checks wait out)', async () => {
    expect((await runCli(['lab:solve', '4'], testEnv)).code).toBe(0);
    await runCli(['check', '4', '--json'], testEnv);
    const first = await loadedAt();
    await runCli(['check', '4', '--json'], testEnv);
    expect(await loadedAt()).toBe(first);
    writeFileSync(rulesFile, `${readFileSync(rulesFile, 'utf8')}# an edit\n`);
    await runCli(['check', '4', '--json'], testEnv);
    expect(await loadedAt()).not.toBe(first);
  });

  it('grades one objective with --objective (and what it needs), and keeps every result in .lab/progress.json', async () => {
    const whole = await runCli(['check', '4', '--json'], testEnv);
    expect(whole.code, whole.stderr).toBe(0);
    const one = await runCli(['check', '4', '--objective', 'rate-recorded', '--json'], testEnv);
    expect(one.code, one.stderr).toBe(0);
    const report = JSON.parse(one.stdout) as CheckReport;
    expect(report.objectives.map((o) => o.id)).toEqual(['shop-scraped', 'rules-valid', 'rate-rule-loaded', 'rate-recorded']);
    const recorded = readProgress(testEnv)[lab4.id];
    expect(recorded?.passedAt).toBeDefined();
    expect(recorded?.best.score).toBe(recorded?.best.maxScore);
    expect(recorded?.objectives['rate-recorded']?.outcome).toBe('pass');
    const unknown = await runCli(['check', '4', '--objective', 'no-such-thing'], testEnv);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/no objective "no-such-thing".*\n?.*shop-scraped/s);
  });

  it('still reports a refused file on every check, without reloading it again', async () => {
    writeFileSync(rulesFile, 'groups:\n  - name: red\n    rules:\n      - record: y\n        expr: sum by (route (up)\n');
    const refusedBy = async () => {
      const report = JSON.parse((await runCli(['check', '4', '--json'], testEnv)).stdout) as CheckReport;
      return report.objectives.find((o) => o.id === 'shop-scraped')!.evidence!.got;
    };
    expect(await refusedBy()).toMatch(/Prometheus refused the workspace files/);
    const loaded = await loadedAt();
    expect(await refusedBy()).toMatch(/Prometheus refused the workspace files/);
    expect(await loadedAt()).toBe(loaded);
    expect((await runCli(['lab:solve', '4'], testEnv)).code).toBe(0);
  });
});

describe('lab:reset', () => {
  // Needs no engine: reset copies files, and applies them only to a stack that runs. So it writes its own
  // student file rather than relying on lab:start above, which skips where an engine is missing.
  it('backs the workspace up, then restores the starter files', async () => {
    mkdirSync(dirname(rulesFile), { recursive: true });
    writeFileSync(rulesFile, '# the student wrote this\ngroups: []\n');
    const backups = join(testStateDir, 'backups');
    const before = existsSync(backups) ? readdirSync(backups) : [];
    const { code, stderr } = await runCli(['lab:reset', '4', '--yes'], testEnv);
    expect(code, stderr).toBe(0);
    expect(readFileSync(rulesFile, 'utf8')).toContain('TODO (lab 4)');
    const added = readdirSync(backups).filter((name) => !before.includes(name));
    expect(added).toHaveLength(1);
    expect(readFileSync(join(backups, added[0]!, 'prometheus', 'rules', 'red.yml'), 'utf8')).toContain('the student wrote this');
    // The lab starts over: its progress is forgotten too.
    expect(readProgress(testEnv)[lab4.id]).toBeUndefined();
  });
});
