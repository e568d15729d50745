/**
 * Lab 20 — Usage from logs. The shop logs a usage=true line for every product-usage event its web client
 * reports (event_id, feature, user, plan), some of them a minute or more after they happened. The student
 * writes a TypeScript job, run by the kit every 15 s, that reads them from Loki with LogQL and upserts them into
 * a PostgreSQL table, plus a view of events per feature per hour.
 *
 * Where the truth comes from: the job runner's record of each run of the job file as it is now; the shop's own
 * count of the events it logged, by the time they happened (GET /admin/usage), compared with the table over a
 * range of event times the job has had every chance to see; two extra runs of the job started by the check;
 * and test rows the check adds to the table inside a transaction it rolls back, to see what the view makes of
 * them. Nothing the student's job or shipper writes is the truth.
 */
import { defineLab, importJob, sql, type ImportJob } from '../api.ts';
import { jobFile } from './database.ts';
import { mistakes } from './mistakes.ts';
import setup from './setup.ts';
import solution from './solution.ts';

const job: ImportJob = {
  runner: 'usage-job',
  file: jobFile,
  database: 'usage',
  table: 'usage_events',
  view: 'usage_per_feature_hour',
  columns: [{ name: 'event_id' }, { name: 'occurred_at', timestamptz: true }, { name: 'feature' }, { name: 'user_id' }, { name: 'plan' }],
  // The lab's load backdates one event in five by 30 to 45 s: more than two runs of the job apart (15 s each),
  // and short enough that a check need not wait long for the late ones.
  maxLatenessMs: 45_000,
  app: 'shop',
  selector: '{service_name="shop"} | usage="true"',
};
const usage = importJob(job);

export default defineLab({
  number: 20,
  slug: 'usage-from-logs',
  module: '10-running-grafana',
  title: 'Usage from logs',
  summary: "Turn the shop's usage=true log events into a PostgreSQL table with a job that reads Loki, safe to rerun, and count them per feature per hour.",
  services: ['loki', 'postgres', 'shop', 'log-shipper', 'usage-job'],
  workspace: {
    yaml: ['otelcol/log-shipper.yaml'],
    reload: ['log-shipper'],
  },
  load: { script: '../labs/20-usage-from-logs/usage-load.ts', rate: 3 },
  objectives: [
    {
      id: 'job-runs',
      title: 'Your job runs to the end without an error',
      points: 10,
      hint: 'npm run stack:logs usage-job shows each run; run it yourself with npx tsx workspace/jobs/usage-job.ts. The error above is your job’s own.',
      check: usage.succeeds(),
      deadlineMs: 45_000,
    },
    {
      id: 'table-exists',
      title: 'The table usage_events has the columns event_id, occurred_at (timestamptz), feature, user_id and plan',
      points: 10,
      hint: 'Create it from the job with CREATE TABLE IF NOT EXISTS, in the database "usage" (DATABASE_URL). A table made with other columns stays: DROP TABLE usage_events CASCADE and let the job make it again.',
      check: usage.tableHasColumns(),
      deadlineMs: 45_000,
    },
    {
      id: 'rows-imported',
      title: 'Usage events arrive in the table',
      points: 10,
      hint: 'Query Loki with {service_name="shop"} | usage="true" over a recent range (query_range), parse each line’s JSON and insert it.',
      check: sql('SELECT event_id FROM usage_events LIMIT 1', { database: 'usage' }).rows('>= 1'),
      needs: ['table-exists'],
      deadlineMs: 45_000,
    },
    {
      id: 'idempotent',
      title: 'event_id is the table’s key, and running your job again adds nothing',
      points: 20,
      hint: 'Make event_id the primary key and insert with INSERT … ON CONFLICT (event_id) DO NOTHING (or DO UPDATE): then reading the same lines twice is harmless.',
      check: usage.idempotent(),
      needs: ['table-exists', 'job-runs'],
      deadlineMs: 120_000,
    },
    {
      id: 'matches-shop',
      title: 'Your table holds every usage event the shop logged, the late ones included, each once',
      points: 30,
      hint: 'A line can reach Loki up to two minutes after its event happened: read a window that overlaps earlier runs (the last five minutes, say), page through everything in it (query_range returns 100 lines unless you ask for more), and let the key drop what you already have.',
      check: usage.matchesShop(),
      needs: ['rows-imported'],
      deadlineMs: 240_000,
    },
    {
      id: 'view-per-hour',
      title: 'The view usage_per_feature_hour counts events per feature per hour',
      points: 20,
      hint: "Group by feature and date_trunc('hour', occurred_at), with the columns feature, hour and events.",
      check: usage.viewCountsPerHour(),
      needs: ['table-exists'],
      deadlineMs: 45_000,
    },
  ],
  setup,
  solution,
  mistakes,
});
