import { execFile } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { healthcheckFor, probeCommand } from './healthcheck.ts';

describe('probeCommand', () => {
  it('probes an HTTP readiness path with the client the image has', () => {
    const probe = { kind: 'http', port: 'http', path: '/-/ready' } as const;
    expect(probeCommand(probe, 9090, 'wget')).toEqual(['CMD', 'wget', '-q', '-O', '/dev/null', 'http://127.0.0.1:9090/-/ready']);
    expect(probeCommand(probe, 9090, 'curl')).toEqual(['CMD', 'curl', '-fsS', '-o', '/dev/null', 'http://127.0.0.1:9090/-/ready']);
    expect(probeCommand(probe, 9090, 'none')).toBeUndefined();
  });

  it("probes with Node.js's own fetch in images that have only node, failing on an error status and on a refused connection", () => {
    const test = probeCommand({ kind: 'http', port: 'http', path: '/health' }, 8080, 'node')!;
    expect(test).toEqual(['CMD', 'node', '-e', "fetch('http://127.0.0.1:8080/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]);
  });

  it('gives a Node.js probe that exits 0 only on a 2xx answer (run here by this machine\'s node)', async () => {
    const server = createServer((req, res) => res.writeHead(req.url === '/health' ? 200 : 503).end());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const exitCode = (path: string, at = port) =>
      new Promise<number | null>((resolve) => {
        const script = probeCommand({ kind: 'http', port: 'http', path }, at, 'node')![3]!;
        execFile(process.execPath, ['-e', script], { timeout: 10_000 }, (error) => resolve(error ? (error.code as number | null) : 0));
      });
    try {
      expect(await exitCode('/health')).toBe(0);
      expect(await exitCode('/ready')).toBe(1);
      // Nothing listens on port 1: a refused connection.
      expect(await exitCode('/health', 1)).toBe(1);
    } finally {
      server.close();
    }
  });

  it("probes Loki's distroless image with Loki's own -health command, which needs no shell and no client", () => {
    expect(probeCommand({ kind: 'http', port: 'http', path: '/ready' }, 3100, 'loki-health')).toEqual(['CMD', '/usr/bin/loki', '-health', '-health.url=http://127.0.0.1:3100/ready']);
  });

  it('probes another container by its service name, for a probe sidecar; a sidecar is no client of its own', () => {
    expect(probeCommand({ kind: 'http', port: 'http', path: '/ready' }, 3200, 'wget', 'tempo')).toEqual(['CMD', 'wget', '-q', '-O', '/dev/null', 'http://tempo:3200/ready']);
    expect(probeCommand({ kind: 'http', port: 'http', path: '/ready' }, 3200, 'sidecar')).toBeUndefined();
  });

  it('uses the engine\'s own client for PostgreSQL and Redis, whatever the HTTP client', () => {
    expect(probeCommand({ kind: 'postgres', port: 'sql' }, 15432, 'none')).toEqual(['CMD', 'pg_isready', '-q', '-h', '127.0.0.1', '-p', '15432']);
    expect(probeCommand({ kind: 'redis', port: 'resp' }, 16379, 'none')).toEqual(['CMD-SHELL', 'redis-cli -h 127.0.0.1 -p 16379 ping | grep -q PONG']);
  });
});

describe('healthcheckFor', () => {
  it('gives the service its start timeout as start period', () => {
    expect(healthcheckFor({ kind: 'http', port: 'http', path: '/ready' }, 3100, 'wget', 90_000)).toMatchObject({ start_period: '90s', retries: 3 });
    expect(healthcheckFor({ kind: 'http', port: 'http', path: '/' }, 13133, 'none', 30_000)).toBeUndefined();
  });
});
