/**
 * Benchmarks for the notes (never asserted in tests): how long engines take to build, how long the native
 * stack takes from nothing to all-ready, and how much memory it holds when idle.
 *
 *   npm run bench                          start times and idle memory, 3 runs (medians reported)
 *   npm run bench -- --runs 5
 *   npm run bench -- --builds              + warm build of every Go engine (Go build cache kept; link only)
 *   npm run bench -- --builds --cold       + cold build (empty Go build cache; module downloads kept) — long
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
      for (const status of await runtime.status()) rss.set(status.name, [...(rss.get(status.name) ?? []), rssKiB(status.pid!)]);
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
  const engines = [...loadVersions().values()].filter((e) => e.source === 'go' || e.source === 'ocb');
  console.log(`\n${cold ? 'cold (empty Go build cache)' : 'warm (Go build cache kept)'} builds, 1 run each:`);
  for (const engine of engines) {
    const cache = mkdtempSync(join(tmpdir(), 'o11y-bench-cache-'));
    const goCache = cold ? mkdtempSync(join(tmpdir(), 'o11y-bench-gocache-')) : undefined;
    const env = { ...process.env, O11Y_LAB_CACHE: cache, ...(goCache ? { GOCACHE: goCache } : {}) };
    try {
      const [result] = await installEngines(progress, [engine.name], env);
      console.log(`    ${engine.name.padEnd(14)} ${formatDuration(result!.ms)}`);
    } finally {
      rmSync(cache, { recursive: true, force: true });
      if (goCache) rmSync(goCache, { recursive: true, force: true });
    }
  }
}

await measureStart();
if (flags.has('builds')) await measureBuilds(flags.has('cold'));
