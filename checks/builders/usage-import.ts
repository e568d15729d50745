/**
 * Objectives on a student's import job (lab 20): a TypeScript job, run by the kit's job runner every 15 s, that
 * reads the shop's usage events from Loki and upserts them into a PostgreSQL table, plus a view over it.
 *
 *   importJob(job).succeeds()          the latest run of the job file as it is now ended well
 *   importJob(job).tableHasColumns()   the table exists with the columns the lab asks for
 *   importJob(job).idempotent()        event_id is a unique key, and two more runs add nothing
 *   importJob(job).matchesShop()       the table holds, per feature, the events the shop itself logged
 *   importJob(job).viewCountsPerHour() the view counts test rows (added in a rolled-back transaction) per hour
 *
 * Where the truth comes from: the job runner's own record of each run (which file it ran, how it ended), the
 * shop's own count of the events it logged by the time they happened (GET /admin/usage), and rows the check
 * itself adds and rolls back. Loki's count of the same lines is shown beside them, to tell a job that drops
 * lines from a log shipper that does. Only runs of the job file as it is now count: the window compared starts
 * at the first run of its current content.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { requestJson } from '../clients/http.ts';
import type { CheckContext, Observation, Probe } from '../model.ts';
import { engines, engineUrl } from './engines.ts';
import { formatClock, plural } from './format.ts';

/** One run as the job runner reports it (stack/apps/job-runner.ts, GET /runs). */
export interface RunRecord {
  startedAt: number;
  endedAt: number;
  trigger: 'interval' | 'request';
  fileHash: string;
  ok: boolean;
  exitCode: number | null;
  error?: string;
  output: string;
}

export interface ImportJob {
  /** The runner service (stack/services.ts) and the job file it runs, relative to the workspace. */
  runner: string;
  file: string;
  database: string;
  table: string;
  view: string;
  /** Columns the table must have; `timestamptz` ones must be timestamp with time zone. */
  columns: { name: string; timestamptz?: boolean }[];
  /** How late an event's line may reach Loki after it happened, at most (ms). */
  maxLatenessMs: number;
  /** The service whose GET /admin/usage is the truth, and the LogQL selector of its usage lines (shown beside it). */
  app: string;
  selector: string;
}

/** The file's content hash as the runner computes it. */
const hashOf = (path: string) => (existsSync(path) ? createHash('sha256').update(readFileSync(path)).digest('hex') : 'missing');

/**
 * The latest runs of the file as it is now: the runs since its content last changed (the trailing streak of
 * runs with its hash). Empty when the runner has not run this content yet.
 */
export function currentStreak(runs: RunRecord[], hash: string): RunRecord[] {
  const sorted = [...runs].sort((a, b) => a.startedAt - b.startedAt);
  let first = sorted.length;
  while (first > 0 && sorted[first - 1]!.fileHash === hash) first--;
  return sorted.slice(first);
}

/**
 * The window of event times a correct job has imported all of: from its first run (as it is now) to the
 * latest run's start less the lateness (a line that reaches Loki later was not there yet) and 10 s of
 * shipping; on whole seconds, and no longer than 25 minutes (the shop remembers half an hour).
 */
export function comparableWindow(streak: RunRecord[], maxLatenessMs: number, now: number): { start: number; end: number } | undefined {
  const first = streak[0];
  const last = streak.at(-1);
  if (!first || !last) return undefined;
  const start = Math.max(Math.ceil(first.startedAt / 1000) * 1000, Math.ceil((now - 25 * 60_000) / 1000) * 1000);
  const end = Math.floor((last.startedAt - maxLatenessMs - 10_000) / 1000) * 1000;
  return end - start >= 30_000 ? { start, end } : undefined;
}

/** Per-feature counts side by side: the features where `got` differs from `want`. */
export function countsDiffer(got: Record<string, number>, want: Record<string, number>): string[] {
  return [...new Set([...Object.keys(got), ...Object.keys(want)])].filter((key) => (got[key] ?? 0) !== (want[key] ?? 0)).sort();
}

const describeCounts = (counts: Record<string, number>) =>
  Object.entries(counts)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, n]) => `${key} ${n}`)
    .join(', ') || 'none';
const total = (counts: Record<string, number>) => Object.values(counts).reduce((a, b) => a + b, 0);

