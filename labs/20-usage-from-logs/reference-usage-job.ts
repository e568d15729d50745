/**
 * Lab 20 reference job: imports the shop's usage events from Loki into PostgreSQL, safe to run again and again.
 * The kit runs it every 15 s (npm run stack:logs usage-job shows each run).
 *
 * Each run reads the last five minutes of usage lines — far more than the 15 s since the previous run, because
 * an event's line can reach Loki up to a minute after the event happened — and upserts them by event_id, so
 * the overlap imports every late line once and the events already in the table no second time.
 */
import pg from 'pg';

const loki = process.env.LOKI_URL ?? 'http://127.0.0.1:3100';
const database = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:15432/usage';

/** How far back every run reads: the latest a line arrives (2 min), plus a few missed runs. */
const lookbackMs = 5 * 60_000;
/** The shop's usage events: usage, feature, user and plan are structured metadata the log shipper attached. */
const selector = '{service_name="shop"} | usage="true"';
/** Lines per request; a run pages on until Loki returns fewer. */
const pageSize = 1000;

const schema = `
  CREATE TABLE IF NOT EXISTS usage_events (
    event_id    text PRIMARY KEY,
    occurred_at timestamptz NOT NULL,
    feature     text NOT NULL,
    user_id     text NOT NULL,
    plan        text NOT NULL
  );
  CREATE OR REPLACE VIEW usage_per_feature_hour AS
    SELECT feature, date_trunc('hour', occurred_at) AS hour, count(*) AS events
    FROM usage_events
    GROUP BY feature, date_trunc('hour', occurred_at);
`;

interface UsageEvent {
  event_id: string;
  time: string;
  feature: string;
  user: string;
  plan: string;
}

type Streams = { data: { result: { values: [string, string][] }[] } };

/** Every usage line Loki has from `start` to `end`, oldest first, page by page. */
async function readEvents(start: Date, end: Date): Promise<UsageEvent[]> {
  const events: UsageEvent[] = [];
  let from = BigInt(start.getTime()) * 1_000_000n;
  const to = BigInt(end.getTime()) * 1_000_000n;
  for (;;) {
    const params = new URLSearchParams({ query: selector, start: String(from), end: String(to), limit: String(pageSize), direction: 'forward' });
    const response = await fetch(`${loki}/loki/api/v1/query_range?${params}`);
    if (!response.ok) throw new Error(`Loki answered ${response.status}: ${await response.text()}`);
    const page = ((await response.json()) as Streams).data.result.flatMap((stream) => stream.values);
    for (const [, line] of page) events.push(JSON.parse(line) as UsageEvent);
    if (page.length < pageSize) return events;
    // The next page starts at the last line's time: lines at that very nanosecond come again, and the upsert keeps one.
    from = page.map(([ns]) => BigInt(ns)).reduce((a, b) => (a > b ? a : b));
  }
}

/** Inserts the events, skipping those already in the table (ON CONFLICT on the key). */
async function upsert(db: pg.Client, events: UsageEvent[]): Promise<number> {
  const result = await db.query(
    `INSERT INTO usage_events (event_id, occurred_at, feature, user_id, plan)
     SELECT * FROM unnest($1::text[], $2::timestamptz[], $3::text[], $4::text[], $5::text[])
     ON CONFLICT (event_id) DO NOTHING`,
    [events.map((e) => e.event_id), events.map((e) => e.time), events.map((e) => e.feature), events.map((e) => e.user), events.map((e) => e.plan)],
  );
  return result.rowCount ?? 0;
}

const db = new pg.Client({ connectionString: database });
await db.connect();
try {
  await db.query(schema);
  const end = new Date();
  const start = new Date(end.getTime() - lookbackMs);
  const events = await readEvents(start, end);
  const added = await upsert(db, events);
  console.log(`read ${events.length} usage events from ${start.toISOString()} to ${end.toISOString()}, ${added} new`);
} finally {
  await db.end();
}
