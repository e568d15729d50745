/**
 * The lab model: a lab is data plus small functions. `defineLab` is an identity helper that gives lab.ts files
 * type checking; the catalogue (catalogue.ts) validates the same shape at run time, naming file and field.
 *
 * A lab's folder, labs/NN-slug/, holds:
 *   lab.ts       this definition
 *   setup.ts     default export async (ctx) => {…}: seed data, inject the lab's fault (starter files are copied first)
 *   solution.ts  default export async (ctx) => {…}: what a good student would do
 *   starter/     files copied into the student's workspace, laid out as the workspace is (prometheus/rules/…)
 *   README.md    the lesson page source lives in docs/; this folder holds only what the kit runs
 */
import type { Objective } from '../checks/model.ts';

/** What setup and solution scripts get. */
export interface LabContext {
  lab: { number: number; slug: string; title: string };
  /** The student's workspace directory; lab files live at <workspace>/<engine>/…, answers at answers/NN-slug.yaml. */
  workspace: string;
  /** The lab's answer file, relative to the workspace. */
  answersFile: string;
  /** service → base URL of the running stack. */
  endpoints: Record<string, string>;
  /** zx's $, with cwd = the workspace, quiet unless verbose, and a timeout. */
  $: import('zx').Shell;
  /** Writes a workspace file (creating folders). */
  writeFile(path: string, content: string): Promise<void>;
  /** Like writeFile, for setups that must replace a student's file: the old one is backed up first. */
  replaceFile(path: string, content: string): Promise<void>;
  readFile(path: string): Promise<string>;
  /** Sets the demo service's fault knobs (latency and the share it hits, error rate, capacity in requests per second, per route). */
  setFaults(service: 'shop' | 'inventory', faults: Record<string, { latencyMs?: number; latencyShare?: number; errorRate?: number; capacityRps?: number }>): Promise<void>;
  /**
   * Where the demo services (shop and inventory) send their OTLP telemetry: the kit's collector (every lab start
   * sets it back), the collector with their log records too (lab 23: the logs are the incident's evidence), or,
   * for lab 21, the student's gateway.
   */
  routeTelemetry(via: 'collector' | 'collector-with-logs' | 'gateway'): Promise<void>;
  /** Applies the workspace's engine files: reloads Prometheus, restarts the log shipper, … */
  apply(): Promise<void>;
  /** Runs a k6 script (a workspace path) as `npm run k6` does: metrics remote-written, tagged testid=<lab id>. */
  k6(path: string): Promise<{ exitCode: number | null; output: string }>;
  log(line: string): void;
}

export type LabScript = (ctx: LabContext) => Promise<void>;

/**
 * A realistic wrong solution (GRADING.md §2): what a student might plausibly do instead of the right thing, and
 * the objectives such work must fail. The lab test applies each one on a fresh setup and proves it fails them.
 */
export interface Mistake {
  id: string;
  /** What the student did, in one sentence ("the alert sums over every route, dropping the route label"). */
  title: string;
  /** The objectives this work must fail. */
  fails: string[];
  /** Does what such a student would do, as `solution` does the right thing. */
  apply: LabScript;
}

/** Background load for the lab: a k6 script from k6/ and the arrival rate it runs at. */
export interface LoadProfile {
  /** Path under k6/, e.g. "shop.ts". */
  script: string;
  /** Requests per second across the script's scenario. */
  rate: number;
  /** Extra __ENV values for the script. */
  env?: Record<string, string>;
}

export interface LabDefinition {
  number: number;
  slug: string;
  /** The docs module folder, e.g. "02-metrics". */
  module: string;
  title: string;
  /** One sentence: what the student does. */
  summary: string;
  /** Stack services the lab needs (their dependencies start too). */
  services: string[];
  /**
   * What "applying" the workspace means for this lab, run before every check and by ctx.apply():
   * `yaml` files are parsed first (a broken file is an error naming file and line), then engines reload
   * (`tempo` and `otelcol`: restarted with the student's overlay, stack/overlay.ts — lab 12's and lab 22's;
   * `log-shipper`, `gateway` and `shop`: restarted when the workspace file they run changed, the shop's being
   * lab 9's shop/instrument.ts).
   */
  workspace: {
    yaml: string[];
    reload: ('prometheus' | 'alertmanager' | 'log-shipper' | 'gateway' | 'tempo' | 'otelcol' | 'shop')[];
  };
  load?: LoadProfile;
  /**
   * Command-line tools the lab's checks run, or the student does (k6 for a lab whose student writes tests, promtool
   * for rule files, amtool for an Alertmanager configuration). They run on this machine in both runtimes, from the
   * engine cache: lab:start installs their engines (toolEngine) even with Docker, and a check gets only these.
   */
  tools?: Tool[];
  objectives: Objective[];
  setup: LabScript;
  solution: LabScript;
  /** Realistic wrong solutions, each with the objectives it must fail (at least three per lab). */
  mistakes?: Mistake[];
}

export function defineLab(definition: LabDefinition): LabDefinition {
  return definition;
}

export type Tool = 'k6' | 'promtool' | 'amtool';

/** The engine whose release (or source build) brings each tool. */
export const toolEngine: Record<Tool, string> = { k6: 'k6', promtool: 'prometheus', amtool: 'alertmanager' };