export function importJob(job: ImportJob) {
  const runnerUrl = (context: CheckContext) => engineUrl(context, job.runner);
  const db = (context: CheckContext) => engines.postgres(context, job.database);
  const runs = (context: CheckContext) => requestJson<RunRecord[]>(job.runner, `${runnerUrl(context)}/runs`);
  const runNow = (context: CheckContext) => requestJson<RunRecord>(job.runner, `${runnerUrl(context)}/run`, { method: 'POST', timeoutMs: 90_000 });
  const streak = async (context: CheckContext) => currentStreak(await runs(context), hashOf(join(context.workspace, job.file)));
  const waitingForRun = (expected: string): Observation => ({ pass: false, got: `waiting for the first run of workspace/${job.file} as it is now (the kit runs it every 15 s)`, expected });
  const failed = (run: RunRecord) => `your job failed at ${formatClock(run.startedAt)}: ${run.error ?? `exit code ${run.exitCode}`}`;
  const columnsOf = async (context: CheckContext, relation: string) =>
    new Map(
      (await db(context).query<{ column_name: string; data_type: string }>('SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1', [relation])).map((c) => [
        c.column_name,
        c.data_type,
      ]),
    );
  const base = (query: string) => ({ source: 'postgres' as const, query, validate: () => undefined });

  return {
    /** Passes when the latest run of the job file as it is now succeeded; two failures in a row are final. */
    succeeds(): Probe {
      const expected = `the latest run of workspace/${job.file} ends with exit code 0`;
      return {
        source: 'app',
        query: `GET ${job.runner} /runs (runs of workspace/${job.file} as it is now)`,
        validate: () => undefined,
        async observe(context) {
          const current = await streak(context);
          const last = current.at(-1);
          if (!last) return waitingForRun(expected);
          if (last.ok) return { pass: true, got: `the run at ${formatClock(last.startedAt)} succeeded in ${((last.endedAt - last.startedAt) / 1000).toFixed(1)} s`, expected };
          const again = current.at(-2);
          return { pass: false, got: failed(last), expected, settled: again !== undefined && !again.ok && again.error === last.error };
        },
      };
    },

    /** Passes when the table exists with every column the lab asks for (timestamps with their time zone). */
    tableHasColumns(): Probe {
      const expected = `a table ${job.table} with columns ${job.columns.map((c) => c.name + (c.timestamptz ? ' (timestamptz)' : '')).join(', ')}`;
      return {
        ...base(`information_schema.columns of ${job.table} in database ${job.database}`),
        async observe(context) {
          const columns = await columnsOf(context, job.table);
          if (columns.size === 0) return { pass: false, got: `no table ${job.table} in database ${job.database}`, expected };
          const missing = job.columns.filter((c) => !columns.has(c.name)).map((c) => c.name);
          const naive = job.columns.filter((c) => c.timestamptz && columns.has(c.name) && columns.get(c.name) !== 'timestamp with time zone').map((c) => `${c.name} is ${columns.get(c.name)}`);
          const got = missing.length ? `${job.table} has no column ${missing.join(', ')} (it has ${[...columns.keys()].join(', ')})` : naive.length ? `${naive.join(', ')}, not timestamptz` : `${job.table} has ${[...columns.keys()].join(', ')}`;
          return { pass: missing.length === 0 && naive.length === 0, got, expected };
        },
      };
    },

    /**
     * Passes when event_id alone is a unique key of the table, no event_id is in it twice, and two more runs of
     * the job (started by the check, one after the other) add no row for an event the first of them could see.
     */
    idempotent(): Probe {
      const expected = `event_id is a unique key of ${job.table}, and running the job twice more adds no row`;
      const settledEvents = (context: CheckContext, cut: number) => db(context).query<{ n: number }>(`SELECT count(*)::int AS n FROM ${job.table} WHERE occurred_at < to_timestamp($1)`, [cut / 1000]).then((r) => r[0]?.n ?? 0);
      return {
        ...base(`two runs of the job, then SELECT count(*) FROM ${job.table} WHERE occurred_at < <first run − lateness>; unique indexes on event_id`),
        async observe(context) {
          const first = await runNow(context);
          if (!first.ok) return { pass: false, got: `run again by the check, ${failed(first)}`, expected };
          // Every event that happened before this instant had reached Loki when the first run started.
          const cut = Math.floor((first.startedAt - job.maxLatenessMs - 10_000) / 1000) * 1000;
          const before = await settledEvents(context, cut);
          const second = await runNow(context);
          if (!second.ok) return { pass: false, got: `run again by the check, ${failed(second)}`, expected };
          const after = await settledEvents(context, cut);
          const [dup] = await db(context).query<{ extra: number }>(`SELECT (count(*) - count(DISTINCT event_id))::int AS extra FROM ${job.table}`);
          const unique = await db(context).query(
            `SELECT 1 FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = i.indkey[0]
             WHERE t.relname = $1 AND t.relnamespace = current_schema()::regnamespace AND i.indisunique AND i.indnatts = 1 AND a.attname = 'event_id'`,
            [job.table],
          );
          const problems = [
            ...(after > before ? [`one more run added ${plural(after - before, 'row')} for events from before ${formatClock(cut)}, which were already imported`] : []),
            ...(dup && dup.extra > 0 ? [`${plural(dup.extra, 'row')} repeat an event_id already in the table`] : []),
            ...(unique.length === 0 ? ['no primary key or unique index on event_id alone'] : []),
          ];
          if (problems.length === 0) return { pass: true, got: `two runs left the ${plural(after, 'event')} from before ${formatClock(cut)} as they were; event_id is unique`, expected };
          return { pass: false, got: problems.join('; '), expected, settled: true };
        },
      };
    },

    /**
     * Passes when, over the events that happened from the job's first run (as it is now) until the latest run
     * could see all of them, the table holds per feature exactly as many events as the shop logged. Fewer rows
     * are final at a second look a run later; more rows at once.
     */
    matchesShop(): Probe {
      const expected = `per feature, as many rows as the usage events ${job.app} logged in the same time range (late events included)`;
      let shortSince: number | undefined;
      return {
        ...base(`SELECT feature, count(*) FROM ${job.table} WHERE occurred_at in [start, end) GROUP BY feature vs ${job.app}'s GET /admin/usage`),
        async observe(context) {
          const current = await streak(context);
          const last = current.at(-1);
          if (!last) return waitingForRun(expected);
          if (!last.ok) return { pass: false, got: failed(last), expected };
          const now = Date.now();
          const window = comparableWindow(current, job.maxLatenessMs, now);
          // The window opens once the latest run started lateness + 10 s + 30 s after the first: one run later.
          const waitUntil = current[0]!.startedAt + job.maxLatenessMs + 40_000 + 15_000;
          if (!window) return { pass: false, got: `waiting for your job to run until ${formatClock(waitUntil)}: a usage event can reach Loki up to ${job.maxLatenessMs / 1000} s after it happened, so the check compares only events your job has had the chance to see`, expected };
          const truth = (await requestJson<{ byFeature: Record<string, number> }>(job.app, `${engineUrl(context, job.app)}/admin/usage?start=${window.start}&end=${window.end}`)).byFeature;
          const rows = await db(context).query<{ feature: string; n: number }>(`SELECT feature, count(*)::int AS n FROM ${job.table} WHERE occurred_at >= to_timestamp($1) AND occurred_at < to_timestamp($2) GROUP BY feature`, [window.start / 1000, window.end / 1000]);
          const table = Object.fromEntries(rows.map((r) => [String(r.feature), r.n]));
          const off = countsDiffer(table, truth);
          const range = `${formatClock(window.start)}–${formatClock(window.end)}`;
          if (off.length === 0 && total(truth) > 0) {
            shortSince = undefined;
            return { pass: true, got: `${range}: your table ${describeCounts(table)}; ${job.app} logged the same`, expected };
          }
          const loki = await lokiCounts(context, job.selector, window).catch((error: Error) => `Loki did not answer (${error.message.slice(0, 80)})`);
          const lokiSays = typeof loki === 'string' ? loki : countsDiffer(loki, truth).length === 0 ? 'Loki has the same as the shop' : `Loki has ${describeCounts(loki)} (your log shipper loses or changes lines: is it running the lab's config?)`;
          const missing = total(truth) - total(table);
          const summary = missing > 0 ? `${plural(missing, 'event')} missing` : missing < 0 ? `${plural(-missing, 'row')} too many` : 'counts per feature differ';
          const got = `${range}: your table ${describeCounts(table)}; ${job.app} logged ${describeCounts(truth)} — ${summary}; ${lokiSays}`;
          if (total(truth) === 0) return { pass: false, got: `${range}: ${job.app} logged no usage events (is the lab's load running?)`, expected };
          if (missing < 0 || off.some((key) => (table[key] ?? 0) > (truth[key] ?? 0))) return { pass: false, got, expected, settled: true };
          shortSince ??= now;
          return { pass: false, got, expected, settled: now - shortSince >= 20_000 };
        },
      };
    },

    /**
     * Passes when the view counts per feature per hour: test rows of a feature of the check's own, added to the
     * table in a transaction that is rolled back (the student's data is never changed), come out of the view as
     * one row per hour with the right count.
     */
    viewCountsPerHour(): Probe {
      const expected = `${job.view} (feature, hour, events): one row per feature and hour, hour at its start (UTC), events = how many`;
      return {
        ...base(`test rows in a rolled-back transaction, then SELECT hour, events FROM ${job.view} WHERE feature = <test feature>`),
        async observe(context) {
          const columns = await columnsOf(context, job.view);
          if (columns.size === 0) return { pass: false, got: `no view ${job.view} in database ${job.database}`, expected };
          const missing = ['feature', 'hour', 'events'].filter((c) => !columns.has(c));
          if (missing.length) return { pass: false, got: `${job.view} has no column ${missing.join(', ')} (it has ${[...columns.keys()].join(', ')})`, expected, settled: true };
          const probe = viewProbe(`check-${randomBytes(4).toString('hex')}`);
          let result: Record<string, unknown>[][];
          try {
            result = await db(context).inRollback([
              { sql: "SET LOCAL TIME ZONE 'UTC'" },
              ...probe.rows.map((row) => ({ sql: `INSERT INTO ${job.table} (event_id, occurred_at, feature, user_id, plan) VALUES ($1, to_timestamp($2), $3, 'check', 'free')`, params: [row.eventId, row.at / 1000, probe.feature] })),
              { sql: `SELECT extract(epoch FROM hour)::float8 AS hour, events::float8 AS events FROM ${job.view} WHERE feature = $1 ORDER BY 1`, params: [probe.feature] },
            ]);
          } catch (error) {
            return { pass: false, got: `the check could not add its test rows to ${job.table}: ${(error as Error).message.replace(/^.*?: /, '').slice(0, 200)}`, expected };
          }
          const seen = (result.at(-1) ?? []).map((r) => ({ hour: Number(r.hour) * 1000, events: Number(r.events) }));
          const describe = (rows: { hour: number; events: number }[]) => rows.map((r) => `${new Date(r.hour).toISOString().slice(0, 16).replace('T', ' ')} ${r.events}`).join(', ') || 'no rows';
          const pass = JSON.stringify(seen) === JSON.stringify(probe.expected);
          return { pass, got: `for ${probe.rows.length} test events at ${probe.rows.map((r) => new Date(r.at).toISOString().slice(5, 16).replace('T', ' ')).join(', ')} the view said ${describe(seen)} (want ${describe(probe.expected)})`, expected, settled: true };
        },
      };
    },
  };
}

