/**
 * Ground truth from what a demo service itself logged: its own JSON lines, as the stack runtime keeps them
 * (natively its log file, with Docker its container output). The student's log shipper never touches them, so
 * neither a shipper that labels every line `error` nor one that drops lines can shape this truth.
 *
 *   appLog('shop').top('route', { level: 'error', over: '10m' })          the route with the most error lines
 *   appLog('shop').agreesWith('{service_name="shop"} | level="error"', { level: 'error', by: 'route', … })
 */
import type { CheckContext, Observation, Probe } from '../model.ts';
import { assertQuery } from '../syntax.ts';
import { engines } from './engines.ts';
import { formatClock, plural } from './format.ts';
import { parseDuration } from './time.ts';
import type { Truth } from './truth.ts';

interface LogRecord {
  time: number;
  level?: string;
  [field: string]: unknown;
}

/** The service's JSON lines from `start` to `end` (ms), whatever prefix a runtime puts before them. */
async function recordsBetween(context: CheckContext, service: string, start: number, end: number): Promise<LogRecord[]> {
  if (!context.appLog) throw new Error(`this check run cannot read ${service}'s own log (no appLog in the check context)`);
  const records: LogRecord[] = [];
  for (const line of await context.appLog(service)) {
    const brace = line.indexOf('{');
    if (brace < 0) continue;
    try {
      const record = JSON.parse(line.slice(brace)) as { time?: string };
      const time = Date.parse(record.time ?? '');
      if (time >= start && time < end) records.push({ ...(record as object), time } as LogRecord);
    } catch {
      // not a JSON line (a start banner, a stack trace): not a record
    }
  }
  return records;
}

/** Records of `level` counted by `field` ("" when a record has none). */
function countBy(records: LogRecord[], level: string, field: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const record of records) {
    if (record.level !== level) continue;
    const key = String(record[field] ?? '');
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

const describe = (counts: Map<string, number>) => [...counts].sort(([a], [b]) => a.localeCompare(b)).map(([key, n]) => `${key || '(none)'} ${n}`).join(', ') || 'none';

export function appLog(service: string) {
  return {
    /**
     * Truth: the value of `field` on the most `level` lines over the window — once the lines tell a clear story
     * (at least `atLeast` of them, the top value `lead` times the next), as a careful person would wait for.
     * The window starts no earlier than the lab's start: before it, another lab's faults were in force.
     */
    top(field: string, options: { level: string; over: string; atLeast?: number; lead?: number }): Truth {
      return {
        source: 'app-log',
        query: `${service}'s own log: ${options.level} lines by ${field}, last ${options.over}`,
        validate: () => void parseDuration(options.over),
        async resolve(context) {
          const now = Date.now();
          const start = Math.max(now - parseDuration(options.over), context.labStartedAt ?? 0);
          const counts = [...countBy(await recordsBetween(context, service, start, now), options.level, field)].sort((a, b) => b[1] - a[1]);
          const [top, next] = counts;
          if (!top || top[1] < (options.atLeast ?? 10) || top[1] < (options.lead ?? 2) * (next?.[1] ?? 0)) return undefined;
          return top[0];
        },
      };
    },

    /**
     * Passes when the lines `selector` finds in Loki, counted by `by`, agree with the lines the service itself
     * logged at `level` over the same window: per value of `by` within `within` (relative) or 3 lines,
     * whichever is larger. The window starts after the student's latest change (a restarted shipper) and ends
     * a few seconds ago, so lines still on their way do not count against anyone. Where Loki's lines carry no
     * `by` label, the totals are compared.
     */
    agreesWith(selector: string, options: { level: string; by: string; over: string; within: number }): Probe {
      const metric = (seconds: number) => `sum by (${options.by}) (count_over_time(${selector} [${seconds}s]))`;
      const expected = `the ${options.level} lines per ${options.by} in Loki match the ${options.level} lines ${service} logged (±${Math.round(options.within * 100)} %)`;
      return {
        source: 'loki',
        query: `${metric(0).replace('[0s]', `[${options.over}]`)} vs ${service}'s own log`,
        validate: () => assertQuery('logql', metric(60), 'selector'),
        async observe(context): Promise<Observation> {
          const now = Date.now();
          const end = now - 10_000; // lines logged later may still be in the shipper's batch
          const start = Math.max(now - parseDuration(options.over), (context.appliedAt ?? 0) + 5_000);
          if (end - start < 20_000) return { pass: false, got: `collecting lines since your latest change at ${formatClock(context.appliedAt ?? now)}`, expected };
          const seconds = Math.floor((end - start) / 1000);
          const own = countBy(await recordsBetween(context, service, end - seconds * 1000, end), options.level, options.by);
          const total = [...own.values()].reduce((a, b) => a + b, 0);
          if (total < 5) return { pass: false, got: `${service} logged ${plural(total, `${options.level} line`)} in the window so far`, expected };
          const result = await engines.loki(context).query(metric(seconds), new Date(end));
          const loki = new Map<string, number>(result.resultType === 'vector' ? result.result.map((s) => [s.metric[options.by] ?? '', Number(s.value[1])]) : []);
          // Without the `by` label in Loki, compare totals: a shipper that labels levels but not routes is judged on levels.
          const compared = loki.size > 0 && [...loki.keys()].every((key) => key === '') ? new Map([['', total]]) : own;
          const keys = new Set([...compared.keys(), ...loki.keys()]);
          const off = [...keys].filter((key) => {
            const mine = compared.get(key) ?? 0;
            return Math.abs((loki.get(key) ?? 0) - mine) > Math.max(3, options.within * mine);
          });
          const window = `${formatClock(end - seconds * 1000)}–${formatClock(end)}`;
          const got = `${window}: Loki ${describe(loki)}; ${service} logged ${describe(compared)}`;
          return { pass: off.length === 0, got, expected };
        },
      };
    },
  };
}
