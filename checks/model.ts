/**
 * The grading model: what an objective is, what running one produces, and the events a check run emits.
 * Reporters (terminal, JSON, JUnit, the lab page's widget) consume only these types.
 */

/** Which engine (or file) answers an objective's query; `app` is a demo service's own admin endpoint (the faults setup drew). */
export type Source = 'prometheus' | 'loki' | 'tempo' | 'alertmanager' | 'grafana' | 'influxdb' | 'postgres' | 'workspace' | 'answer' | 'app-log' | 'app';

/** What one look at the live data found. */
export interface Observation {
  pass: boolean;
  /** What came back, short and human-readable: "3 series", "0.042", "no lines", "route=/checkout". */
  got: string;
  /** What was expected, in the same words: "> 0", ">= 3 series", "contains \"timeout\"". */
  expected: string;
  /**
   * This failure cannot change by waiting (a file that does not parse, a rule absent from the loaded config, a
   * wrong answer while its truth is known): the runner fails the objective at once instead of polling.
   */
  settled?: boolean;
}

/**
 * A query plus an expectation, built by the builders in checks/builders/ (promql(…).value('> 0') …).
 * `observe` looks once; the runner calls it again until it passes or the deadline passes.
 */
export interface Probe {
  source: Source;
  /** The query as sent (PromQL, LogQL, TraceQL, API path, file path), shown as evidence. */
  query: string;
  /** Throws a definition error if the query is malformed (checked with the real grammar before anything is sent). */
  validate(): void;
  observe(context: CheckContext): Promise<Observation>;
}

/** Where a check run finds the engines and the student's files. */
export interface CheckContext {
  /** service name → base URL, from the stack runtime (prometheus → http://127.0.0.1:9090, …). */
  endpoints: Record<string, string>;
  /** The student's workspace directory. */
  workspace: string;
  /** The lab's answer file (YAML), relative to the workspace. */
  answersFile?: string;
  /** Paths of helper binaries some objectives run (promtool, amtool). */
  tools?: Record<string, string>;
  /** Where tool runs that depend only on the files they read are remembered (checks/builders/tool.ts); none when absent. */
  toolRuns?: string;
  /**
   * When the files the engines run last changed (ms since the epoch). Objectives over recorded, remote-written
   * or shipped data look only at data produced after it, so old work neither passes nor fails the new.
   */
  appliedAt?: number;
  /**
   * Engines that refused the student's files (a reload that failed) and still run the previous ones, with the
   * reason: objectives that read such an engine fail at once with it, since what they would see is old work.
   */
  refused?: Partial<Record<Source, string>>;
  /** When the lab was first started in this session (ms): its setup's faults hold only since then. */
  labStartedAt?: number;
  /** A demo service's own log lines, as the stack runtime keeps them: ground truth no student pipeline touches. */
  appLog?: (service: string) => Promise<string[]>;
  signal?: AbortSignal;
}

export interface Objective {
  /** Stable id, unique in its lab: used in JSON reports, JUnit and `needs`. */
  id: string;
  /** An outcome, as a sentence: "The shop's p95 latency is recorded per route". */
  title: string;
  points: number;
  /** Shown when the objective does not pass: what to look at next, never the answer itself. */
  hint: string;
  check: Probe;
  /** How long telemetry may take to show up before the objective fails (default 20 s). */
  deadlineMs?: number;
  /** Ids of objectives that must pass first; if one does not, this one is skipped. */
  needs?: string[];
}

export type Outcome = 'pass' | 'fail' | 'error' | 'skipped';

/**
 * Why an objective ended as it did, as data for reporters and callers (the CLI exits 3 on engine-unreachable):
 * settled = failed at once, waiting could not change it; deadline = polled until its deadline;
 * engine-unreachable / engine-error = the engine did not answer / answered with an error; needs = a needed
 * objective did not pass.
 */
export type Cause = 'settled' | 'deadline' | 'engine-unreachable' | 'engine-error' | 'needs';

export interface Evidence {
  source: Source;
  query: string;
  got: string;
  expected: string;
}

export interface ObjectiveResult {
  id: string;
  title: string;
  outcome: Outcome;
  points: number;
  /** Points earned: `points` on pass, 0 otherwise. */
  score: number;
  evidence?: Evidence;
  /** The hint, on anything but a pass. */
  hint?: string;
  /** Why it errored or was skipped: "Prometheus is not reachable at http://127.0.0.1:9090 (connection refused)". */
  message?: string;
  /** Why it did not pass; absent on a pass. */
  cause?: Cause;
  attempts: number;
  durationMs: number;
}

export interface LabRef {
  number: number;
  slug: string;
  title: string;
}

/** The whole result of one `npm run check`: the JSON reporter prints exactly this. */
export interface CheckReport {
  /** Bumped when the shape changes incompatibly. */
  schemaVersion: 1;
  lab: LabRef;
  startedAt: string;
  durationMs: number;
  score: number;
  maxScore: number;
  /** True only when every objective passed. */
  passed: boolean;
  counts: Record<Outcome, number>;
  objectives: ObjectiveResult[];
}

/** Progress of a check run, as a stream. Reporters handle every kind (a new kind fails to compile there). */
export type CheckEvent =
  | { kind: 'run-started'; lab: LabRef; objectives: Pick<Objective, 'id' | 'title' | 'points'>[] }
  | { kind: 'objective-started'; id: string }
  | { kind: 'objective-retrying'; id: string; attempt: number; observation: Observation; remainingMs: number }
  | { kind: 'objective-finished'; result: ObjectiveResult }
  | { kind: 'run-finished'; report: CheckReport };
