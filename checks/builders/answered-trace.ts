/**
 * A trace id as an answer: the student names one request they found (a log line's trace_id, a row of a TraceQL
 * search), and the objective reads that trace back from Tempo and judges it whole — is it the kind of request
 * asked for, from the time asked about? The truth is in the trace's own spans, which the services wrote.
 *
 *   answeredTrace('slow_trace_id').is(judge, 'a slow checkout of this incident')
 *
 * The judge sees the trace's spans (trace-trees.ts's TreeSpan) and the check context (labStartedAt: when the
 * lab's setup drew what it asks about). A wrong trace stays wrong, so its verdict settles at once; a trace Tempo
 * does not hold yet is looked for again until the deadline (a trace is searchable seconds after its request).
 */
import { EngineError } from '../clients/http.ts';
import type { CheckContext, Probe } from '../model.ts';
import { normalise, readAnswer } from './answer.ts';
import { engines } from './engines.ts';
import { treeSpans, type TreeSpan, type Verdict } from './trace-trees.ts';

/** "4bf92f35…" as written in an answer file: quotes, spaces and case do not matter; 32 hex digits (or Tempo's short 16). */
export function readTraceId(value: unknown): string | undefined {
  const text = normalise(value, 'name');
  return /^([0-9a-f]{32}|[0-9a-f]{16})$/.test(text) ? text : undefined;
}

export function answeredTrace(key: string) {
  return {
    is(judge: (spans: TreeSpan[], context: CheckContext) => Verdict | undefined, what: string): Probe {
      return {
        source: 'tempo',
        query: `GET /api/traces/<answer "${key}">`,
        validate: () => undefined,
        async observe(context) {
          const given = readAnswer(context, key);
          if (given.problem) return { pass: false, got: given.problem, expected: what, settled: true };
          const traceId = readTraceId(given.value);
          if (!traceId) return { pass: false, got: `answer ${JSON.stringify(given.value)}, not a trace id (32 hexadecimal digits)`, expected: what, settled: true };
          const trace = await engines
            .tempo(context)
            .trace(traceId)
            .catch((error: unknown) => (error instanceof EngineError && error.status === 404 ? undefined : Promise.reject(error)));
          if (!trace) return { pass: false, got: `no trace ${traceId} in Tempo`, expected: what };
          const verdict = judge(treeSpans(trace), context);
          if (!verdict) return { pass: false, got: `trace ${traceId} holds nothing to judge it by`, expected: what, settled: true };
          return verdict.ok ? { pass: true, got: `trace ${traceId}`, expected: what } : { pass: false, got: `trace ${traceId}: ${verdict.why}`, expected: what, settled: true };
        },
      };
    },
  };
}
