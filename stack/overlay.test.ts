import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { repoRoot } from '../lib/paths.ts';
import { applyOverlay, mergeConfig } from './overlay.ts';
import { renderTemplate, renderValues } from './render.ts';
import { loadVersions } from './versions.ts';

const values = renderValues(loadVersions().values(), { listen: '127.0.0.1', hostOf: () => '127.0.0.1', dirs: { data: '/d', config: '/c', run: '/r', workspace: '/w', logs: '/l' } });

describe('mergeConfig', () => {
  it('merges maps key by key and replaces lists and values', () => {
    expect(mergeConfig({ a: { b: 1, c: [1, 2] }, d: 'x' }, { a: { c: [3], e: true } })).toEqual({ a: { b: 1, c: [3], e: true }, d: 'x' });
    expect(mergeConfig({ a: { b: 1 } }, { a: null })).toEqual({ a: null });
    expect(mergeConfig({ a: 1 }, {})).toEqual({ a: 1 });
  });
});

describe('applyOverlay', () => {
  const base = renderTemplate(readFileSync(join(repoRoot, 'stack', 'config', 'tempo', 'tempo.yaml'), 'utf8'), values, 'tempo.yaml');

  it("puts lab 12's starter over the kit's Tempo config: processors off, the kit's listeners and storage kept", () => {
    const starter = readFileSync(join(repoRoot, 'labs', '12-span-metrics-service-graph', 'starter', 'tempo', 'metrics-generator.yaml'), 'utf8');
    const merged = parse(applyOverlay(base, starter, values, 'workspace/tempo/metrics-generator.yaml')) as Record<string, any>;
    expect(merged.overrides.defaults.metrics_generator.processors).not.toContain('span-metrics');
    expect(merged.metrics_generator.storage.remote_write[0].url).toBe(`http://127.0.0.1:${loadVersions().get('prometheus')!.ports.http}/api/v1/write`);
    expect(merged.metrics_generator.storage.path).toBe('/d/generator/wal');
    expect(merged.server.http_listen_address).toBe('127.0.0.1');
  });

  it('names the file when it is not a map of settings, or not YAML', () => {
    expect(() => applyOverlay(base, '- a\n- b\n', values, 'workspace/x.yaml')).toThrow(/workspace\/x.yaml: must be a YAML map/);
    expect(() => applyOverlay(base, 'a: [\n', values, 'workspace/x.yaml')).toThrow(/workspace\/x.yaml/);
    expect(() => applyOverlay(base, 'a: {{ addr.prometheus.htp }}\n', values, 'workspace/x.yaml')).toThrow(/unknown placeholder/);
  });
});
