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

  it('warns of missing native engines without blocking: lab:start installs what its lab needs', () => {
    expect(errors({ ...healthy, missingEngines: ['loki'] })).toEqual([]);
    const warning = diagnose({ ...healthy, missingEngines: ['loki'] }).find((f) => f.level === 'warn')!;
    expect(warning.what).toBe('native engines not installed yet: loki');
    expect(warning.fix).toMatch(/lab:start installs what its lab needs.*stack\/engines\.local\.yaml/);
    expect(diagnose({ ...healthy, missingEngines: ['loki'], dockerEngine: true }).find((f) => f.level === 'warn')!.fix).toMatch(/^Nothing to do for the compose stack/);
  });
});
