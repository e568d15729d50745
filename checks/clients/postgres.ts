/**
 * PostgreSQL client for SQL objectives: one short-lived connection per query, with errors that name the
 * engine and its address. Uses node-postgres (https://node-postgres.com/).
 */
import pg from 'pg';
import { describeNetworkError } from '../../lib/network.ts';
import { EngineError, EngineUnreachable } from './http.ts';

const engine = 'PostgreSQL';

/** `url` is postgres://host:port[/database]; the lab database trusts loopback connections as "postgres". */
export function postgresClient(url: string) {
  const connectionString = /\/[^/]+$/.test(new URL(url).pathname) ? url : `${url.replace(/\/$/, '')}/postgres`;
  return {
    url,
    query: async <Row extends Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<Row[]> => {
      const client = new pg.Client({ connectionString, user: 'postgres', connectionTimeoutMillis: 5000 });
      try {
        await client.connect();
      } catch (error) {
        throw new EngineUnreachable(engine, url, describeNetworkError(error));
      }
      try {
        const result = await client.query<Row>(sql, params);
        return result.rows;
      } catch (error) {
        throw new EngineError(engine, url, 0, error instanceof Error ? error.message : String(error));
      } finally {
        await client.end().catch(() => undefined);
      }
    },
  };
}

export type PostgresClient = ReturnType<typeof postgresClient>;
