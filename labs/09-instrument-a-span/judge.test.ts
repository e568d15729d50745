/**
 * The judges on real spans: the reference file and each wrong one are loaded by the shop's own loader
 * (stack/apps/instrument.ts, from a folder outside the checkout with no node_modules, as the container's
 * workspace is), run around a checkout the way the shop runs them, and recorded by the OpenTelemetry SDK.
 * The engines' part (Tempo storing the spans) is proven by tests/labs.test.ts.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Span, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { InMemorySpanExporter, NodeTracerProvider, type ReadableSpan, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-node';
import { afterAll, describe, expect, it } from 'vitest';
import { loadInstrument, reserveThrough } from '../../stack/apps/instrument.ts';
import type { TreeSpan } from '../api.ts';
import { judges } from './judge.ts';
import { wrongFiles } from './mistakes.ts';
import { reference } from './solution.ts';

const exporter = new InMemorySpanExporter();
new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }).register();
const tracer = trace.getTracer('test');
const root = mkdtempSync(join(tmpdir(), 'lab9-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const quiet = () => undefined;

/** The OpenTelemetry API's span kinds, as OTLP numbers them (and so TreeSpan reads them). */
const kinds: Record<SpanKind, TreeSpan['kind']> = { [SpanKind.INTERNAL]: 'internal', [SpanKind.SERVER]: 'server', [SpanKind.CLIENT]: 'client', [SpanKind.PRODUCER]: 'producer', [SpanKind.CONSUMER]: 'consumer' };
const nanos = ([s, ns]: [number, number]) => BigInt(s) * 1_000_000_000n + BigInt(ns);

function toTree(span: ReadableSpan): TreeSpan {
  const parent = span.parentSpanContext?.spanId;
  return {
    spanId: span.spanContext().spanId,
    ...(parent ? { parentSpanId: parent } : {}),
    service: span.name === 'reserve stock' ? 'inventory' : 'shop',
    name: span.name,
    kind: kinds[span.kind],
    startNs: nanos(span.startTime),
    endNs: nanos(span.endTime),
    status: span.status.code === SpanStatusCode.ERROR ? 'error' : span.status.code === SpanStatusCode.OK ? 'ok' : 'unset',
    attributes: Object.fromEntries(Object.entries(span.attributes).map(([k, v]) => [k, String(v)])),
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const inSpan = <T>(name: string, kind: SpanKind, fn: (span: Span) => Promise<T>) => tracer.startActiveSpan(name, { kind }, async (span) => fn(span).finally(() => span.end()));

/** One checkout as the shop serves it: its server span, the student's hook around the kit's client span of the inventory call. */
async function checkout(file: string, items: number, refused: boolean): Promise<void> {
  const hook = await loadInstrument(file, quiet);
  await inSpan('POST /checkout', SpanKind.SERVER, async (server) => {
    server.setAttribute('http.route', '/checkout');
    const reserve = () =>
      inSpan('POST inventory /reserve', SpanKind.CLIENT, async (call) => {
        await sleep(3);
        // The inventory's own span; an injected fault (a refusal here) answers before its handler runs.
        if (!refused) await inSpan('reserve stock', SpanKind.INTERNAL, async (span) => span.setAttribute('inventory.items', items));
        await sleep(3);
        const status = refused ? 500 : 200;
        call.setAttribute('http.response.status_code', status);
        return { ok: !refused, status };
      });
    const cart = { id: 'c', items: Array.from({ length: items }, () => ({ productId: 'tea', quantity: 1 })), total: 4.5 * items };
    const reserved = await reserveThrough(hook, cart, reserve, quiet);
    server.setAttribute('http.response.status_code', reserved.ok ? 201 : 502);
  });
}

/** The traces of the four kinds of checkout (1 or 2 items, reserved or refused) with this file. */
async function traces(name: string, source: string): Promise<TreeSpan[][]> {
  mkdirSync(join(root, name), { recursive: true });
  writeFileSync(join(root, name, 'package.json'), '{ "type": "module" }\n');
  const file = join(root, name, 'instrument.ts');
  writeFileSync(file, source);
  exporter.reset();
  for (const [items, refused] of [[1, false], [2, false], [1, true], [2, true]] as const) await checkout(file, items, refused);
  const byTrace = new Map<string, ReadableSpan[]>();
  for (const span of exporter.getFinishedSpans()) byTrace.set(span.spanContext().traceId, [...(byTrace.get(span.spanContext().traceId) ?? []), span]);
  return [...byTrace.values()].map((spans) => spans.map(toTree)).filter((spans) => spans.some((s) => s.kind === 'server'));
}

const verdicts = (checkouts: TreeSpan[][], id: keyof typeof judges) => checkouts.map((spans) => judges[id](spans)).filter((v) => v !== undefined);

describe('lab 9 judges', () => {
  it('find every checkout right with the reference instrumentation', async () => {
    const checkouts = await traces('reference', reference);
    expect(checkouts).toHaveLength(4);
    for (const id of Object.keys(judges) as (keyof typeof judges)[]) {
      const found = verdicts(checkouts, id);
      expect(found.length, id).toBeGreaterThanOrEqual(2);
      expect(found.filter((v) => !v.ok), id).toEqual([]);
    }
    expect(verdicts(checkouts, 'error-status').map((v) => v.ok && v.case).sort()).toEqual(['a refused reservation', 'a refused reservation', 'a successful reservation', 'a successful reservation']);
  });

  it.each(wrongFiles.map((w) => [w.id, w] as const))('find %s wrong in the objectives it must fail', async (_id, wrong) => {
    const checkouts = await traces(wrong.id, wrong.source);
    for (const id of wrong.fails as (keyof typeof judges)[]) expect(verdicts(checkouts, id).some((v) => !v.ok), `${wrong.id} must fail ${id}`).toBe(true);
  });

  it('judge nothing where the trace holds no truth: a checkout that never reserved, or one without the kit spans', () => {
    const server: TreeSpan = { spanId: 's', service: 'shop', name: 'POST /checkout', kind: 'server', startNs: 0n, endNs: 1n, status: 'unset', attributes: { 'http.route': '/checkout', 'http.response.status_code': '400' } };
    for (const judge of Object.values(judges)) expect(judge([server])).toBeUndefined();
  });
});
