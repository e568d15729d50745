/**
 * Benchmarks for the notes (never asserted in tests), side by side in one run:
 *   - CLI start: `npm run lab:list` and `npm run check` on a passing lab, against `npm run` of an empty script;
 *   - each service's ready time started alone, against the whole stack's (cold and warm), per service;
 *   - how long each service takes to stop (alone, and with the whole stack);
 *   - idle memory (RSS) per service, Grafana included where it is installed;
 *   - a check's wall time against its slowest single query.
 *
 *   npm run bench                          all of the above, 3 runs (medians reported)
 *   npm run bench -- --runs 5
 *   npm run bench -- --builds              + warm build of every Go engine (Go build cache kept; link only)
 *   npm run bench -- --builds --cold       + cold build (empty Go build cache; module downloads kept) — long
 *   npm run bench -- --check-only          only the grading benchmark, on the running stack (npm run stack:up)
 *   npm run bench -- --cli-only            only the CLI start benchmark (it starts and stops lab 4 itself)
 *
 * Runs in its own state directory, so the ports must be free: stop any running lab first (npm run lab:stop).
 * The machine is shared and noisy: medians of several runs, and read ratios rather than absolute times.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createProgress, formatDuration, silentProgress, type Progress } from '../lib/progress.ts';
import { repoRoot } from '../lib/paths.ts';
import { engineInstalled } from '../stack/binaries.ts';
import { installEngines } from '../stack/engine-install.ts';
import { createNativeRuntime } from '../stack/native/driver.ts';
import { services } from '../stack/services.ts';
import { engineVersion, loadVersions } from '../stack/versions.ts';
import { parseArgs } from './args.ts';
import { lokiClient } from '../checks/clients/loki.ts';
import { otlpSender } from '../checks/clients/otlp.ts';
import { prometheusClient } from '../checks/clients/prometheus.ts';
import { logql, promql, sql, target, traceql } from '../checks/index.ts';
import { runObjectives } from '../checks/runner.ts';
import { port } from '../stack/versions.ts';

const { flags } = parseArgs(process.argv.slice(2), ['runs']);
const runs = Number(flags.get('runs') ?? 3);
const progress = createProgress();
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;
const seconds = (ms: number) => (Number.isNaN(ms) ? '—' : formatDuration(ms));
const push = (map: Map<string, number[]>, key: string, value: number) => map.set(key, [...(map.get(key) ?? []), value]);

function rssKiB(pid: number): number {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) : 0;
  } catch {
    return 0;
  }
}

/** A fresh state directory (data, configs, pids) for one measurement, removed afterwards. */
async function inFreshState<T>(work: (env: NodeJS.ProcessEnv) => Promise<T>): Promise<T> {
  const state = mkdtempSync(join(tmpdir(), 'o11y-bench-'));
  const env = { ...process.env, O11Y_LAB_STATE: state, O11Y_LAB_WORKSPACE: join(state, 'workspace'), STACK_RUNTIME: 'native' };
  try {
    return await work(env);
  } finally {
    await createNativeRuntime({ env }).down(silentProgress).catch(() => undefined);
    rmSync(state, { recursive: true, force: true });
  }
}

/** A progress that records how long each "waiting for X" and "stopping X" step took, by service title. */
function timingProgress(ready: Map<string, number[]>, stopped: Map<string, number[]>): Progress {
  return {
    ...silentProgress,
    async step(label, work) {
      const started = performance.now();
      const result = await work();
      const ms = performance.now() - started;
      const waiting = /^waiting for (.*) at /.exec(label);
      const stopping = /^stopping (.*)$/.exec(label);
      if (waiting) push(ready, waiting[1]!, ms);
      if (stopping) push(stopped, stopping[1]!, ms);
      return result;
    },
  };
}

/** The services a plain `stack:up` starts here: the default ones whose engines are installed. */
const stackServices = () => services.filter((s) => s.native && !s.labOnly && engineInstalled(engineVersion(s.engine)));

