/**
 * Lab 20's database, "usage" in the kit's PostgreSQL, and the job file: a fresh start for setup, the solution
 * and each mistake. A job's next run starts from an empty database, as it would for a student starting over
 * (a table made by an earlier job, with another key, would otherwise stay).
 */
import type { LabContext } from '../api.ts';

export const jobFile = 'jobs/usage-job.ts';

/** Drops and recreates the database "usage" (closing the job's connections to it). */
export async function freshDatabase(ctx: LabContext): Promise<void> {
  const url = new URL(ctx.endpoints.postgres!);
  if (!url.username) url.username = 'postgres';
  url.pathname = '/postgres';
  // Loaded here, not at the top: lab:list and check load this file with the lab, and never touch the database.
  const { default: pg } = await import('pg');
  const db = new pg.Client({ connectionString: url.toString(), connectionTimeoutMillis: 5000 });
  await db.connect();
  try {
    await db.query('DROP DATABASE IF EXISTS usage WITH (FORCE)');
    await db.query('CREATE DATABASE usage');
  } finally {
    await db.end();
  }
}

/**
 * Puts a job in place on an empty database: the file first, then a run of it through the runner (which waits
 * for a run of the previous file in progress, so that one cannot write into the new database), then the reset.
 */
export async function installJob(ctx: LabContext, source: string): Promise<void> {
  await ctx.writeFile(jobFile, source);
  const runner = ctx.endpoints['usage-job'];
  if (runner) await fetch(`${runner}/run`, { method: 'POST', signal: AbortSignal.timeout(90_000) }).then((r) => r.text());
  await freshDatabase(ctx);
  ctx.log(`workspace/${jobFile} written; the database "usage" starts empty`);
}
