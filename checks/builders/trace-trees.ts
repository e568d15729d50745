/**
 * Objectives over whole traces: how the spans of one request relate (which is whose parent, which covers which,
 * does an attribute of one agree with another's), which TraceQL alone cannot compare across spans.
 *
 *   traceTrees('{ resource.service.name = "shop" && span.http.route = "/checkout" }').every(judge, { min: 5 })
 *
 * The query picks the requests (traces) to look at; each whole trace is read back from Tempo and given to
 * `judge`, which says whether it is right (and why not), or that the trace holds no truth to judge it by.
 * Only current work counts (GRADING.md §3): only traces that started after the workspace was last applied, and
 * ended a while ago (`settleMs`), so that every service's spans have arrived before a trace is judged.
 */
import type { Probe } from '../model.ts';
import { assertQuery } from '../syntax.ts';
import { engines } from './engines.ts';
import { formatClock, plural } from './format.ts';

/** One span of a trace, flattened from the OTLP-JSON Tempo answers with. */
export interface TreeSpan {
  spanId: string;
  parentSpanId?: string;
  service: string;
  name: string;
  kind: 'server' | 'client' | 'internal' | 'producer' | 'consumer' | 'unspecified';
  startNs: bigint;
  endNs: bigint;
  status: 'unset' | 'ok' | 'error';
  /** Attribute values as text (2, "2" and true read as "2", "2" and "true"). */
  attributes: Record<string, string>;
}

/** What a judge says of one trace: right, wrong (why, in a sentence), or undefined: nothing to judge it by. */
export type Verdict = { ok: true; case?: string } | { ok: false; why: string };

type OtlpValue = Record<string, unknown> | undefined;
interface OtlpSpan {
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind?: string | number;
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  attributes?: { key: string; value: OtlpValue }[];
  status?: { code?: string | number };
}
interface OtlpBatch {
  resource?: { attributes?: { key: string; value: OtlpValue }[] };
  scopeSpans?: { spans?: OtlpSpan[] }[];
  instrumentationLibrarySpans?: { spans?: OtlpSpan[] }[];
}

const kinds = ['unspecified', 'internal', 'server', 'client', 'producer', 'consumer'] as const;

function valueText(value: OtlpValue): string | undefined {
  const found = value && Object.values(value)[0];
  return found === undefined || found === null || typeof found === 'object' ? undefined : String(found);
}

function attributeMap(list: { key: string; value: OtlpValue }[] = []): Record<string, string> {
  return Object.fromEntries(list.flatMap((a) => (valueText(a.value) === undefined ? [] : [[a.key, valueText(a.value)!]])));
}

function kindOf(kind: string | number | undefined): TreeSpan['kind'] {
  if (typeof kind === 'number') return kinds[kind] ?? 'unspecified';
  const name = String(kind ?? '').replace(/^SPAN_KIND_/, '').toLowerCase();
  return (kinds as readonly string[]).includes(name) ? (name as TreeSpan['kind']) : 'unspecified';
}

function statusOf(code: string | number | undefined): TreeSpan['status'] {
  if (code === 2 || code === 'STATUS_CODE_ERROR') return 'error';
  if (code === 1 || code === 'STATUS_CODE_OK') return 'ok';
  return 'unset';
}

/** The spans of a trace as Tempo's /api/traces/<id> returns it (batches, or resourceSpans). */
export function treeSpans(trace: { batches?: unknown[]; resourceSpans?: unknown[] }): TreeSpan[] {
  const batches = (trace.batches ?? trace.resourceSpans ?? []) as OtlpBatch[];
  return batches.flatMap((batch) => {
    const service = attributeMap(batch.resource?.attributes)['service.name'] ?? 'unknown';
    return [...(batch.scopeSpans ?? []), ...(batch.instrumentationLibrarySpans ?? [])].flatMap((scope) =>
      (scope.spans ?? []).map((s) => ({
        spanId: s.spanId,
        ...(s.parentSpanId ? { parentSpanId: s.parentSpanId } : {}),
        service,
        name: s.name,
        kind: kindOf(s.kind),
        startNs: BigInt(s.startTimeUnixNano),
        endNs: BigInt(s.endTimeUnixNano),
        status: statusOf(s.status?.code),
        attributes: attributeMap(s.attributes),
      })),
    );
  });
}

export interface EveryOptions {
  /** Traces that must be judged (not undefined) before the objective can pass. */
  min: number;
  /** What one trace is, for the evidence ("checkout request"). */
  what: string;
  /** Cases (Verdict.case) each of which must be among the traces judged right: both a failed and a placed checkout. */
  cases?: string[];
  /** Traces read per look (the most recent first); default 25. */
  sample?: number;
  /** How long ago a trace must have started to be judged; default 10 s. */
  settleMs?: number;
}

export function traceTrees(q: string) {
  const query = q.trim();
  return {
    /** Passes when at least `min` of the traces since the apply are judged, and every one of them is right. */
    every(judge: (spans: TreeSpan[]) => Verdict | undefined, options: EveryOptions): Probe {
      const sample = options.sample ?? 25;
      const settleMs = options.settleMs ?? 10_000;
      return {
        source: 'tempo',
        query: `each trace of ${query}`,
        validate: () => assertQuery('traceql', query, 'query'),
        async observe(context) {
          const now = Date.now();
          const start = context.appliedAt ?? now - 600_000;
          const since = context.appliedAt ? ` since your change at ${formatClock(context.appliedAt)}` : ' in the last 10 minutes';
          const tempo = engines.tempo(context);
          const found = await tempo.search(query, new Date(start), new Date(now + 5_000), 200);
          const settled = found
            .filter((t) => Number(BigInt(t.startTimeUnixNano) / 1_000_000n) >= start && Number(BigInt(t.startTimeUnixNano) / 1_000_000n) <= now - settleMs)
            .sort((a, b) => Number(BigInt(b.startTimeUnixNano) - BigInt(a.startTimeUnixNano)))
            .slice(0, sample);
          const verdicts = await Promise.all(settled.map(async (t) => ({ traceId: t.traceID, verdict: judge(treeSpans(await tempo.trace(t.traceID))) })));
          const judged = verdicts.filter((v): v is { traceId: string; verdict: Verdict } => v.verdict !== undefined);
          const wrong = judged.filter((v) => !v.verdict.ok);
          const seen = new Set(judged.map((v) => (v.verdict.ok ? v.verdict.case : undefined)));
          const missing = (options.cases ?? []).filter((c) => !seen.has(c));
          const expected = `every one of at least ${plural(options.min, 'trace')} right${options.cases?.length ? `, among them ${options.cases.join(' and ')}` : ''}`;
          if (wrong.length > 0) {
            const first = wrong[0]!;
            // A wrong trace stays wrong: its spans are stored. No need to wait for more.
            return { pass: false, settled: true, expected, got: `${wrong.length} of ${plural(judged.length, options.what)}${since} wrong, e.g. trace ${first.traceId}: ${(first.verdict as { why: string }).why}` };
          }
          const got = `${plural(judged.length, options.what)}${since}, all right${missing.length ? `; none yet of ${missing.join(', ')}` : ''}`;
          return { pass: judged.length >= options.min && missing.length === 0, got, expected };
        },
      };
    },
  };
}
