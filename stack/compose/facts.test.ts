/**
 * The facts the compose generator gathers per service, on the real service table, versions.yaml, overrides and
 * templates: each template is read once, and each service's facts say what its compose entry will be.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../../lib/paths.ts';
import { findService } from '../services.ts';
import { engineVersion } from '../versions.ts';
import { composeFacts, serviceFacts, type ReadTemplate } from './facts.ts';
import { composeServices, composeValues } from './model.ts';
import { composeOnlyServices } from './overrides.ts';

const service = (name: string) => findService(name) ?? composeOnlyServices.find((s) => s.name === name)!;

/** Reads the real templates, counting the reads of each. */
function countingReader() {
  const reads = new Map<string, number>();
  const read: ReadTemplate = (name, file) => {
    reads.set(`${name}/${file}`, (reads.get(`${name}/${file}`) ?? 0) + 1);
    return readFileSync(join(repoRoot, 'stack', 'config', name, file), 'utf8');
  };
  return { read, reads };
}

describe('composeFacts', () => {
  it('has every compose service, in start order, and reads each template exactly once', () => {
    const { read, reads } = countingReader();
    const facts = composeFacts(read);
    expect(facts.map((f) => f.service.name)).toEqual(composeServices().map((s) => s.name));
    const expected = composeServices().flatMap((s) => s.configs.map((file) => `${s.name}/${file}`));
    expect(expected.length).toBeGreaterThan(8);
    expect([...reads.keys()].sort()).toEqual(expected.sort());
    for (const [file, count] of reads) expect(count, file).toBe(1);
  });
});

describe('serviceFacts', () => {
  it('Prometheus: its pinned image, its port, its templates, a data volume and the workspace (for rules)', () => {
    const facts = serviceFacts(service('prometheus'));
    expect(facts.image).toBe(engineVersion('prometheus').image);
    expect(facts.build).toBeUndefined();
    expect(facts.ports).toEqual([engineVersion('prometheus').ports.http]);
    expect(facts.templates).toEqual([
      { file: 'prometheus.yml', text: readFileSync(join(repoRoot, 'stack', 'config', 'prometheus', 'prometheus.yml'), 'utf8'), verbatim: false },
    ]);
    expect(facts.uses).toEqual({ data: true, workspace: true, logs: false });
    expect(facts.values).toEqual(composeValues('prometheus'));
    expect(facts.needs).toEqual([]);
    expect(facts.healthcheck?.test).toEqual(['CMD', 'wget', '-q', '-O', '/dev/null', `http://127.0.0.1:${engineVersion('prometheus').ports.http}/-/ready`]);
  });

  it('the shop: our own image, built once by the inventory service on the pinned base, the logs it writes, and the collector it needs in compose only', () => {
    const facts = serviceFacts(service('shop'));
    const engine = engineVersion('shop');
    expect(facts.image).toBe(`o11y-lab-kit/demo:${engine.version}`);
    expect(facts).not.toHaveProperty('build');
    expect(facts.runsImageOf).toBe('inventory');
    const inventory = serviceFacts(service('inventory'));
    expect(inventory.image).toBe(facts.image);
    expect(inventory.build).toEqual({ context: '..', dockerfile: 'stack/apps/Dockerfile', args: { BASE_IMAGE: engine.image } });
    // The workspace: lab 9's student instruments the checkout in workspace/shop/instrument.ts, which the shop loads.
    expect(facts.uses).toEqual({ data: false, workspace: true, logs: true });
    expect(facts.override.writesLogs).toBe(true);
    // services.ts's needs (none: it connects per request), then the one only containers have (the collector's DNS name).
    expect(facts.needs).toEqual(['otelcol']);
    expect(facts.calls).toEqual(['inventory', 'postgres']);
    expect(facts.healthcheck?.test[1]).toBe('node');
  });

  it('the collector: no healthcheck of its own (its image has no client), a probe sidecar that reaches it by name instead', () => {
    const facts = serviceFacts(service('otelcol'));
    expect(facts).not.toHaveProperty('healthcheck');
    expect(facts.sidecar).toEqual({
      name: 'otelcol-ready',
      image: engineVersion('prometheus').image,
      healthcheck: expect.objectContaining({ test: ['CMD', 'wget', '-q', '-O', '/dev/null', `http://otelcol:${engineVersion('otelcol').ports.health}/`] }),
    });
    expect(facts.needs).toEqual(['tempo', 'loki', 'prometheus']);
  });

  it("Loki: its distroless image has no client, so the healthcheck is the binary's own probe", () => {
    const facts = serviceFacts(service('loki'));
    expect(facts.healthcheck?.test).toEqual(['CMD', '/usr/bin/loki', '-health', `-health.url=http://127.0.0.1:${engineVersion('loki').ports.http}/ready`]);
    expect(facts).not.toHaveProperty('sidecar');
  });

  it('Grafana: dashboards are copied verbatim, the rest rendered', () => {
    const facts = serviceFacts(service('grafana'));
    expect(facts.templates.filter((t) => t.verbatim).map((t) => t.file)).toEqual(service('grafana').configs.filter((f) => f.endsWith('.json')));
    expect(facts.templates.find((t) => t.file === 'grafana.ini')?.verbatim).toBe(false);
    expect(facts.needs).toEqual(['postgres', 'redis']);
  });

  it('Redis: a shell healthcheck, and the data volume its config points to', () => {
    const facts = serviceFacts(service('redis'));
    expect(facts.healthcheck?.test[0]).toBe('CMD-SHELL');
    expect(facts.uses.data).toBe(true);
  });

  it('refuses a service that overrides.ts has no entry for, naming the file', () => {
    expect(() => serviceFacts({ ...service('loki'), name: 'lokki' })).toThrow('stack/compose/overrides.ts: no entry for service "lokki"');
  });

  it('refuses a port that versions.yaml does not have', () => {
    expect(() => serviceFacts({ ...service('loki'), ports: ['http', 'grcp'] })).toThrow('loki: port "grcp" is not in stack/versions.yaml engines.loki.ports');
  });
});
