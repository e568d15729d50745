/**
 * Lab 20: your usage import job. The kit runs this file every 15 s (npm run stack:logs usage-job shows each run,
 * and `npm run check` says how the latest one ended). It should:
 *
 *   1. make sure the table usage_events (event_id, occurred_at, feature, user_id, plan) and the view
 *      usage_per_feature_hour (feature, hour, events) exist;
 *   2. read the shop's usage events from Loki with LogQL (query_range) — the lines with usage="true";
 *   3. upsert them into usage_events, so that running the job again never adds an event twice.
 *
 * An event's line can reach Loki up to two minutes after the event happened (its time is when it happened):
 * read a window that overlaps the previous runs, and let the table's key take care of what was read before.
 *
 * LOKI_URL and DATABASE_URL (the database "usage") come from the kit; the defaults below are the same.
 */
import pg from 'pg';

const loki = process.env.LOKI_URL ?? 'http://127.0.0.1:3100';
const database = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:15432/usage';

const db = new pg.Client({ connectionString: database });
await db.connect();
try {
  // 1. CREATE TABLE IF NOT EXISTS usage_events (…); CREATE OR REPLACE VIEW usage_per_feature_hour AS …
  // 2. const response = await fetch(`${loki}/loki/api/v1/query_range?${new URLSearchParams({ query: '…', … })}`);
  // 3. INSERT INTO usage_events … ON CONFLICT …
  throw new Error(`usage-job.ts is not written yet: read usage events from ${loki} and upsert them (see the lab page)`);
} finally {
  await db.end();
}
