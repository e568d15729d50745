import { mkdtempSync, utimesSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { rangeSince, sinceSaved } from './since-saved.ts';

describe('rangeSince', () => {
  it('covers the time since the save in whole seconds, rounded up, never empty', () => {
    expect(rangeSince(1_000, 38_200)).toBe('38s');
    expect(rangeSince(1_000, 38_000)).toBe('37s');
    expect(rangeSince(5_000, 5_000)).toBe('1s');
  });
});

describe('sinceSaved(…).promql', () => {
  const build = (range: string) => `sum(max_over_time(k6_http_reqs_total{testid="t"}[${range}]))`;

  it('shows the query with its window named, and validates it with a real range', () => {
    const probe = sinceSaved('k6/test.ts').promql(build).value('>= 1');
    expect(probe.query).toBe('sum(max_over_time(k6_http_reqs_total{testid="t"}[<since saved>]))');
    expect(() => probe.validate()).not.toThrow();
  });

  it('fails at once, settled, when the script is not there: no run of it can come', async () => {
    const workspace = mkdtempSync(join(tmpdir(), 'since-saved-'));
    const observation = await sinceSaved('k6/test.ts').promql(build).value('>= 1').observe({ endpoints: {}, workspace });
    expect(observation).toMatchObject({ pass: false, got: 'no workspace/k6/test.ts', settled: true });
  });

  it('asks Prometheus over the range since the file was saved, and says when that was', async () => {
    const workspace = mkdtempSync(join(tmpdir(), 'since-saved-'));
    writeFileSync(join(workspace, 'test.ts'), '');
    const savedAt = new Date(Date.now() - 42_000);
    utimesSync(join(workspace, 'test.ts'), savedAt, savedAt);
    // A stand-in for Prometheus's query API that records the query it is sent.
    const asked: string[] = [];
    const server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        asked.push(new URLSearchParams(body).get('query') ?? '');
        res.end(JSON.stringify({ status: 'success', data: { resultType: 'vector', result: [{ metric: {}, value: [0, '120'] }] } }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const prometheus = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const observation = await sinceSaved('test.ts').promql(build).value('>= 50').observe({ endpoints: { prometheus }, workspace });
      expect(asked[0]).toMatch(/\[4[23]s\]\)\)$/);
      expect(observation.pass).toBe(true);
      expect(observation.got).toContain('since you saved workspace/test.ts at');
    } finally {
      server.close();
    }
  });
});
