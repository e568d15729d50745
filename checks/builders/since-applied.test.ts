import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exemplars, sinceApplied } from './since-applied.ts';

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
    expect(asked.at(-1)!.params.get('query')).toMatch(/\[4[23]s\]/);
    expect((await sinceApplied(build).count('>= 3').observe({ endpoints: { prometheus }, workspace: '/nowhere', appliedAt })).pass).toBe(false);
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
