/**
 * What a collector's processors did to the shop's telemetry (lab 22), judged against the shop's own log: every
 * request the shop served is one line there with its trace id, its status and (at checkout) the shopper's raw
 * user id — written before any collector sees the request, so no processing config can shape this truth.
 *
 *   processed.absentFromSpans(['user.email', 'payment.card_number'])   no kept span carries them
 *   processed.absentFromLogs(['user.email', 'payment.card_number'])    no line in Loki carries them
 *   processed.userIdHashed()                                           spans and lines carry SHA-256(user id)
 *   processed.errorTracesKept()                                        every error trace is in Tempo
 *   processed.restKept({ percent: 25, within: 7 })                     that share of the other traces is
 *
 * Every objective looks at one window: from a few seconds after the student's latest change (the gateway has
 * restarted with it) to `lag` ago, since a tail sampler holds each trace for its decision wait before it sends
 * it on. A trace counts as kept when Tempo has the shop's server span of it. A leaked value or a wrong hash,
 * once stored, is final (settled), and so is a share kept too high; missing traces are final only once they are
 * 30 s overdue (overdueMs), since until then they may still be on their way.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import type { LokiResult } from '../clients/loki.ts';
import { matchedSpans } from '../clients/tempo.ts';
import type { CheckContext, Observation, Probe } from '../model.ts';
import { assertQuery } from '../syntax.ts';
import { recordsBetween } from './app-log.ts';
import { engines } from './engines.ts';
import { formatClock, plural } from './format.ts';

/** The student's processors, merged over the kit's gateway config (lab 22's workspace file). */
export const processingFile = 'otelcol/processing.yaml';

/** A tail sampler's decision wait when its config leaves it out (the processor's own default). */
const defaultDecisionWaitMs = 30_000;
/** After the decision: the sampler's batch (1 s), Tempo calling a trace complete (2 s idle) and searchable. */
const afterDecisionMs = 15_000;