async function measureStack() {
  const alone = new Map<string, number[]>();
  const aloneStop = new Map<string, number[]>();
  const inStack = new Map<string, number[]>();
  const inStackStop = new Map<string, number[]>();
  const cold: number[] = [];
  const warm: number[] = [];
  const rss = new Map<string, number[]>();
  for (let run = 1; run <= runs; run++) {
    // Each service alone (with what it needs), from empty data, as a student's first start of it would be.
    for (const service of stackServices()) {
      await inFreshState(async (env) => {
        const runtime = createNativeRuntime({ env });
        const started = performance.now();
        await runtime.up([service.name], silentProgress);
        push(alone, service.title, performance.now() - started);
        const stops = new Map<string, number[]>();
        await runtime.down(timingProgress(new Map(), stops), [service.name]);
        for (const ms of stops.get(service.title) ?? []) push(aloneStop, service.title, ms);
      });
    }
    // The whole stack, cold (empty data directories, PostgreSQL's initdb included), then warm.
    await inFreshState(async (env) => {
      const runtime = createNativeRuntime({ env });
      let started = performance.now();
      await runtime.up([], timingProgress(inStack, new Map()));
      cold.push(performance.now() - started);
      // Idle memory: let start-up work settle, then read each process's resident memory.
      await new Promise((resolve) => setTimeout(resolve, 30_000));
      for (const status of (await runtime.status()).filter((s) => s.pid !== undefined)) push(rss, status.name, rssKiB(status.pid!));
      await runtime.down(timingProgress(new Map(), inStackStop));
      started = performance.now();
      await runtime.up([], silentProgress);
      warm.push(performance.now() - started);
    });
    progress.info(`run ${run}/${runs}: whole stack cold ${formatDuration(cold.at(-1)!)}, warm ${formatDuration(warm.at(-1)!)}`);
  }
  const slowestAlone = Math.max(...[...alone.values()].map(median));
  console.log(`\nnative stack, ${runs} runs (median):`);
  console.log(`  whole stack to all-ready: cold ${seconds(median(cold))}, warm ${seconds(median(warm))}; slowest service alone ${seconds(slowestAlone)}; cold ÷ slowest alone = ${(median(cold) / slowestAlone).toFixed(2)}× (goal ≤ 1.2×)`);
  console.log(`  ${'service'.padEnd(26)} ${'ready alone'.padStart(12)} ${'in stack'.padStart(10)} ${'stop alone'.padStart(11)} ${'stop in stack'.padStart(14)} ${'idle RSS'.padStart(9)}`);
  for (const service of stackServices()) {
    const title = service.title;
    const memory = rss.get(service.name);
    console.log(`  ${title.padEnd(26)} ${seconds(median(alone.get(title) ?? [])).padStart(12)} ${seconds(median(inStack.get(title) ?? [])).padStart(10)} ${seconds(median(aloneStop.get(title) ?? [])).padStart(11)} ${seconds(median(inStackStop.get(title) ?? [])).padStart(14)} ${(memory ? `${(median(memory) / 1024).toFixed(0)} MiB` : '—').padStart(9)}`);
  }
  const totalRss = [...rss.values()].map(median).reduce((a, b) => a + b, 0);
  console.log(`  idle RSS after 30 s: ${(totalRss / 1024).toFixed(0)} MiB in all${engineInstalled(engineVersion('grafana')) ? '' : ' (Grafana is not installed here: not included)'}`);
  console.log('  ("in stack" is from spawn to ready while everything starts at once; a service starts when what it needs is ready)');
}

/** Wall time of a command, median of `runs` after one warm-up, in ms. */
function timeCommand(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env): { ms: number; code: number | null } {
  const times: number[] = [];
  let code: number | null = null;
  for (let i = 0; i <= runs; i++) {
    const started = performance.now();
    code = spawnSync(command, args, { cwd, env, stdio: 'ignore' }).status;
    if (i > 0) times.push(performance.now() - started);
  }
  return { ms: median(times), code };
}

/** CLI start: what a command costs beyond npm's own start, with lab 4 solved and passing for `check`. */
async function measureCli() {
  const empty = mkdtempSync(join(tmpdir(), 'o11y-bench-npm-'));
  writeFileSync(join(empty, 'package.json'), JSON.stringify({ name: 'empty', private: true, scripts: { empty: '' } }));
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  try {
    const baseline = timeCommand(npm, ['run', '-s', 'empty'], empty);
    const list = timeCommand(npm, ['run', '-s', 'lab:list'], repoRoot);
    const check = await inFreshState(async (env) => {
      const run = (...args: string[]) => spawnSync(npm, ['run', '-s', ...args], { cwd: repoRoot, env, encoding: 'utf8' });
      const cli = (...args: string[]) => run(...args).status;
      // A failed step says why (a port taken by another stack, most often), not only that it failed.
      const must = (...args: string[]) => {
        const result = run(...args);
        if (result.status !== 0) throw new Error(`npm run ${args.join(' ')} failed (exit ${result.status}): ${result.stderr.trim().split('\n').slice(-3).join(' | ')}`);
      };
      await progress.step('starting lab 4 and solving it (for the check timing)', async () => {
        must('lab:start', '4');
        must('lab:solve', '4');
        // Wait until the check passes: the recording rules need a few evaluations.
        for (let i = 0; i < 30 && cli('check', '4') !== 0; i++) await new Promise((resolve) => setTimeout(resolve, 2000));
      });
      const result = timeCommand(npm, ['run', '-s', 'check', '4'], repoRoot, env);
      cli('lab:stop');
      return result;
    });
    console.log(`\nCLI start, ${runs} runs (median), against \`npm run\` of an empty script (${seconds(baseline.ms)}):`);
    console.log(`  npm run lab:list         ${seconds(list.ms)}   +${seconds(list.ms - baseline.ms)} (goal ≤ +0.25 s)`);
    console.log(`  npm run check 4 (passing) ${seconds(check.ms)}   +${seconds(check.ms - baseline.ms)} (goal ≤ +0.25 s)${check.code === 0 ? '' : ` — not passing (exit ${check.code})`}`);
  } finally {
    rmSync(empty, { recursive: true, force: true });
  }
}

