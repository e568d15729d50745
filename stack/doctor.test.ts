import { describe, expect, it } from 'vitest';
import { diagnose, type Facts } from './doctor.ts';

const healthy: Facts = { nodeVersion: 'v20.20.2', arch: 'x64', totalMemBytes: 16 * 1024 ** 3, freeMemBytes: 8 * 1024 ** 3, dockerEngine: false, missingEngines: [], takenPorts: [] };
const errors = (facts: Facts) => diagnose(facts).filter((f) => f.level === 'error');

describe('diagnose', () => {
  it('finds nothing wrong on a healthy machine without Docker', () => {
    expect(errors(healthy)).toEqual([]);
  });

  it('names ports held by another program, with the fix', () => {
    const [finding] = errors({ ...healthy, takenPorts: ['9090 (Prometheus)'] });
    expect(finding!.what).toContain('9090 (Prometheus)');
    expect(finding!.fix).toMatch(/stack:down/);
  });

  it('blocks on an old Node, an unsupported CPU and too little memory', () => {
    expect(errors({ ...healthy, nodeVersion: 'v18.19.0' })[0]!.fix).toMatch(/Node.js 20/);
    expect(errors({ ...healthy, arch: 'ia32' })).toHaveLength(1);
    expect(errors({ ...healthy, totalMemBytes: 2 * 1024 ** 3 })).toHaveLength(1);
  });

  it('treats missing native engines as an error only when Docker cannot stand in', () => {
    expect(errors({ ...healthy, missingEngines: ['loki'] })[0]!.fix).toBe('Run npm run engines:install.');
    expect(errors({ ...healthy, missingEngines: ['loki'], dockerEngine: true })).toEqual([]);
  });
});
