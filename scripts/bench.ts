/**
 * Benchmarks for the notes (never asserted in tests): how long engines take to build, how long the native
 * stack takes from nothing to all-ready, and how much memory it holds when idle.
 *
 *   npm run bench                          start times and idle memory, 3 runs (medians reported)
 *   npm run bench -- --runs 5
 *   npm run bench -- --builds              + warm build of every Go engine (Go build cache kept; link only)
 *   npm run bench -- --builds --cold       + cold build (empty Go build cache; module downloads kept) — long
 *   npm run bench -- --check-only          only the grading benchmark: 10 passing objectives on the running stack
 *                                          (start it first with npm run stack:up), wall time vs slowest query
 *
 * Runs in its own state directory, so the ports must be free: stop any running lab first (npm run lab:stop).
 * The machine is shared and noisy: medians of several runs, and read ratios rather than absolute times.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createProgress, formatDuration, silentProgress } from '../lib/progress.ts';
import { installEngines } from '../stack/engine-install.ts';
import { createNativeRuntime } from '../stack/native/driver.ts';
import { loadVersions } from '../stack/versions.ts';
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
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

function rssKiB(pid: number): number {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) : 0;
  } catch {
    return 0;
  }
}

async function measureStart() {
  const cold: number[] = [];
  const warm: number[] = [];
  const perService = new Map<string, number[]>();
  const rss = new Map<string, number[]>();
  for (let run = 1; run <= runs; run++) {
    const state = mkdtempSync(join(tmpdir(), 'o11y-bench-'));
    const env = { ...process.env, O11Y_LAB_STATE: state, O11Y_LAB_WORKSPACE: join(state, 'workspace') };
    const runtime = createNativeRuntime({ env });
    try {
      // Cold: empty data directories (PostgreSQL's initdb included).
      let started = Date.now();
      const times = new Map<string, number>();
      await runtime.up([], { ...silentProgress, step: async (label, work) => { const t = Date.now(); const r = await work(); times.set(label.replace(/^waiting for (.*) at .*$/, '$1'), Date.now() - t); return r; } });
      cold.push(Date.now() - started);
      for (const [name, ms] of times) perService.set(name, [...(perService.get(name) ?? []), ms]);
      // Idle memory: let start-up work settle, then sum resident memory.
      await new Promise((resolve) => setTimeout(resolve, 30_000));
      for (const status of (await runtime.status()).filter((s) => s.pid !== undefined)) rss.set(status.name, [...(rss.get(status.name) ?? []), rssKiB(status.pid!)]);
      await runtime.down(silentProgress);
      // Warm: same data directories, processes started again.
      started = Date.now();
      await runtime.up([], silentProgress);
      warm.push(Date.now() - started);
      await runtime.down(silentProgress);
      progress.info(`run ${run}/${runs}: cold start ${formatDuration(cold.at(-1)!)}, warm start ${formatDuration(warm.at(-1)!)}`);
    } finally {
      await runtime.down(silentProgress).catch(() => undefined);
      rmSync(state, { recursive: true, force: true });
    }
  }
  const totalRss = [...rss.values()].map((values) => median(values)).reduce((a, b) => a + b, 0);
  console.log(`\nnative stack, ${runs} runs (median):`);
  console.log(`  cold start to all-ready: ${formatDuration(median(cold))}   warm start: ${formatDuration(median(warm))}`);
  console.log('  per service (cold, from spawn to ready; services start in parallel):');
  for (const [name, values] of perService) console.log(`    ${name.padEnd(26)} ${formatDuration(median(values))}`);
  console.log(`  idle RSS after 30 s: ${(totalRss / 1024).toFixed(0)} MiB in all`);
  for (const [name, values] of rss) console.log(`    ${name.padEnd(26)} ${(median(values) / 1024).toFixed(0)} MiB`);
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
async function measureCheck() {
  const runtime = createNativeRuntime();
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
} else {
  await measureStart();
  if (flags.has('builds')) await measureBuilds(flags.has('cold'));
}
