import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { repoRoot } from '../lib/paths.ts';
import { loadVersions, parseVersions } from './versions.ts';

describe('parseVersions', () => {
  it('reads an engine with its ports and build settings', () => {
    const engines = parseVersions('engines:\n  loki:\n    version: 3.7.8\n    source: go\n    binaries: [loki]\n    build_tags: [netgo]\n    ports: { http: 3100 }\n');
    expect(engines.get('loki')).toMatchObject({ version: '3.7.8', source: 'go', binaries: ['loki'], buildTags: ['netgo'], ports: { http: 3100 }, checksumDb: true });
  });

  it('refuses an unknown source, naming the field', () => {
    expect(() => parseVersions('engines:\n  x:\n    version: 1\n    source: brew\n', 'v.yaml')).toThrow('v.yaml: engines.x.source: "brew" is not one of');
  });

  it('refuses a floating version or image', () => {
    expect(() => parseVersions('engines:\n  x:\n    version: latest\n    source: go\n')).toThrow(/pinned/);
    expect(() => parseVersions('engines:\n  x:\n    version: 1\n    source: compose\n    image: grafana/grafana\n')).toThrow(/pinned/);
  });

  it('refuses a port that is not a port', () => {
    expect(() => parseVersions('engines:\n  x:\n    version: 1\n    source: go\n    ports: { http: 99999 }\n')).toThrow(/engines.x.ports.http/);
  });
});

describe('stack/versions.yaml', () => {
  const engines = [...loadVersions().values()];

  it('gives every port to one engine only', () => {
    const ports = engines.flatMap((e) => Object.values(e.ports));
    expect(ports.length).toBe(new Set(ports).size);
  });

  it.each(engines.filter((e) => e.source === 'go'))('$name: the wrapper module requires exactly the pinned module version', (engine) => {
    const goMod = readFileSync(join(repoRoot, 'stack', 'engines', engine.name, 'go.mod'), 'utf8');
    const [module, version] = engine.module!.split('@') as [string, string];
    // Required on its own line or inside a require ( … ) block (tidy marks it indirect: only `tool` uses it).
    expect(goMod).toMatch(new RegExp(`^(require )?\\s*${module.replaceAll('.', '\\.')} ${version.replaceAll('.', '\\.')}( // indirect)?$`, 'm'));
    expect(existsSync(join(repoRoot, 'stack', 'engines', engine.name, 'go.sum')), 'go.sum is committed').toBe(true);
  });

  it('builds the collector at the version the manifest names', () => {
    const engine = loadVersions().get('otelcol')!;
    const manifest = parse(readFileSync(join(repoRoot, 'stack', 'engines', 'otelcol', 'manifest.yaml'), 'utf8')) as { dist: { version: string; name: string } };
    expect(manifest.dist.version).toBe(engine.version);
    expect(engine.binaries).toContain(manifest.dist.name);
  });
});