/** A Go duration ("10s", "1m30s", "500ms") in ms, or undefined when it is not one. */
export function goDurationMs(text: unknown): number | undefined {
  if (typeof text !== 'string' || !/^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/.test(text.trim())) return undefined;
  const unit: Record<string, number> = { ns: 1e-6, us: 1e-3, µs: 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
  return [...text.trim().matchAll(/(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/g)].reduce((sum, [, n, u]) => sum + Number(n) * unit[u!]!, 0);
}

/**
 * How long ago the window ends: the longest decision wait of the student's tail samplers (a trace is sent on
 * only then) plus what follows the decision. Read from the student's file, which decides only when the check
 * looks, never what it finds; a file that cannot be read waits as long as the default decision wait.
 */
export function lagMs(workspace: string): number {
  return Math.max(0, ...decisionWaits(workspace)) + afterDecisionMs;
}

/** The decision wait of each tail sampler in the student's file (the default for one that cannot be read). */
function decisionWaits(workspace: string): number[] {
  try {
    const config = parse(readFileSync(join(workspace, processingFile), 'utf8')) as { processors?: Record<string, { decision_wait?: unknown } | null> } | null;
    return Object.entries(config?.processors ?? {})
      .filter(([name]) => /^tail_sampling(\/.*)?$/.test(name))
      .map(([, settings]) => goDurationMs(settings?.decision_wait) ?? defaultDecisionWaitMs);
  } catch {
    return [defaultDecisionWaitMs];
  }
}

/** How long past its decision a missing trace is given before its absence is final. */
const overdueMs = 30_000;

/** The gateway restarts with the student's file at the change; requests served in the next seconds may miss it. */
const settleMs = 5_000;

/** The SHA-256 of a value, in lower-case hex: what the attributes processor's `hash` action writes (since v0.85). */
export const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');

/** Tempo leaves leading zeros out of some trace ids; the shop's log writes all 32 hex digits. */
export const traceKey = (id: string) => id.toLowerCase().padStart(32, '0');

export interface ShopRequest {
  traceId: string;
  /** When the shop logged it (the request's end), ms. */
  at: number;
  route: string;
  status: number;
  /** The raw user id the shop put on the span and the line (checkout only). */
  userId?: string;
}

/** The window of this check: [start, end) in ms, or why there is none yet. */
export function window(context: CheckContext, now = Date.now()): { start: number; end: number } | { waiting: string } {
  const lag = lagMs(context.workspace);
  const start = Math.max((context.appliedAt ?? 0) + settleMs, context.labStartedAt ?? 0);
  const end = now - lag;
  if (end - start < 10_000) return { waiting: `collecting traces since your latest change at ${formatClock(context.appliedAt ?? now)} (a trace counts ${lag / 1000} s after it ends, once a tail sampler has decided)` };
  return { start, end };
}

/** The shop's requests served in the window, from its own log. */
export async function shopRequests(context: CheckContext, start: number, end: number): Promise<ShopRequest[]> {
  const requests: ShopRequest[] = [];
  for (const record of await recordsBetween(context, 'shop', start, end)) {
    if (typeof record.trace_id !== 'string' || typeof record.status_code !== 'number' || typeof record.route !== 'string') continue;
    requests.push({ traceId: traceKey(record.trace_id), at: record.time, route: record.route, status: record.status_code, ...(typeof record['user.id'] === 'string' ? { userId: record['user.id'] } : {}) });
  }
  return requests;
}

/** A request is an error trace when the shop answered ≥ 500: its server span then has the status ERROR. */
export const isError = (request: ShopRequest) => request.status >= 500;

const shopServer = '{ resource.service.name = "shop" && kind = server }';

/**
 * Trace ids of the shop's server spans Tempo holds from a little before the window until now (a trace ending in
 * the window is stored up to its decision later): kept traces only.
 */
async function keptTraces(context: CheckContext, start: number): Promise<Set<string>> {
  const traces = await engines.tempo(context).search(shopServer, new Date(start - 30_000), new Date(Date.now() + 10_000), 20_000);
  return new Set(traces.map((t) => traceKey(t.traceID)));
}

/** Lines of a log query (each with its stream's labels, structured metadata included) over the window. */
async function lokiLines(context: CheckContext, query: string, start: number, end: number): Promise<{ labels: Record<string, string>; line: string }[]> {
  const result: LokiResult = await engines.loki(context).queryRange(query, new Date(start), new Date(end), 5000);
  return result.resultType === 'streams' ? result.result.flatMap((s) => s.values.map(([, line]) => ({ labels: s.stream, line }))) : [];
}

/** The attribute names as Loki files them: dots (and anything else outside [A-Za-z0-9_]) become underscores. */
export const lokiName = (attribute: string) => attribute.replace(/[^A-Za-z0-9_]/g, '_');

const percent = (part: number, whole: number) => (whole > 0 ? (100 * part) / whole : 0);

/** A probe over the window: `judge` runs once the window exists. */
function windowed(source: 'tempo' | 'loki', query: string, validate: () => void, expected: string, judge: (context: CheckContext, start: number, end: number) => Promise<Omit<Observation, 'expected'>>): Probe {
  return {
    source,
    query,
    validate,
    async observe(context) {
      const w = window(context);
      if ('waiting' in w) return { pass: false, got: w.waiting, expected };
      return { ...(await judge(context, w.start, w.end)), expected };
    },
  };
}

export const processed = {
  /** No span of the window carries any of `attributes`, while checkout spans (which had them) are kept. */
  absentFromSpans(attributes: string[]): Probe {
    const carrying = `{ ${attributes.map((a) => `span.${a} != nil`).join(' || ')} }`;
    const checkout = '{ resource.service.name = "shop" && span.http.route = "/checkout" }';
    return windowed('tempo', carrying, () => (assertQuery('traceql', carrying, 'query'), assertQuery('traceql', checkout, 'query')), `no span with ${attributes.join(' or ')}, among kept checkout traces`, async (context, start, end) => {
      const tempo = engines.tempo(context);
      const [found, checkouts] = await Promise.all([tempo.search(carrying, new Date(start), new Date(end), 20), tempo.search(checkout, new Date(start), new Date(end), 20)]);
      if (checkouts.length < 3) return { pass: false, got: `${plural(checkouts.length, 'checkout trace')} kept in the window so far` };
      if (found.length === 0) return { pass: true, got: `none, in ${plural(checkouts.length, 'checkout trace')} or more` };
      const span = found.flatMap(matchedSpans)[0];
      const shown = span?.attributes?.map((a) => `${a.key}=${String(Object.values(a.value)[0])}`).join(', ');
      // Stored since the change, so final: the student's processors let it through (GRADING.md §5).
      return { pass: false, settled: true, got: `${plural(found.length, 'trace')} or more, e.g. ${found[0]!.traceID}${shown ? ` (${shown})` : ''}` };
    });
  },

  /** No shop line in Loki carries any of `attributes` (as structured metadata, or their raw values in the text). */
  absentFromLogs(attributes: string[], rawValues: RegExp): Probe {
    const carrying = `{service_name="shop"} | ${attributes.map((a) => `${lokiName(a)} != ""`).join(' or ')}`;
    const checkout = '{service_name="shop"} | route="/checkout"';
    return windowed('loki', carrying, () => (assertQuery('logql', carrying, 'query'), assertQuery('logql', checkout, 'query')), `no line with ${attributes.join(' or ')} (nor their values), among checkout lines`, async (context, start, end) => {
      const [found, checkouts] = await Promise.all([lokiLines(context, carrying, start, end), lokiLines(context, checkout, start, end)]);
      if (checkouts.length < 3) return { pass: false, got: `${plural(checkouts.length, 'checkout line')} in Loki in the window so far` };
      const leaked = found[0] ?? checkouts.find((l) => rawValues.test(l.line) || Object.values(l.labels).some((v) => rawValues.test(v)));
      if (!leaked) return { pass: true, got: `none, in ${plural(checkouts.length, 'checkout line')}` };
      const shown = attributes.map(lokiName).filter((k) => leaked.labels[k]).map((k) => `${k}=${leaked.labels[k]}`).join(', ');
      return { pass: false, settled: true, got: `${found.length > 0 ? plural(found.length, 'line') : 'a line'}, e.g. ${shown || leaked.line.slice(0, 160)}` };
    });
  },

  /**
   * Checkout spans and lines carry user.id as SHA-256 of the id the shop logged for that trace: stable (the
   * same shopper always gets the same value, in traces and logs alike) and never the raw id.
   */
  userIdHashed(): Probe {
    const spans = '{ resource.service.name = "shop" && span.http.route = "/checkout" && span.user.id != nil } | select(span.user.id)';
    const lines = '{service_name="shop"} | route="/checkout" | user_id != ""';
    return windowed('tempo', `${spans} and ${lines}`, () => (assertQuery('traceql', spans, 'query'), assertQuery('logql', lines, 'query')), 'user.id = SHA-256 of the id the shop logged, on every checkout span and line', async (context, start, end) => {
      const truth = new Map((await shopRequests(context, start, end)).filter((r) => r.userId).map((r) => [r.traceId, r.userId!]));
      const fromSpans = (await engines.tempo(context).search(spans, new Date(start), new Date(end), 500)).flatMap((t) =>
        matchedSpans(t).map((s) => ({ traceId: traceKey(t.traceID), value: String(Object.values(s.attributes?.find((a) => a.key === 'user.id')?.value ?? {})[0] ?? '') })),
      );
      const fromLines = (await lokiLines(context, lines, start, end)).map((l) => ({ traceId: traceKey(l.labels.trace_id ?? ''), value: l.labels.user_id ?? '' }));
      const judge = (seen: { traceId: string; value: string }[], what: string) => {
        const compared = seen.filter((s) => truth.has(s.traceId));
        const wrong = compared.find((s) => s.value !== sha256(truth.get(s.traceId)!));
        return { compared: compared.length, wrong: wrong && `${what} of trace ${wrong.traceId} has user.id=${wrong.value.slice(0, 70)} for shopper ${truth.get(wrong.traceId)}` };
      };
      const [onSpans, onLines] = [judge(fromSpans, 'a span'), judge(fromLines, 'a line')];
      const wrong = onSpans.wrong ?? onLines.wrong;
      if (wrong) return { pass: false, settled: true, got: wrong };
      if (onSpans.compared < 5 || onLines.compared < 5) return { pass: false, got: `${plural(onSpans.compared, 'checkout span')} and ${plural(onLines.compared, 'line')} with user.id in the window so far (5 of each needed)` };
      return { pass: true, got: `${plural(onSpans.compared, 'span')} and ${plural(onLines.compared, 'line')}, each SHA-256 of its shopper's id` };
    });
  },

  /**
   * Every trace the shop answered with an error (≥ 500) in the window is in Tempo: at most 1 in 50 missing. A
   * shortfall among the traces that ended 30 s or more before the window's end (which already waits out the
   * decision) is final: those have had half a minute more than they need.
   */
  errorTracesKept(): Probe {
    return windowed('tempo', `${shopServer} vs the shop's own log`, () => assertQuery('traceql', shopServer, 'query'), 'every error trace the shop served kept (at most 1 in 50 missing), out of 10 or more', async (context, start, end) => {
      const errors = (await shopRequests(context, start, end)).filter(isError);
      if (errors.length < 10) return { pass: false, got: `the shop served ${plural(errors.length, 'error trace')} in the window so far` };
      const kept = await keptTraces(context, start);
      const missing = errors.filter((r) => !kept.has(r.traceId));
      const window = `${formatClock(start)}–${formatClock(end)}`;
      const got = `${window}: ${errors.length - missing.length} of ${plural(errors.length, 'error trace')} kept${missing[0] ? `, e.g. missing ${missing[0].traceId} (${missing[0].route} ${missing[0].status})` : ''}`;
      if (missing.length <= errors.length / 50) return { pass: true, got };
      const older = errors.filter((r) => r.at < end - overdueMs);
      const settled = older.length >= 10 && older.filter((r) => !kept.has(r.traceId)).length > older.length / 50;
      return { pass: false, got, ...(settled ? { settled } : {}) };
    });
  },

  /**
   * The share of the other traces (the shop answered < 500) that Tempo holds is `percent` ± `within` points,
   * counted over at least `atLeast` of them.
   */
  restKept(options: { percent: number; within: number; atLeast: number }): Probe {
    const expected = `${options.percent} % ± ${options.within} of the traces without an error kept, out of ${options.atLeast} or more`;
    return windowed('tempo', `${shopServer} vs the shop's own log`, () => assertQuery('traceql', shopServer, 'query'), expected, async (context, start, end) => {
      const rest = (await shopRequests(context, start, end)).filter((r) => !isError(r));
      if (rest.length < options.atLeast) return { pass: false, got: `the shop served ${plural(rest.length, 'trace')} without an error in the window so far` };
      const kept = await keptTraces(context, start);
      const share = percent(rest.filter((r) => kept.has(r.traceId)).length, rest.length);
      // Too many kept is final (a trace still on its way can only raise the share); too few may be traces late.
      const settled = share > options.percent + options.within;
      return { pass: Math.abs(share - options.percent) <= options.within, got: `${formatClock(start)}–${formatClock(end)}: ${share.toFixed(1)} % of ${rest.length} kept`, ...(settled ? { settled } : {}) };
    });
  },

  /** Shop traces reach Tempo since the change (whatever is sampled): the gateway runs the student's file. */
  tracesArrive(): Probe {
    return {
      source: 'tempo',
      query: shopServer,
      validate: () => assertQuery('traceql', shopServer, 'query'),
      async observe(context) {
        const since = (context.appliedAt ?? Date.now() - 60_000) + settleMs;
        const traces = await engines.tempo(context).search(shopServer, new Date(since), new Date(Date.now() + 5_000), 5);
        return { pass: traces.length > 0, got: `${plural(traces.length, 'trace')}${traces.length === 5 ? ' or more' : ''} since ${formatClock(since)}`, expected: '>= 1 shop trace since your latest change' };
      },
    };
  },
};
