import { describe, expect, it } from 'vitest';
import { containerState, parsePs } from './ps.ts';

const prometheus = { Name: 'o11y-lab-kit-prometheus-1', Service: 'prometheus', State: 'running', Health: 'healthy', ExitCode: 0 };
const loki = { Name: 'o11y-lab-kit-loki-1', Service: 'loki', State: 'exited', Health: '', ExitCode: 1 };

describe('parsePs', () => {
  it('reads one JSON object per line (Compose 2.21 and later)', () => {
    expect(parsePs(`${JSON.stringify(prometheus)}\n${JSON.stringify(loki)}\n`).map((c) => [c.Service, c.State])).toEqual([['prometheus', 'running'], ['loki', 'exited']]);
  });

  it('reads a JSON array (older Compose v2)', () => {
    expect(parsePs(JSON.stringify([prometheus, loki])).map((c) => c.Service)).toEqual(['prometheus', 'loki']);
  });

  it('reads nothing from no containers', () => {
    expect(parsePs('')).toEqual([]);
    expect(parsePs('[]')).toEqual([]);
  });
});

describe('containerState', () => {
  it('maps a container to the kit\'s states', () => {
    expect(containerState(undefined)).toEqual({ state: 'stopped' });
    expect(containerState(parsePs(JSON.stringify(prometheus))[0])).toEqual({ state: 'running' });
    expect(containerState({ ...prometheus, Health: 'starting' }).state).toBe('starting');
    expect(containerState({ ...prometheus, Health: 'unhealthy' })).toEqual({ state: 'failed', detail: 'its healthcheck fails (unhealthy)' });
    expect(containerState(loki)).toEqual({ state: 'failed', detail: 'exited with code 1' });
    expect(containerState({ ...loki, ExitCode: 0 }).state).toBe('stopped');
    expect(containerState({ ...prometheus, State: 'restarting' }).state).toBe('failed');
    expect(containerState({ ...prometheus, State: 'created' }).state).toBe('stopped');
  });
});