async function measureBuilds(cold: boolean) {
  const engines = [...loadVersions().values()].filter((e) => e.source);
  console.log(`\n${cold ? 'cold (empty Go build cache)' : 'warm (Go build cache kept)'} builds, 1 run each:`);
  for (const engine of engines) {
    const cache = mkdtempSync(join(tmpdir(), 'o11y-bench-cache-'));
    const goCache = cold ? mkdtempSync(join(tmpdir(), 'o11y-bench-gocache-')) : undefined;
    const env = { ...process.env, O11Y_LAB_CACHE: cache, ...(goCache ? { GOCACHE: goCache } : {}) };
    try {
      const [result] = await installEngines({ progress, only: [engine.name], fromSource: true, env });
      console.log(`    ${engine.name.padEnd(14)} ${formatDuration(result!.ms)}`);
    } finally {
      rmSync(cache, { recursive: true, force: true });
      if (goCache) rmSync(goCache, { recursive: true, force: true });
    }
  }
}

/**
 * Grading speed: 10 objectives that pass, run as `npm run check` runs them (in parallel), against the time
 * of the slowest single query among them. Objectives run in parallel, so the goal is wall ≤ 1.5 × slowest.
 */
async function measureCheck(env: NodeJS.ProcessEnv = process.env) {
  const runtime = createNativeRuntime({ env });
  const endpoints = runtime.endpoints();
  const context = { endpoints, workspace: '/nonexistent' };
  const run = `bench-${Date.now()}`;
  await prometheusClient(endpoints.prometheus!).remoteWrite([{ labels: { __name__: 'bench_value', run }, samples: [{ value: 1, timestampMs: Date.now() }] }]);
  await lokiClient(endpoints.loki!).push([{ labels: { service_name: 'bench' }, lines: [{ time: new Date(), line: `bench ${run}` }] }]);
  await otlpSender('Tempo', `http://127.0.0.1:${port('tempo', 'otlp_http')}`).sendSpans([{ service: 'bench', name: 'GET /bench', attributes: { run } }]);
  await new Promise((resolve) => setTimeout(resolve, 8000)); // let Tempo make the span searchable
  const checks = [
    promql(`bench_value{run="${run}"}`).value('== 1'),
    promql('up{job="prometheus"}').value('== 1'),
    promql('sum(rate(prometheus_http_requests_total[1m]))').value('>= 0'),
    promql('count(up)').value('>= 1'),
    target('node').up(),
    promql('prometheus_build_info').count('== 1'),
    logql(`{service_name="bench"} |= "${run}"`).lines('>= 1'),
    logql(`sum(count_over_time({service_name="bench"}[15m]))`).value('>= 1'),
    traceql(`{ span.run = "${run}" }`).spans('>= 1'),
    sql('SELECT 1').rows('== 1'),
  ];
  const objectives = checks.map((check, i) => ({ id: `o${i}`, title: check.query, points: 1, hint: '-', check, deadlineMs: 30_000 }));
  const ratios: number[] = [];
  const walls: number[] = [];
  const slowests: number[] = [];
  const sums: number[] = [];
  for (let i = 0; i < runs; i++) {
    // Slowest single query: each probe once, one after another (their sum is the sequential time).
    let slowest = 0;
    let sum = 0;
    for (const check of checks) {
      const t = performance.now();
      await check.observe(context).catch(() => undefined);
      slowest = Math.max(slowest, performance.now() - t);
      sum += performance.now() - t;
    }
    sums.push(sum);
    const t = performance.now();
    const report = await runObjectives({ number: 0, slug: 'bench', title: 'bench' }, objectives, context);
    const wall = performance.now() - t;
    if (!report.passed) progress.info(`  (not every objective passed: ${report.objectives.filter((o) => o.outcome !== 'pass').map((o) => o.id).join(', ')})`);
    walls.push(wall);
    slowests.push(slowest);
    ratios.push(wall / slowest);
  }
  console.log(`
check over 10 passing objectives, ${runs} runs (median):`);
  console.log(`  wall ${formatDuration(median(walls))}, slowest single query ${formatDuration(median(slowests))}, ratio ${median(ratios).toFixed(2)}×`);
  console.log(`  (the same queries one after another: ${formatDuration(median(sums))})`);
}

if (flags.has('check-only')) {
  await measureCheck();
} else if (flags.has('cli-only')) {
  await measureCli();
} else {
  await measureCli();
  await measureStack();
  // The grading benchmark needs a running stack: the bench's own, in a fresh state directory.
  await inFreshState(async (env) => {
    await createNativeRuntime({ env }).up([], silentProgress);
    await measureCheck(env);
  });
  if (flags.has('builds')) await measureBuilds(flags.has('cold'));
}
