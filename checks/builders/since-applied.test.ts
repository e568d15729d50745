import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exemplars, sinceApplied, windowSince } from './since-applied.ts';

// A stand-in for Prometheus's query and exemplar APIs that records what it is asked.
const asked: { path: string; params: URLSearchParams }[] = [];
let exemplarTimes: number[] = [];
const server = createServer((req, res) => {
  let body = '';
  req.on('data', (chunk: Buffer) => (body += chunk.toString()));
  req.on('end', () => {
    const params = new URLSearchParams(body);
    asked.push({ path: req.url ?? '', params });
    if (req.url?.startsWith('/api/v1/query_exemplars')) {
      return res.end(JSON.stringify({ status: 'success', data: [{ seriesLabels: { service: 'shop' }, exemplars: exemplarTimes.map((t) => ({ labels: { traceID: 'abc' }, value: '0.1', timestamp: t / 1000 })) }] }));
    }
    res.end(JSON.stringify({ status: 'success', data: { resultType: 'vector', result: [{ metric: { http_route: '/a' }, value: [0, '3'] }, { metric: { http_route: '/b' }, value: [0, '3'] }] } }));
  });
});
let prometheus = '';
beforeAll(() => new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => ((prometheus = `http://127.0.0.1:${(server.address() as AddressInfo).port}`), resolve()))));
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const build = (range: string) => `count by (http_route) (count_over_time(traces_spanmetrics_calls_total[${range}]))`;

describe('windowSince', () => {
  it('is whole seconds evaluated at the apply plus the range: it starts exactly at the apply, never before', () => {
    expect(windowSince(10_000, 47_900)).toEqual({ range: '37s', at: new Date(47_000) });
    expect(windowSince(10_000, 47_000)).toEqual({ range: '37s', at: new Date(47_000) });
    expect(windowSince(10_000, 10_999)).toBeUndefined();
  });
});

describe('sinceApplied(…).count', () => {
  it('shows the query with its window named, and validates it with a real range', () => {
    const probe = sinceApplied(build).count('>= 2');
    expect(probe.query).toBe('count by (http_route) (count_over_time(traces_spanmetrics_calls_total[<since applied>]))');
    expect(() => probe.validate()).not.toThrow();
  });

  it('asks over the range since the apply and counts the series', async () => {
    const appliedAt = Date.now() - 42_000;
    const observation = await sinceApplied(build).count('>= 2').observe({ endpoints: { prometheus }, workspace: '/nowhere', appliedAt });
    expect(observation.pass).toBe(true);
    expect(observation.got).toMatch(/since your change at/);
    expect(asked.at(-1)!.params.get('query')).toMatch(/\[4[12]s\]/);
    const range = Number(/\[(\d+)s\]/.exec(asked.at(-1)!.params.get('query')!)![1]);
    // Evaluated at the apply plus the range: the window (appliedAt, appliedAt + range] holds nothing older.
    expect(Number(asked.at(-1)!.params.get('time')) * 1000).toBeCloseTo(appliedAt + range * 1000, 0);
    expect((await sinceApplied(build).count('>= 3').observe({ endpoints: { prometheus }, workspace: '/nowhere', appliedAt })).pass).toBe(false);
  });

  it('settles a shortfall only once settlesAfterMs have passed since the apply', async () => {
    const probe = sinceApplied(build).count('>= 3', { settlesAfterMs: 45_000 });
    const early = await probe.observe({ endpoints: { prometheus }, workspace: '/nowhere', appliedAt: Date.now() - 20_000 });
    expect(early).toMatchObject({ pass: false });
    expect(early.settled).toBeUndefined();
    const late = await probe.observe({ endpoints: { prometheus }, workspace: '/nowhere', appliedAt: Date.now() - 50_000 });
    expect(late).toMatchObject({ pass: false, settled: true });
    // Never without the option: the deadline decides.
    expect((await sinceApplied(build).count('>= 3').observe({ endpoints: { prometheus }, workspace: '/nowhere', appliedAt: Date.now() - 50_000 })).settled).toBeUndefined();
  });

  it('fails at once with the reason when Tempo refused the file: what Prometheus has is not this work', async () => {
    const observation = await sinceApplied(build).count('>= 1').observe({ endpoints: { prometheus }, workspace: '/nowhere', refused: { tempo: 'Tempo did not start with workspace/tempo/metrics-generator.yaml' } });
    expect(observation).toMatchObject({ pass: false, settled: true, got: 'Tempo did not start with workspace/tempo/metrics-generator.yaml' });
  });
});

describe('exemplars(…).count', () => {
  it('counts only exemplars stored since the apply', async () => {
    const appliedAt = Date.now() - 30_000;
    exemplarTimes = [appliedAt - 60_000, appliedAt - 1_000];
    const before = await exemplars('traces_spanmetrics_latency_bucket{service="shop"}').count('>= 1').observe({ endpoints: { prometheus }, workspace: '/nowhere', appliedAt });
    expect(before).toMatchObject({ pass: false, got: expect.stringMatching(/^0 exemplars since your change/) });
    exemplarTimes.push(appliedAt + 5_000);
    const after = await exemplars('traces_spanmetrics_latency_bucket{service="shop"}').count('>= 1').observe({ endpoints: { prometheus }, workspace: '/nowhere', appliedAt });
    expect(after).toMatchObject({ pass: true, got: expect.stringContaining('traceID=abc') });
    expect(asked.at(-1)!.path).toBe('/api/v1/query_exemplars');
    expect(Number(asked.at(-1)!.params.get('start'))).toBeCloseTo(appliedAt / 1000, 0);
  });
});