/** Test events for the view (UUIDs as ids, which a text or a uuid column takes), and the rows a per-feature-per-hour view makes of them: two in one hour, one in the next, one a day later. */
export function viewProbe(feature: string) {
  const hour = (day: number, h: number, m = 0) => Date.UTC(2026, 0, day, h, m);
  const rows = [hour(5, 10, 15), hour(5, 10, 45), hour(5, 11, 5), hour(6, 10, 20)].map((at) => ({ eventId: randomUUID(), at }));
  return {
    feature,
    rows,
    expected: [
      { hour: hour(5, 10), events: 2 },
      { hour: hour(5, 11), events: 1 },
      { hour: hour(6, 10), events: 1 },
    ],
  };
}

/** Loki's usage lines in the window, counted per feature from each line's JSON. */
async function lokiCounts(context: CheckContext, selector: string, window: { start: number; end: number }): Promise<Record<string, number>> {
  // The shop's times are whole milliseconds: up to 1 ms before the end keeps Loki's range to [start, end).
  const result = await engines.loki(context).queryRange(selector, new Date(window.start), new Date(window.end - 1), 5000);
  const counts: Record<string, number> = {};
  if (result.resultType !== 'streams') return counts;
  for (const stream of result.result)
    for (const [, line] of stream.values) {
      try {
        const feature = String((JSON.parse(line) as { feature?: unknown }).feature ?? '');
        counts[feature] = (counts[feature] ?? 0) + 1;
      } catch {
        counts['(not JSON)'] = (counts['(not JSON)'] ?? 0) + 1;
      }
    }
  return counts;
}
