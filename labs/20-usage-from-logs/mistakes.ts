/**
 * Lab 20's realistic wrong work: the reference job with one slip each, every one on an empty database (a job
 * with another key would start over from one).
 */
import { slip, type Mistake } from '../api.ts';
import { installJob } from './database.ts';
import { job } from './solution.ts';

const upsertClause = `
     ON CONFLICT (event_id) DO NOTHING`;

export const mistakes: Mistake[] = [
  {
    id: 'double-counts-on-rerun',
    title: 'inserts with a plain INSERT into a table without a key, so every run adds the overlap it reads again',
    fails: ['idempotent', 'matches-shop'],
    apply: (ctx) => installJob(ctx, slip(slip(job, 'event_id    text PRIMARY KEY', 'event_id    text NOT NULL'), upsertClause, '')),
  },
  {
    id: 'drops-late-lines',
    title: 'reads only since the end of the previous run (a checkpoint in the database), so an event that reaches Loki late is never read',
    fails: ['matches-shop'],
    apply: (ctx) =>
      installJob(
        ctx,
        slip(
          slip(
            job,
            '  const start = new Date(end.getTime() - lookbackMs);',
            `  await db.query('CREATE TABLE IF NOT EXISTS import_checkpoint (id int PRIMARY KEY, read_until timestamptz NOT NULL)');
  const saved = await db.query<{ read_until: Date }>('SELECT read_until FROM import_checkpoint WHERE id = 1');
  const start = saved.rows[0]?.read_until ?? new Date(end.getTime() - lookbackMs);`,
          ),
          '  const added = await upsert(db, events);',
          `  const added = await upsert(db, events);
  await db.query('INSERT INTO import_checkpoint VALUES (1, $1) ON CONFLICT (id) DO UPDATE SET read_until = excluded.read_until', [end]);`,
        ),
      ),
  },
  {
    id: 'one-page-only',
    title: "reads one query_range page with Loki's default limit (100 lines), so a five-minute window of events comes back cut short",
    fails: ['matches-shop'],
    apply: (ctx) => installJob(ctx, slip(slip(job, ", limit: String(pageSize), direction: 'forward' }", ' }'), '    if (page.length < pageSize) return events;', '    return events;')),
  },
  {
    id: 'view-per-day',
    title: "buckets the view with date_trunc('day', …), so it counts per feature per day",
    fails: ['view-per-hour'],
    apply: (ctx) => installJob(ctx, slip(slip(job, "date_trunc('hour', occurred_at)", "date_trunc('day', occurred_at)"), "date_trunc('hour', occurred_at)", "date_trunc('day', occurred_at)")),
  },
];
