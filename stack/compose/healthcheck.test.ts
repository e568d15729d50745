import { describe, expect, it } from 'vitest';
import { healthcheckFor, probeCommand } from './healthcheck.ts';

describe('probeCommand', () => {
  it('probes an HTTP readiness path with the client the image has', () => {
    const probe = { kind: 'http', port: 'http', path: '/-/ready' } as const;
    expect(probeCommand(probe, 9090, 'wget')).toEqual(['CMD', 'wget', '-q', '-O', '/dev/null', 'http://127.0.0.1:9090/-/ready']);
    expect(probeCommand(probe, 9090, 'curl')).toEqual(['CMD', 'curl', '-fsS', '-o', '/dev/null', 'http://127.0.0.1:9090/-/ready']);
    expect(probeCommand(probe, 9090, 'none')).toBeUndefined();
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
