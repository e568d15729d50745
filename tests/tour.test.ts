/**
 * The stack tour on the real engines: a plain `npm run stack:up` before any lab gives the dashboards live data
 * (the demo services scraped as the labs' jobs label them, their logs in Loki, shoppers), and the first lab:start
 * ends it — after which a lab's fresh setup still fails the objective the tour's data could have passed.
 *
 * It works in the shared test workspace: what other tests left there that would change the tour (a lab session,
 * scrape files of their own, lab-only collectors that ship the shop's log too) is put aside and back.
 */
import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CheckReport } from '../checks/model.ts';
import { lokiClient } from '../checks/clients/loki.ts';
import { prometheusClient } from '../checks/clients/prometheus.ts';
import { stopAgent } from '../lifecycle/agent.ts';
import { stopLoad } from '../lifecycle/load.ts';
import { stateFile } from '../lifecycle/state.ts';
import { eventually } from '../lib/poll.ts';
import { silentProgress } from '../lib/progress.ts';
import { createNativeRuntime } from '../stack/native/driver.ts';
import { services } from '../stack/services.ts';
import { tourScrapeFile } from '../stack/tour-scrape.ts';
import { runCli } from './support/cli.ts';
import { needsEngines, needsServices } from './support/engines.ts';
import { testEnv, testStateDir, testWorkspaceDir } from './support/stack.ts';

const runtime = createNativeRuntime({ env: testEnv });
const endpoints = runtime.endpoints();
const prometheus = prometheusClient(endpoints.prometheus!);
const loki = lokiClient(endpoints.loki!);
const scrapeDir = join(testWorkspaceDir, 'prometheus', 'scrape');
const asideDir = `${scrapeDir}.before-tour-test`;
const tourFile = join(testStateDir, 'config', 'prometheus', tourScrapeFile);

const tourTargets = async () => (await prometheus.targets()).activeTargets.filter((t) => t.scrapePool === 'tour');

describe('the stack tour', () => {
  needsServices(...services.filter((s) => s.native && !s.labOnly && !s.optional).map((s) => s.name));
  needsEngines('k6');

  let session: string | undefined;
  let startedAt: Date;
  beforeAll(async () => {
    // A machine before any lab: no session, no scrape files of the student's, no lab-only collector running.
    session = existsSync(stateFile(testEnv)) ? readFileSync(stateFile(testEnv), 'utf8') : undefined;
    rmSync(stateFile(testEnv), { force: true });
    if (existsSync(scrapeDir)) renameSync(scrapeDir, asideDir);
    await stopLoad(testEnv);
    await runtime.down(silentProgress, services.filter((s) => s.labOnly).map((s) => s.name));
    await prometheus.reload().catch(() => undefined);
  });
  afterAll(async () => {
    rmSync(scrapeDir, { recursive: true, force: true });
    if (existsSync(asideDir)) renameSync(asideDir, scrapeDir);
    if (session !== undefined) writeFileSync(stateFile(testEnv), session);
    else rmSync(stateFile(testEnv), { force: true });
    await stopLoad(testEnv);
    await stopAgent(testEnv);
    await prometheus.reload().catch(() => undefined);
  });

  it('stack:up gives live data: the demo services scraped as the labs label them, their logs in Loki, shoppers', async () => {
    startedAt = new Date();
    const up = await runCli(['stack:up'], testEnv);
    expect(up.code, up.stderr).toBe(0);
    expect(up.stderr).toContain('✓ stack tour: Prometheus scrapes the shop and the inventory, their logs go to Loki, one shopper a second');
    expect(existsSync(tourFile)).toBe(true);

    const targets = await eventually(tourTargets, (t) => t.length === 2 && t.every((target) => target.health === 'up'), { what: 'both tour targets up', timeoutMs: 30_000, intervalMs: 2000 });
    expect(targets.map((t) => t.labels.job).sort()).toEqual(['inventory', 'shop']);
    // The shoppers' requests, as the shop counts them.
    await eventually(async () => (await prometheus.query('sum(increase(http_server_request_duration_seconds_count{job="shop"}[30s]))')).result, (r) => Number((r as { value: [number, string] }[])[0]?.value[1] ?? 0) > 0, { what: 'requests counted under job="shop"', intervalMs: 2000 });
    // The shop's own log records, exported over OTLP through the collector (scope o11y-lab-kit/demo), not a shipper's.
    const lines = await eventually(async () => {
      const result = await loki.queryRange('{service_name="shop"} | scope_name="o11y-lab-kit/demo"', startedAt, new Date(), 50);
      return (result.result as { values: unknown[] }[]).reduce((n, stream) => n + stream.values.length, 0);
    }, (n) => n > 0, { what: 'shop log records in Loki', intervalMs: 2000 });
    expect(lines).toBeGreaterThan(0);
    expect(await (await fetch(`${endpoints.shop}/admin/telemetry`)).json()).toEqual({ via: 'collector-with-logs' });
  });

  it('the first lab:start ends it, and the lab still starts fresh: lab 4 fails "Prometheus scrapes the shop"', async () => {
    const start = await runCli(['lab:start', '4'], testEnv);
    expect(start.code, start.stderr).toBe(0);
    expect(existsSync(tourFile)).toBe(false);
    expect(await tourTargets()).toEqual([]);
    expect(await (await fetch(`${endpoints.shop}/admin/telemetry`)).json()).toEqual({ via: 'collector' });
    // No false pass from the tour's samples: the student has not scraped the shop yet (the starter file does not).
    const check = await runCli(['check', '4', '--objective', 'shop-scraped', '--json'], testEnv);
    const report = JSON.parse(check.stdout) as CheckReport;
    expect(report.objectives.find((o) => o.id === 'shop-scraped')?.outcome, check.stdout).toBe('fail');
    // …and plain stack:up with a lab started is no tour.
    const again = await runCli(['stack:up'], testEnv);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).not.toContain('stack tour');
    expect(existsSync(tourFile)).toBe(false);
  });
});
