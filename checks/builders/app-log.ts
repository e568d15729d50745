/**
 * Ground truth from what a demo service itself logged: its own JSON lines, as the stack runtime keeps them
 * (natively its log file, with Docker its container output). The student's log shipper never touches them, so
 * neither a shipper that labels every line `error` nor one that drops lines can shape this truth.
 *
 *   appLog('shop').top('route', { level: 'error', over: '10m' })          the route with the most error lines
 *   appLog('shop').agreesWith('{service_name="shop"} | level="error"', { level: 'error', by: 'route', … })
 */
import type { LokiResult } from '../clients/loki.ts';
import { matchedSpans } from '../clients/tempo.ts';
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
export async function recordsBetween(context: CheckContext, service: string, start: number, end: number): Promise<LogRecord[]> {
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

/** Records of `level` (of any level when it is undefined) counted by `field` ("" when a record has none). */
function countBy(records: LogRecord[], level: string | undefined, field: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const record of records) {
    if (level !== undefined && record.level !== level) continue;
    const key = String(record[field] ?? '');
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

/** The counts without the keys a lab leaves out of a comparison (the routes a filter must drop). */
const without = (counts: Map<string, number>, except: string[] = []) => new Map([...counts].filter(([key]) => !except.includes(key)));

/** Keys whose engine count is off the service's own by more than `within` (relative) or 3, whichever is larger. */
function disagreeing(own: Map<string, number>, engine: Map<string, number>, within: number): string[] {
  return [...new Set([...own.keys(), ...engine.keys()])].filter((key) => {
    const mine = own.get(key) ?? 0;
    return Math.abs((engine.get(key) ?? 0) - mine) > Math.max(3, within * mine);
  });
}

/**
 * A disagreement that waiting cannot mend, over a window of 30 s or more (GRADING.md §5: a verdict at once):
 * a value the service answered 10 times or more that the engine has none of (a pipeline that carries it shows
 * some within seconds), or one the engine has more of than the service logged, beyond the tolerance (what is
 * stored for a past window stays, and the service's own count of it is complete). A count merely short is not
 * final: it may be telemetry still on its way. Returns the value, or undefined.
 */
export function finalDisagreement(own: Map<string, number>, engine: Map<string, number>, within: number, window: { seconds: number }): string | undefined {
  if (window.seconds < 30) return undefined;
  const missing = [...own].find(([key, n]) => n >= 10 && !engine.get(key));
  const surplus = [...engine].find(([key, n]) => n - (own.get(key) ?? 0) > Math.max(3, within * (own.get(key) ?? 0)));
  return (missing ?? surplus)?.[0];
}

/**
 * The window a comparison covers: from 5 s after the student's latest change (or `over` back) to 10 s ago, so
 * that telemetry still in a collector's batch does not count against anyone; whole seconds, since LogQL ranges
 * and Tempo's search take seconds. Undefined while it is shorter than 20 s.
 */
function comparisonWindow(context: CheckContext, over: string): { start: number; end: number; seconds: number } | undefined {
  const now = Date.now();
  const end = now - 10_000;
  const start = Math.max(now - parseDuration(over), (context.appliedAt ?? 0) + 5_000);
  if (end - start < 20_000) return undefined;
  const seconds = Math.floor((end - start) / 1000);
  return { start: end - seconds * 1000, end, seconds };
}

/** A LogQL `sum by (<by>)` vector as counts per value of `by` ("" where a series has none). */
const lokiCounts = (result: LokiResult, by: string) => new Map<string, number>(result.resultType === 'vector' ? result.result.map((s) => [s.metric[by] ?? '', Number(s.value[1])]) : []);

/** Spans of a TraceQL search whose own start lies in [start, end), counted by the span attribute `attribute`. */
async function spansBy(context: CheckContext, traceql: string, attribute: string, start: number, end: number): Promise<Map<string, number>> {
  // Traces are found by their time range; a few seconds either side, then each span is placed by its own start.
  const traces = await engines.tempo(context).search(traceql, new Date(start - 5_000), new Date(end + 5_000), 20_000);
  const counts = new Map<string, number>();
  for (const span of traces.flatMap(matchedSpans)) {
    const at = Number(BigInt(span.startTimeUnixNano) / 1_000_000n);
    if (at < start || at >= end) continue;
    const value = span.attributes?.find((a) => a.key === attribute)?.value;
    const key = value ? String(Object.values(value)[0] ?? '') : '';
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

const describe = (counts: Map<string, number>) => [...counts].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([key, n]) => `${key || '(none)'} ${n}`).join(', ') || 'none';

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
     * logged at `level` (at any level without one) over the same window: per value of `by` within `within`
     * (relative) or 3 lines, whichever is larger, leaving out the values in `except`. The window starts after
     * the student's latest change (a restarted shipper) and ends a few seconds ago, so lines still on their way
     * do not count against anyone. Where Loki's lines carry no `by` label, the totals are compared. With
     * `settles`, a disagreement waiting cannot mend fails at once (finalDisagreement).
     */
    agreesWith(selector: string, options: { level?: string; by: string; over: string; within: number; except?: string[]; settles?: boolean }): Probe {
      const metric = (seconds: number) => `sum by (${options.by}) (count_over_time(${selector} [${seconds}s]))`;
      const lines = options.level ? `${options.level} lines` : 'lines';
      const leftOut = options.except?.length ? `, ${options.except.join(', ')} left out` : '';
      const expected = `the ${lines} per ${options.by} in Loki match the ${lines} ${service} logged (±${Math.round(options.within * 100)} %${leftOut})`;
      return {
        source: 'loki',
        query: `${metric(0).replace('[0s]', `[${options.over}]`)} vs ${service}'s own log`,
        validate: () => assertQuery('logql', metric(60), 'selector'),
        async observe(context): Promise<Observation> {
          const window = comparisonWindow(context, options.over);
          if (!window) return { pass: false, got: `collecting lines since your latest change at ${formatClock(context.appliedAt ?? Date.now())}`, expected };
          const own = without(countBy(await recordsBetween(context, service, window.start, window.end), options.level, options.by), options.except);
          const total = [...own.values()].reduce((a, b) => a + b, 0);
          if (total < 5) return { pass: false, got: `${service} logged ${plural(total, lines.replace(/s$/, ''))} in the window so far`, expected };
          const result = await engines.loki(context).query(metric(window.seconds), new Date(window.end));
          const loki = without(lokiCounts(result, options.by), options.except);
          // Without the `by` label in Loki, compare totals: a shipper that labels levels but not routes is judged on levels.
          const compared = loki.size > 0 && [...loki.keys()].every((key) => key === '') ? new Map([['', total]]) : own;
          const off = disagreeing(compared, loki, options.within);
          const got = `${formatClock(window.start)}–${formatClock(window.end)}: Loki ${describe(loki)}; ${service} logged ${describe(compared)}`;
          const settled = options.settles && finalDisagreement(compared, loki, options.within, window) !== undefined;
          return { pass: off.length === 0, got, expected, ...(settled ? { settled } : {}) };
        },
      };
    },

    /**
     * Passes when the spans `traceql` finds in Tempo, counted by their span attribute `attribute`, agree with the
     * lines the service logged counted by `by` (one line per request it answered, so one per SERVER span), over
     * the same window as agreesWith, within `within` or 3 spans, leaving out the values in `except`. With
     * `settles` (as agreesWith), a disagreement waiting cannot mend fails at once.
     */
    spansAgreeWith(traceql: string, options: { attribute: string; by: string; over: string; within: number; except?: string[]; settles?: boolean }): Probe {
      const expected = `the spans per ${options.attribute} in Tempo match the requests ${service} logged per ${options.by} (±${Math.round(options.within * 100)} %${options.except?.length ? `, ${options.except.join(', ')} left out` : ''})`;
      return {
        source: 'tempo',
        query: `${traceql} by span.${options.attribute}, last ${options.over}, vs ${service}'s own log`,
        validate: () => assertQuery('traceql', traceql, 'query'),
        async observe(context): Promise<Observation> {
          const window = comparisonWindow(context, options.over);
          if (!window) return { pass: false, got: `collecting spans since your latest change at ${formatClock(context.appliedAt ?? Date.now())}`, expected };
          const own = without(countBy(await recordsBetween(context, service, window.start, window.end), undefined, options.by), ['', ...(options.except ?? [])]);
          const total = [...own.values()].reduce((a, b) => a + b, 0);
          if (total < 5) return { pass: false, got: `${service} answered ${plural(total, 'request')} in the window so far`, expected };
          const tempo = without(await spansBy(context, traceql, options.attribute, window.start, window.end), options.except);
          const off = disagreeing(own, tempo, options.within);
          const got = `${formatClock(window.start)}–${formatClock(window.end)}: Tempo ${describe(tempo)}; ${service} answered ${describe(own)}`;
          const settled = options.settles && finalDisagreement(own, tempo, options.within, window) !== undefined;
          return { pass: off.length === 0, got, expected, ...(settled ? { settled } : {}) };
        },
      };
    },

    /**
     * Passes when none of the telemetry `query` finds (a LogQL selector for Loki, TraceQL for Tempo) has one of
     * `values` as `by` over the comparison window, while the service itself logged at least 5 such lines there —
     * so "none" means dropped, not "nothing happened". Lines from before the change do not count; one that is
     * there came through the student's current work and stays, so it fails at once (settled).
     */
    dropped(engine: 'loki' | 'tempo', query: string, options: { by: string; attribute?: string; values: string[]; over: string }): Probe {
      const metric = (seconds: number) => `sum by (${options.by}) (count_over_time(${query} [${seconds}s]))`;
      const expected = `no ${engine === 'loki' ? 'lines' : 'spans'} with ${options.attribute ?? options.by} ${options.values.join(' or ')}, while ${service} answered them`;
      return {
        source: engine,
        query: engine === 'loki' ? metric(0).replace('[0s]', `[${options.over}]`) : query,
        validate: () => (engine === 'loki' ? assertQuery('logql', metric(60), 'query') : assertQuery('traceql', query, 'query')),
        async observe(context): Promise<Observation> {
          const window = comparisonWindow(context, options.over);
          if (!window) return { pass: false, got: `collecting telemetry since your latest change at ${formatClock(context.appliedAt ?? Date.now())}`, expected };
          const keep = (counts: Map<string, number>) => new Map([...counts].filter(([key]) => options.values.includes(key)));
          const own = keep(countBy(await recordsBetween(context, service, window.start, window.end), undefined, options.by));
          const total = [...own.values()].reduce((a, b) => a + b, 0);
          if (total < 5) return { pass: false, got: `${service} answered ${plural(total, 'such request')} in the window so far`, expected };
          let found: Map<string, number>;
          if (engine === 'tempo') found = keep(await spansBy(context, query, options.attribute ?? options.by, window.start, window.end));
          else {
            const result = await engines.loki(context).query(metric(window.seconds), new Date(window.end));
            found = keep(lokiCounts(result, options.by));
          }
          const got = `${formatClock(window.start)}–${formatClock(window.end)}: ${engine === 'loki' ? 'Loki' : 'Tempo'} ${describe(found)}; ${service} answered ${describe(own)}`;
          const pass = [...found.values()].every((n) => n === 0);
          return { pass, got, expected, ...(pass ? {} : { settled: true }) };
        },
      };
    },
  };
}
