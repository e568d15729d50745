/**
 * The site server's path handling, on a small folder laid out as a Docusaurus build with trailingSlash: true.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveRequest, serveSite } from './serve.ts';

const root = mkdtempSync(join(tmpdir(), 'o11y-serve-'));
mkdirSync(join(root, 'docs', 'metrics', 'red-recording-rules'), { recursive: true });
writeFileSync(join(root, 'index.html'), 'home');
writeFileSync(join(root, '404.html'), 'not here');
writeFileSync(join(root, 'docs', 'metrics', 'red-recording-rules', 'index.html'), 'lab 4');

describe('the course site server', () => {
  it('sends pages, redirects clean URLs to their slash, and refuses paths outside the site', () => {
    expect(resolveRequest(root, '/')).toEqual({ file: join(root, 'index.html') });
    expect(resolveRequest(root, '/docs/metrics/red-recording-rules/')).toEqual({ file: join(root, 'docs', 'metrics', 'red-recording-rules', 'index.html') });
    expect(resolveRequest(root, '/docs/metrics/red-recording-rules')).toEqual({ redirect: '/docs/metrics/red-recording-rules/' });
    expect(resolveRequest(root, '/docs/nothing')).toBeUndefined();
    expect(resolveRequest(root, '/../etc/passwd')).toBeUndefined();
    expect(resolveRequest(root, '/%2e%2e/%2e%2e/etc/passwd')).toBeUndefined();
  });

  it('answers on 127.0.0.1, the 404 page with status 404', async () => {
    const server = await serveSite(root, 0);
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const page = await fetch(`${base}/docs/metrics/red-recording-rules`);
      expect([page.status, await page.text()]).toEqual([200, 'lab 4']);
      const missing = await fetch(`${base}/docs/nothing`);
      expect([missing.status, await missing.text()]).toEqual([404, 'not here']);
    } finally {
      server.close();
    }
  });
});
