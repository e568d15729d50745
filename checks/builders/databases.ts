/** SQL and InfluxQL objectives: `sql('SELECT …').rows('>= 1')`, `influxql('SELECT …', 'db').rows('>= 10')`. */
import type { CheckContext, Probe } from '../model.ts';
import { engines } from './engines.ts';
import { plural } from './format.ts';
import { countProbe } from './probe.ts';
import type { Truth } from './truth.ts';

export function sql(statement: string, options: { database?: string } = {}) {
  const client = (context: CheckContext) => engines.postgres(context, options.database);
  const base = { source: 'postgres' as const, query: statement, validate: () => undefined };
  return {
    rows(expectation: string): Probe {
      return countProbe(base, expectation, 'rows', async (context) => {
        const rows = await client(context).query(statement);
        return { count: rows.length, got: `${plural(rows.length, 'row')}${rows[0] ? `, first ${JSON.stringify(rows[0]).slice(0, 160)}` : ''}` };
      });
    },
    /** Ground truth: the first column of the first row. */
    scalar(): Truth {
      return { ...base, resolve: async (context) => Object.values((await client(context).query(statement))[0] ?? {})[0] as string | number | undefined };
    },
  };
}

export function influxql(statement: string, database: string) {
  const base = { source: 'influxdb' as const, query: statement, validate: () => undefined };
  const run = (context: CheckContext) => engines.influxdb(context).query(statement, database);
  /** Each series' first row's value column (column 1: after time), as a number. */
  const firstValues = async (context: CheckContext) => (await run(context)).map((s) => ({ tags: s.tags ?? {}, value: Number(s.values[0]?.[1]) }));
  return {
    /** Ground truth: `tag` of the series whose first value is highest (e.g. mean(…) GROUP BY room). */
    topTag(tag: string): Truth {
      return { ...base, resolve: async (context) => [...(await firstValues(context))].filter((s) => Number.isFinite(s.value)).sort((a, b) => b.value - a.value)[0]?.tags[tag] };
    },
    /** Ground truth: the first value of the first series. */
    scalar(): Truth {
      return { ...base, resolve: async (context) => (await firstValues(context))[0]?.value };
    },
    /** Passes when the number of rows (optionally only those whose columns equal `where`) satisfies the expectation. */
    rows(expectation: string, options: { where?: Record<string, string | number> } = {}): Probe {
      const wanted = Object.entries(options.where ?? {});
      return countProbe(base, expectation, wanted.length ? `rows with ${wanted.map(([k, v]) => `${k}=${v}`).join(', ')}` : 'rows', async (context) => {
        const series = await run(context);
        const rows = series.flatMap((s) => s.values.map((row) => Object.fromEntries(s.columns.map((column, i) => [column, row[i]]))));
        const matching = rows.filter((row) => wanted.every(([column, value]) => row[column] === value));
        return { count: matching.length, got: `${plural(matching.length, 'row')}${rows[0] ? `, first ${JSON.stringify(rows[0]).slice(0, 160)}` : ''}` };
      });
    },
  };
}
