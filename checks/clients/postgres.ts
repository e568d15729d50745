/**
 * PostgreSQL client for SQL objectives: one short-lived connection per query, with errors that name the
 * engine and its address. Uses node-postgres (https://node-postgres.com/).
 */
import { describeNetworkError } from '../../lib/network.ts';
import { EngineError, EngineUnreachable } from './http.ts';

const engine = 'PostgreSQL';

/**
 * `url` is postgres://[user@]host:port[/database]. The lab database trusts loopback connections, so the
 * defaults are the superuser "postgres" and the database "postgres".
 */
export function postgresClient(url: string) {
  const target = new URL(url);
  if (!target.username) target.username = 'postgres';
  if (target.pathname === '' || target.pathname === '/') target.pathname = '/postgres';
  const connectionString = target.toString();
  const connect = async () => {
    // Loaded on first query, not at the top: only the SQL objectives need it.
    const { default: pg } = await import('pg');
    const client = new pg.Client({ connectionString, connectionTimeoutMillis: 5000 });
    try {
      await client.connect();
    } catch (error) {
      // A five-character SQLSTATE means the server answered (bad role, database…); anything else is the network.
      const sqlState = (error as { code?: string }).code;
      if (sqlState && /^[0-9A-Z]{5}$/.test(sqlState)) throw new EngineError(engine, url, 0, (error as Error).message);
      throw new EngineUnreachable(engine, url, describeNetworkError(error));
    }
    return client;
  };
  return {
    url,
    /**
     * Runs statements in one transaction that is always rolled back, and returns each one's rows: a check that
     * adds test rows to a student's table to see what their view makes of them, and leaves nothing behind.
     */
    inRollback: async (statements: { sql: string; params?: unknown[] }[]): Promise<Record<string, unknown>[][]> => {
      const client = await connect();
      const results: Record<string, unknown>[][] = [];
      try {
        await client.query('BEGIN');
        for (const statement of statements) results.push((await client.query(statement.sql, statement.params ?? [])).rows);
        return results;
      } catch (error) {
        throw new EngineError(engine, url, 0, error instanceof Error ? error.message : String(error));
      } finally {
        await client.query('ROLLBACK').catch(() => undefined);
        await client.end().catch(() => undefined);
      }
    },
    query: async <Row extends Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<Row[]> => {
      const client = await connect();
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
