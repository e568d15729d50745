import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { traceql } from './traceql.ts';

// A stand-in for Tempo's search API: each query has its traces; it records the limit and window it is asked for.
const traces: Record<string, unknown[]> = {};
const asked: URLSearchParams[] = [];
const server = createServer((req, res) => {
  const params = new URL(req.url ?? '/', 'http://x').searchParams;
  asked.push(params);
  res.end(JSON.stringify({ traces: traces[params.get('q') ?? ''] ?? [] }));
});
let tempo = '';
beforeAll(() => new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => ((tempo = `http://127.0.0.1:${(server.address() as AddressInfo).port}`), resolve()))));
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const context = (extra = {}) => ({ endpoints: { tempo }, workspace: '/nowhere', ...extra });
const trace = (matched: number, route?: string) => ({
  traceID: 't',
  startTimeUnixNano: '0',
  spanSet: { matched, spans: [{ spanID: 's', startTimeUnixNano: '0', durationNanos: '1', attributes: route ? [{ key: 'http.route', value: { stringValue: route } }] : [] }] },
});

describe('traceql truths', () => {
  it('attribute(): the value most matching spans have', async () => {
    traces['{ kind = server } | select(span.http.route)'] = [trace(1, '/stock'), trace(1, '/reserve'), trace(1, '/stock'), trace(1)];
    expect(await traceql('{ kind = server } | select(span.http.route)').attribute('http.route').resolve(context())).toBe('/stock');
  });

  it('percentOf(): matched spans over every trace of the window, from the lab start on', async () => {
    traces['{ status = error }'] = [trace(1), trace(2)];
    traces['{ kind = server }'] = [trace(4), trace(4), trace(4)];
    const labStartedAt = Date.now() - 60_000;
    const truth = traceql('{ status = error }', { over: '10m' }).percentOf(traceql('{ kind = server }', { over: '10m' }));
    expect(truth.query).toBe('100 × spans of { status = error } / spans of { kind = server }');
    expect(() => truth.validate()).not.toThrow();
    expect(await truth.resolve(context({ labStartedAt }))).toBeCloseTo(25);
    expect(Number(asked.at(-1)!.get('limit'))).toBeGreaterThanOrEqual(10_000);
    expect(Number(asked.at(-1)!.get('start'))).toBe(Math.floor(labStartedAt / 1000));
    traces['{ kind = server }'] = [];
    expect(await truth.resolve(context())).toBeUndefined();
  });
});
