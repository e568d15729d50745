/**
 * Finding an engine's binaries: the user's own (stack/engines.local.yaml or O11Y_LAB_<ENGINE>_PATH, version
 * checked by running them), an install record in the cache, or the OS packages. The "binaries" are small shell
 * scripts that print a version the way the engines do.
 */
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { adoptBinary } from './engine-install.ts';
import { configuredPaths, engineHome, pathVariable, reportedVersion, resolveEngine } from './binaries.ts';
import { parseVersions } from './versions.ts';

const root = mkdtempSync(join(tmpdir(), 'o11y-binaries-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function script(path: string, output: string): string {
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, `#!/bin/sh\necho "${output}"\n`);
  chmodSync(path, 0o755);
  return path;
}

const engines = parseVersions(`engines:
  prom:
    version: 3.15.0
    licence: Apache-2.0
    release: { url: "https://e/p-{version}.tar.gz", checksums: s, platforms: { linux-amd64: {} }, binaries: { prom: "*/prom", promtool: "*/promtool" } }
    ports: {}
  grafana:
    version: 12.3.1
    licence: AGPL-3.0-only
    release: { api: "https://e/{version}", checksums: grafana-api, platforms: { linux-amd64: {} }, binaries: { grafana: "*/bin/grafana" } }
    ports: {}
`);
const prom = engines.get('prom')!;
const grafana = engines.get('grafana')!;
let n = 0;
const envWith = (local?: string, extra: NodeJS.ProcessEnv = {}) => {
  const dir = join(root, `case-${n++}`);
  mkdirSync(dir, { recursive: true });
  if (local !== undefined) writeFileSync(join(dir, 'engines.local.yaml'), local);
  return { O11Y_LAB_CACHE: join(dir, 'cache'), O11Y_LAB_ENGINES_LOCAL: join(dir, 'engines.local.yaml'), ...extra };
};

describe('the path way', () => {
  const bin = join(root, 'own', 'prom-3.15');
  script(join(bin, 'prom'), 'prom, version 3.15.2 (branch: HEAD)');
  script(join(bin, 'promtool'), 'promtool, version 3.15.2');

  it('takes the binary named in engines.local.yaml, and its other commands from beside it', () => {
    const env = envWith(`prom: ${bin}/prom\n`);
    expect(configuredPaths(prom, env)).toEqual({ prom: `${bin}/prom`, promtool: `${bin}/promtool` });
    expect(resolveEngine(prom, env)).toEqual({ way: 'path', binaries: { prom: `${bin}/prom`, promtool: `${bin}/promtool` } });
  });

  it('prefers the variable O11Y_LAB_<ENGINE>_PATH to the file', () => {
    const other = script(join(root, 'own', 'other', 'prom'), 'prom, version 3.15.0');
    script(join(root, 'own', 'other', 'promtool'), 'promtool, version 3.15.0');
    const env = envWith(`prom: ${bin}/prom\n`, { [pathVariable('prom')]: other });
    expect(resolveEngine(prom, env)!.binaries.prom).toBe(other);
  });

  it('refuses a binary of another major.minor, naming both versions', () => {
    const old = script(join(root, 'own', 'old', 'prom'), 'prom, version 2.53.1');
    script(join(root, 'own', 'old', 'promtool'), 'x');
    const resolved = resolveEngine(prom, envWith(`prom: ${old}\n`))!;
    expect(resolved.problem).toBe(`${old} is prom 2.53.1, but the kit pins 3.15.0 (major.minor must match)`);
  });

  it('names a path that does not exist, and the file that named it', () => {
    const env = envWith('prom: /nowhere/prom\n');
    expect(resolveEngine(prom, env)!.problem).toBe(`/nowhere/prom does not exist (named by ${env.O11Y_LAB_ENGINES_LOCAL})`);
  });

  it('says which file holds broken YAML', () => {
    const env = envWith('prom: [unclosed\n');
    expect(() => resolveEngine(prom, env)).toThrow(`${env.O11Y_LAB_ENGINES_LOCAL}: not valid YAML`);
  });

  it("gives Grafana's home: the release tree above bin/grafana", () => {
    const tree = join(root, 'own', 'grafana-12.3.1');
    script(join(tree, 'bin', 'grafana'), 'grafana version 12.3.1 (commit: 1)');
    expect(engineHome(grafana, envWith(`grafana: ${tree}/bin/grafana\n`))).toBe(tree);
  });
});

describe('engines:adopt', () => {
  it('copies a binary of the right version into the cache, where every checkout finds it', () => {
    const env = envWith();
    const record = adoptBinary(prom, join(root, 'own', 'prom-3.15', 'prom'), env);
    expect(record).toMatchObject({ way: 'path', binaries: { prom: 'bin/prom', promtool: 'bin/promtool' } });
    const resolved = resolveEngine(prom, env)!;
    expect(resolved.way).toBe('path');
    expect(resolved.binaries.prom).toBe(join(env.O11Y_LAB_CACHE, 'engines', 'prom', '3.15.0', 'bin', 'prom'));
  });

  it('refuses one of another version and copies nothing', () => {
    const env = envWith();
    expect(() => adoptBinary(prom, join(root, 'own', 'old', 'prom'), env)).toThrow(/is prom 2\.53\.1, but the kit pins 3\.15\.0/);
    expect(resolveEngine(prom, env)).toBeUndefined();
  });
});

describe('reportedVersion', () => {
  it('reads the first version each engine prints', () => {
    expect(reportedVersion('loki, version 3.7.6 (branch: HEAD, revision: v3.7.6)')).toBe('3.7.6');
    expect(reportedVersion('k6 v2.2.0 (commit/devel, go1.26.8, linux/amd64)')).toBe('2.2.0');
    expect(reportedVersion('otelcol-contrib version 0.159.0')).toBe('0.159.0');
    expect(reportedVersion('no digits here')).toBeUndefined();
  });
});
