import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { repoRoot } from '../lib/paths.ts';
import { loadVersions, parseVersions, readVersions } from './versions.ts';

const one = (body: string) => parseVersions(`engines:\n  x:\n    version: 1.2.3\n${body}`, 'v.yaml');

describe('parseVersions', () => {
  it('reads an engine with its release, ports and commands', () => {
    const engines = parseVersions(
      'engines:\n  loki:\n    version: 3.7.6\n    licence: AGPL-3.0-only\n    release:\n      url: https://example.org/v{version}/loki-{os}-{arch}.zip\n      checksums: SHA256SUMS\n      platforms: { linux-amd64: {} }\n      binaries: { loki: "loki-{os}-{arch}" }\n    version_args: [-version]\n    ports: { http: 3100 }\n',
    );
    expect(engines.get('loki')).toMatchObject({ version: '3.7.6', origin: 'release', binaries: ['loki'], versionArgs: ['-version'], ports: { http: 3100 } });
    expect(engines.get('loki')!.release!.platforms).toEqual({ 'linux-amd64': {} });
  });

  it('refuses a source build of an engine whose licence does not allow the kit to compile it', () => {
    expect(() => one('    licence: AGPL-3.0-only\n    source: { go: example.org/x@v1.2.3, binaries: [x] }\n')).toThrow('v.yaml: engines.x.source: x is AGPL-3.0-only; the kit builds only permissive engines');
  });

  it('refuses an engine with no way in, naming the field', () => {
    expect(() => one('    ports: {}\n')).toThrow('v.yaml: engines.x.release: an engine needs a release');
  });

  it('refuses a floating or pre-release version, and an untagged image', () => {
    expect(() => parseVersions('engines:\n  x:\n    version: latest\n    node: true\n')).toThrow(/pinned release/);
    expect(() => parseVersions('engines:\n  x:\n    version: 2.8.0-dev.87c2dc\n    node: true\n')).toThrow(/pre-release/);
    expect(() => parseVersions('engines:\n  x:\n    version: 1\n    compose_only: true\n    image: grafana/grafana\n')).toThrow(/exact tag/);
  });

  it('refuses a port that is not a port, and a platform that is not one', () => {
    expect(() => parseVersions('engines:\n  x:\n    version: 1\n    node: true\n    ports: { http: 99999 }\n')).toThrow(/engines.x.ports.http/);
    expect(() => one('    release: { url: "https://e/x", checksums: s, platforms: { linux-x86: {} }, binaries: { x: x } }\n')).toThrow(/platforms.linux-x86: not a platform/);
  });
});

describe('readVersions', () => {
  const text = 'engines:\n  x:\n    version: 1.2.3\n    node: true\n    ports: { http: 8080 }\n';
  const copyIn = () => join(mkdtempSync(join(tmpdir(), 'versions-')), 'versions.json');

  it('parses the text, and keeps a copy that the next read takes instead of parsing again', () => {
    const copy = copyIn();
    const parsed = readVersions(text, copy, 'v.yaml');
    expect(parsed.get('x')).toMatchObject({ version: '1.2.3', origin: 'node', ports: { http: 8080 } });
    // Mark the copy: a read that parsed again would not see the mark.
    const saved = JSON.parse(readFileSync(copy, 'utf8')) as { engines: [string, { version: string }][] };
    saved.engines[0]![1].version = 'from the copy';
    writeFileSync(copy, JSON.stringify(saved));
    expect(readVersions(text, copy, 'v.yaml').get('x')!.version).toBe('from the copy');
    expect(readVersions(text, copy, 'v.yaml').get('x')).toEqual({ ...parsed.get('x'), version: 'from the copy' });
  });

  it('parses again when the text is not the one the copy was made from, or the copy is damaged', () => {
    const copy = copyIn();
    readVersions(text, copy, 'v.yaml');
    expect(readVersions(text.replace('1.2.3', '1.2.4'), copy, 'v.yaml').get('x')!.version).toBe('1.2.4');
    writeFileSync(copy, '{ "source": ');
    expect(readVersions(text, copy, 'v.yaml').get('x')!.version).toBe('1.2.3');
  });

  it('still refuses a broken file, naming it, and keeps no copy of it', () => {
    const copy = copyIn();
    expect(() => readVersions('engines:\n  x:\n    version: latest\n    node: true\n', copy, 'v.yaml')).toThrow(/v\.yaml: engines\.x\.version: "latest" must be a pinned release/);
    expect(existsSync(copy)).toBe(false);
  });

  it('is read once per process', () => {
    expect(loadVersions()).toBe(loadVersions());
  });
});

