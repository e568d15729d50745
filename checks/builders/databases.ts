/** SQL and InfluxQL objectives: `sql('SELECT …').rows('>= 1')`, `influxql('SELECT …', 'db').rows('>= 10')`. */
import { influxClient } from '../clients/influxdb.ts';
import { postgresClient } from '../clients/postgres.ts';
import type { Probe } from '../model.ts';
import { plural } from './format.ts';
import { countProbe } from './probe.ts';
import type { Truth } from './truth.ts';

export function sql(statement: string, options: { database?: string } = {}) {
  const client = (url: string) => postgresClient(options.database ? `${url.replace(/\/$/, '')}/${options.database}` : url);
  const base = { source: 'postgres' as const, query: statement, validate: () => undefined };
  return {
    rows(expectation: string): Probe {
      return countProbe(base, expectation, 'rows', async (context) => {
        const rows = await client(context.endpoints.postgres!).query(statement);
        return { count: rows.length, got: `${plural(rows.length, 'row')}${rows[0] ? `, first ${JSON.stringify(rows[0]).slice(0, 160)}` : ''}` };
      });
    },
    /** Ground truth: the first column of the first row. */
    scalar(): Truth {
      return { ...base, resolve: async (context) => Object.values((await client(context.endpoints.postgres!).query(statement))[0] ?? {})[0] as string | number | undefined };
    },
  };
}

export function influxql(statement: string, database: string) {
  const base = { source: 'influxdb' as const, query: statement, validate: () => undefined };
  return {
    rows(expectation: string): Probe {
      return countProbe(base, expectation, 'rows', async (context) => {
        const series = await influxClient(context.endpoints.influxdb!).query(statement, database);
        const rows = series.reduce((n, s) => n + s.values.length, 0);
        return { count: rows, got: plural(rows, 'row') };
      });
    },
  };
}
