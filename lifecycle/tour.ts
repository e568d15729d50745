/**
 * The stack tour: what a plain `npm run stack:up` adds before any lab is started, so that a newcomer's first
 * look at Grafana shows the demo shop alive in every provisioned dashboard. Three parts, each the kit's own:
 *
 *   - Prometheus scrapes the shop and the inventory: a file in its scrape.d/ (`tourScrapeJobs`), left out when
 *     the workspace has scrape files of its own (the student's jobs are then what scrapes them);
 *   - the demo services send their log records to Loki through the kit's collector (their telemetry route
 *     "collector-with-logs", stack/apps/export-route.ts); traces reach Tempo that way whatever the route;
 *   - k6 runs one shopper a second against the shop (the background load, testid=tour), when k6 is installed.
 *
 * The first `lab:start` ends it, before the lab's setup: the scrape file goes (Prometheus reloads), every lab
 * start points the demo services' telemetry back at the collector without logs, and the lab's load replaces
 * the tour's (or, for a lab without load, stops it). Why that cannot make a lab pass or fail falsely:
 *
 *   - The tour's series are labelled exactly as the kit's own shop job labels them (job="shop", the address as
 *     instance: labs/shop-scrape.ts) — the series every lab after lab 4 already finds in Prometheus. Scraping them is
 *     lab 3's and 4's work, graded on the targets Prometheus scrapes now (the tour's are gone by then), never
 *     on the mere presence of old samples.
 *   - Labs that read Loki count only lines since the student's pipeline was applied (after the tour ended), and
 *     a lab's truths come from what its setup drew or from the services' own logs, never from tour data.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { prometheusClient } from '../checks/clients/prometheus.ts';
import { StackError } from '../lib/errors.ts';
import { workspaceDir } from '../lib/paths.ts';
import type { Progress } from '../lib/progress.ts';
import { engineInstalled } from '../stack/binaries.ts';
import type { StackRuntime } from '../stack/runtime.ts';
import { tourScrapeFile, tourScrapeJobs } from '../stack/tour-scrape.ts';
import { engineVersion } from '../stack/versions.ts';
import { startBackgroundLoad } from './load.ts';
import { readSession } from './state.ts';
import { demoServices, routeTelemetry } from './telemetry-route.ts';

/** The tour's k6 load: one shopper a second, about four requests a second (lab loads are 4–6 shoppers). */
export const tourLoad = { testid: 'tour', script: 'shop.ts', rate: 1 } as const;

export interface TourPlan {
  /** Why there is no tour at all (a lab is started, or only some services were asked for). */
  skipped?: string;
  /** Scrape the demo services (not when the workspace has scrape files of its own). */
  scrape: boolean;
  /** Run the tour's k6 shoppers (not when k6 is not installed: the note says how to get it). */
  load: boolean;
  notes: string[];
}

export interface TourFacts {
  /** Services named on the command line: a partial stack:up is not a tour. */
  requested: string[];
  startedLab?: string;
  workspaceScrapeFiles: string[];
  k6Installed: boolean;
}

/** What a plain stack:up does for the tour, from what is on the machine (pure, for the unit tests). */
export function planTour(facts: TourFacts): TourPlan {
  if (facts.requested.length > 0) return { skipped: 'only named services were started', scrape: false, load: false, notes: [] };
  if (facts.startedLab) return { skipped: `lab ${facts.startedLab} is started (npm run lab:start resumes it)`, scrape: false, load: false, notes: [] };
  const notes: string[] = [];
  const scrape = facts.workspaceScrapeFiles.length === 0;
  if (!scrape) notes.push(`Prometheus scrapes what your workspace/prometheus/scrape/ files say (${facts.workspaceScrapeFiles.join(', ')})`);
  if (!facts.k6Installed) notes.push('no shoppers: k6 is not installed (npm run engines:install k6)');
  return { scrape, load: facts.k6Installed, notes };
}

/** The facts planTour reads, from this machine. */
export function tourFacts(requested: string[], env: NodeJS.ProcessEnv = process.env): TourFacts {
  const scrapeDir = join(workspaceDir(env), 'prometheus', 'scrape');
  const startedLab = readSession(env)?.lab;
  return {
    requested,
    ...(startedLab ? { startedLab } : {}),
    workspaceScrapeFiles: existsSync(scrapeDir) ? readdirSync(scrapeDir).filter((name) => /\.ya?ml$/.test(name)) : [],
    k6Installed: engineInstalled(engineVersion('k6'), env),
  };
}

/** Starts the tour on a running stack: the scrape file, the demo services' logs, the shoppers. */
export async function startTour(plan: TourPlan, runtime: StackRuntime, progress: Progress, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const endpoints = runtime.endpoints();
  await progress.step('starting the stack tour (live data for the dashboards until a lab starts)', async () => {
    runtime.writeConfig('prometheus', tourScrapeFile, plan.scrape ? tourScrapeJobs : undefined);
    await prometheusClient(endpoints.prometheus!).reload().catch((error: Error) => {
      // Not the tour's file (the tests run promtool on it): a workspace file Prometheus also reads.
      throw new StackError(`Prometheus refused its configuration when the stack tour reloaded it: ${error.message.split('\n')[0]}`, 'npm run stack:logs prometheus says which file; fix it, or start a lab (npm run lab:start <n>).');
    });
    await Promise.all(demoServices.map((service) => routeTelemetry(endpoints, service, 'collector-with-logs')));
    if (plan.load) await startBackgroundLoad(tourLoad, runtime, progress, env);
  });
  const parts = [plan.scrape ? 'Prometheus scrapes the shop and the inventory' : undefined, 'their logs go to Loki', plan.load ? 'one shopper a second' : undefined].filter(Boolean);
  progress.info(`✓ stack tour: ${parts.join(', ')}; the first npm run lab:start ends it`);
  for (const note of plan.notes) progress.info(`  ${note}`);
}

/**
 * Ends the tour's scrape (lab:start calls this before the lab's setup): the file goes and Prometheus reloads
 * without it, if it runs. The rest ends with every lab start anyway: the demo services' telemetry goes back to the
 * collector (lifecycle/telemetry-route.ts) and the lab's load replaces or stops the tour's.
 */
export async function stopTour(runtime: StackRuntime): Promise<void> {
  if (!runtime.writeConfig('prometheus', tourScrapeFile, undefined)) return;
  await prometheusClient(runtime.endpoints().prometheus!).reload().catch(() => undefined); // not running: it starts without it
}