describe('stack/versions.yaml', () => {
  const engines = [...loadVersions().values()];

  it('gives every port to one engine only', () => {
    const ports = engines.flatMap((e) => Object.values(e.ports));
    expect(ports.length).toBe(new Set(ports).size);
  });

  it.each(engines.filter((e) => e.source?.kind === 'go'))('$name: the wrapper module requires exactly the pinned module version', (engine) => {
    const goMod = readFileSync(join(repoRoot, 'stack', 'engines', engine.name, 'go.mod'), 'utf8');
    const [module, version] = engine.source!.module.split('@') as [string, string];
    // Required on its own line or inside a require ( … ) block (tidy marks it indirect: only `tool` uses it).
    expect(goMod).toMatch(new RegExp(`^(require )?\\s*${module.replaceAll('.', '\\.')} ${version.replaceAll('.', '\\.')}( // indirect)?$`, 'm'));
    expect(existsSync(join(repoRoot, 'stack', 'engines', engine.name, 'go.sum')), 'go.sum is committed').toBe(true);
  });

  it('builds the collector at the version the manifest names', () => {
    const engine = loadVersions().get('otelcol')!;
    const manifest = parse(readFileSync(join(repoRoot, 'stack', 'engines', 'otelcol', 'manifest.yaml'), 'utf8')) as { dist: { version: string } };
    expect(manifest.dist.version).toBe(engine.version);
    expect(engine.source?.module).toMatch(new RegExp(`@v${engine.version}$`));
  });

  it('gives every release a checksum source and at least one linux platform', () => {
    for (const engine of engines.filter((e) => e.release)) {
      expect(engine.release!.checksums, engine.name).toBeTruthy();
      expect(Object.keys(engine.release!.platforms).some((p) => p.startsWith('linux-')), engine.name).toBe(true);
    }
  });

  it('pins the AGPL engines to releases only: no source build, ever', () => {
    for (const engine of engines.filter((e) => e.licence?.startsWith('AGPL'))) {
      expect(engine.source, engine.name).toBeUndefined();
      expect(engine.release, engine.name).toBeDefined();
    }
    expect(engines.filter((e) => e.licence?.startsWith('AGPL')).map((e) => e.name).sort()).toEqual(['grafana', 'k6', 'loki', 'tempo']);
  });
});

describe('the repository', () => {
  // ENGINES.md §0: these module paths are not to be used at all, at any major version.
  const forbidden = /github\.com\/grafana\/(loki|tempo|grafana)\b|go\.k6\.io\/k6\b/;

  it('has no go.mod or go.sum that mentions an AGPL engine module', () => {
    const files = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '*go.mod', '*go.sum'], { cwd: repoRoot, encoding: 'utf8' }).split('\n').filter(Boolean);
    expect(files.length).toBeGreaterThan(0);
    const offenders = files.filter((file) => existsSync(join(repoRoot, file)) && forbidden.test(readFileSync(join(repoRoot, file), 'utf8')));
    expect(offenders).toEqual([]);
  });

  it('the check above recognises every forbidden path', () => {
    for (const path of ['github.com/grafana/loki/v3 v3.7.6', 'github.com/grafana/tempo v1.5.1', 'github.com/grafana/grafana v0.0.0', 'go.k6.io/k6/v2 v2.2.0', 'go.k6.io/k6 v1.8.1']) expect(forbidden.test(path), path).toBe(true);
    expect(forbidden.test('github.com/grafana/regexp v0.0.0')).toBe(false);
  });
});
