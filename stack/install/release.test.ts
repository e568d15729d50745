/**
 * The release installer against a real HTTP server on 127.0.0.1 that serves archives this test builds itself
 * (tar.gz and zip, nested folders, a Grafana-like tree with an API that names the archive and its hash).
 * Nothing is mocked: the installer downloads, verifies, unpacks and renames exactly as it does from upstream.
 */
import { createHash } from 'node:crypto';
import { chmodSync, createWriteStream, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tar from 'tar';
import yazl from 'yazl';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createProgress } from '../../lib/progress.ts';
import { readInstallRecord, resolveEngine } from '../binaries.ts';
import { installEngines, lockReleases } from '../engine-install.ts';
import { parseVersions, type EngineVersion } from '../versions.ts';
import { currentPlatform, hashFor } from './release.ts';
import { readLock } from './lock.ts';

const root = mkdtempSync(join(tmpdir(), 'o11y-release-test-'));
const served = join(root, 'served');
/** URL path → behaviour; the server answers from files in `served` unless a path is overridden. */
const overrides = new Map<string, (res: import('node:http').ServerResponse) => void>();
let server: Server;
let base = '';

const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

/** A fake engine binary: a shell script that prints its version the way real engines do. */
function fakeBinary(path: string, line: string) {
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, `#!/bin/sh\necho "${line}"\n`);
  chmodSync(path, 0o755);
}

async function makeTarGz(dir: string, out: string) {
  await tar.c({ gzip: true, file: out, cwd: dir, portable: true }, readdirSync(dir));
}

function makeZip(files: Record<string, string>, out: string): Promise<void> {
  const zip = new yazl.ZipFile();
  for (const [name, source] of Object.entries(files)) zip.addFile(source, name, { mode: 0o100755 });
  zip.end();
  return new Promise((resolve, reject) => zip.outputStream.pipe(createWriteStream(out)).on('close', resolve).on('error', reject));
}

function engines(): Map<string, EngineVersion> {
  return parseVersions(`engines:
  promlike:
    version: 3.15.0
    licence: Apache-2.0
    release:
      url: ${base}/promlike/v{version}/promlike-{version}.{os}-{arch}.tar.gz
      checksums: sha256sums.txt
      platforms: { linux-amd64: {}, linux-arm64: {}, darwin-arm64: {} }
      binaries: { promlike: "*/promlike", promtool: "*/promtool" }
    ports: {}
  lokilike:
    version: 3.7.6
    licence: AGPL-3.0-only
    release:
      url: ${base}/lokilike/v{version}/lokilike-{os}-{arch}.zip
      checksums: "{asset}.sha256"
      platforms: { linux-amd64: {}, linux-arm64: {}, darwin-arm64: {} }
      binaries: { lokilike: "lokilike-{os}-{arch}" }
    ports: {}
  grafanalike:
    version: 12.3.1
    licence: AGPL-3.0-only
    release:
      api: ${base}/api/grafanalike/{version}/{arch}/{os}
      checksums: grafana-api
      platforms: { linux-amd64: {}, linux-arm64: {}, darwin-arm64: {} }
      binaries: { grafanalike: "*/bin/grafana" }
    ports: {}
  linuxonly:
    version: 2.10.8
    licence: AGPL-3.0-only
    release:
      url: ${base}/linuxonly/tempo_{version}_{os}_{arch}.tar.gz
      checksums: SHA256SUMS
      platforms: { linux-amd64: {} }
      binaries: { linuxonly: linuxonly }
    ports: {}
`);
}

const platform = 'linux-amd64' as const;
let cache = '';
let env: NodeJS.ProcessEnv = {};
let lines: string[] = [];
const progress = () => createProgress({ write: (line) => lines.push(line), every: 60_000 });
const install = (only: string[], extra: Partial<Parameters<typeof installEngines>[0]> = {}) =>
  installEngines({ progress: progress(), only, env, platform, engines: [...engines().values()], ...extra });

beforeAll(async () => {
  // promlike-3.15.0.linux-amd64.tar.gz: a folder with two binaries, as Prometheus ships.
  const prom = join(root, 'build', 'prom');
  fakeBinary(join(prom, 'promlike-3.15.0.linux-amd64', 'promlike'), 'promlike, version 3.15.0 (branch: HEAD)');
  fakeBinary(join(prom, 'promlike-3.15.0.linux-amd64', 'promtool'), 'promtool, version 3.15.0');
  mkdirSync(join(served, 'promlike', 'v3.15.0'), { recursive: true });
  const promTar = join(served, 'promlike', 'v3.15.0', 'promlike-3.15.0.linux-amd64.tar.gz');
  await makeTarGz(prom, promTar);
  writeFileSync(join(served, 'promlike', 'v3.15.0', 'sha256sums.txt'), `${'0'.repeat(64)}  promlike-3.15.0.linux-arm64.tar.gz\n${sha256(promTar)}  promlike-3.15.0.linux-amd64.tar.gz\n`);

  // lokilike-linux-amd64.zip: one binary named after the platform, with a per-file .sha256.
  fakeBinary(join(root, 'build', 'loki'), 'lokilike, version 3.7.6');
  mkdirSync(join(served, 'lokilike', 'v3.7.6'), { recursive: true });
  const lokiZip = join(served, 'lokilike', 'v3.7.6', 'lokilike-linux-amd64.zip');
  await makeZip({ 'lokilike-linux-amd64': join(root, 'build', 'loki') }, lokiZip);
  writeFileSync(`${lokiZip}.sha256`, `${sha256(lokiZip)}  lokilike-linux-amd64.zip\n`);

  // A Grafana-like tree: bin/, conf/defaults.ini, public/; its URL and hash come from an API.
  const graf = join(root, 'build', 'grafana', 'grafana-12.3.1');
  fakeBinary(join(graf, 'bin', 'grafana'), 'grafana version 12.3.1 (commit: abc)');
  mkdirSync(join(graf, 'conf'), { recursive: true });
  writeFileSync(join(graf, 'conf', 'defaults.ini'), '[server]\nhttp_port = 3000\n');
  mkdirSync(join(graf, 'public', 'build'), { recursive: true });
  writeFileSync(join(graf, 'public', 'build', 'app.js'), '/* ui */\n');
  mkdirSync(join(served, 'dl'), { recursive: true });
  const grafTar = join(served, 'dl', 'grafanalike_12.3.1_16789_linux_amd64.tar.gz');
  await makeTarGz(join(root, 'build', 'grafana'), grafTar);
  mkdirSync(join(served, 'api', 'grafanalike', '12.3.1', 'amd64'), { recursive: true });

  server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url!, 'http://x').pathname);
    const override = overrides.get(path);
    if (override) return override(res);
    if (path === '/api/grafanalike/12.3.1/amd64/linux') {
      res.setHeader('content-type', 'application/json');
      return res.end(JSON.stringify({ url: `${base}/dl/grafanalike_12.3.1_16789_linux_amd64.tar.gz`, sha256: sha256(grafTar) }));
    }
    const file = join(served, path);
    if (!existsSync(file) || !file.startsWith(served)) {
      res.statusCode = 404;
      return res.end('not found');
    }
    const body = readFileSync(file);
    res.setHeader('content-length', body.length);
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  rmSync(root, { recursive: true, force: true });
});

beforeEach(() => {
  cache = mkdtempSync(join(root, 'cache-'));
  env = { O11Y_LAB_CACHE: cache, O11Y_LAB_LOCK: join(cache, 'engines.lock.yaml'), O11Y_LAB_ENGINES_LOCAL: join(cache, 'none.yaml'), PATH: process.env.PATH };
  lines = [];
  overrides.clear();
});

describe('installing a release', () => {
  it('installs a tar.gz with nested folders: binaries found, executable, recorded, and the hash locked', async () => {
    const [result] = await install(['promlike']);
    expect(result).toMatchObject({ name: 'promlike', way: 'release', action: 'installed' });
    const resolved = resolveEngine(engines().get('promlike')!, env)!;
    expect(resolved.way).toBe('release');
    expect(readFileSync(resolved.binaries.promtool!, 'utf8')).toContain('promtool, version 3.15.0');
    const record = readInstallRecord(join(cache, 'engines', 'promlike', '3.15.0'))!;
    expect(record.binaries).toEqual({ promlike: 'tree/promlike-3.15.0.linux-amd64/promlike', promtool: 'tree/promlike-3.15.0.linux-amd64/promtool' });
    expect(readLock(env.O11Y_LAB_LOCK!).entries.promlike!['3.15.0']!['promlike-3.15.0.linux-amd64.tar.gz']).toBe(record.sha256);
    // The archive itself is not kept, and no .partial folder is left behind.
    expect(readdirSync(join(cache, 'engines', 'promlike'))).toEqual(['3.15.0']);
  });

  it('installs a zip with a per-file .sha256, keeping the executable bit', async () => {
    await install(['lokilike']);
    const resolved = resolveEngine(engines().get('lokilike')!, env)!;
    expect(resolved.binaries.lokilike).toMatch(/tree\/lokilike-linux-amd64$/);
    expect(readFileSync(resolved.binaries.lokilike!, 'utf8')).toContain('3.7.6');
  });

  it('installs a Grafana-like tree whose URL and hash come from a downloads API, and finds its home', async () => {
    await install(['grafanalike']);
    const resolved = resolveEngine(engines().get('grafanalike')!, env)!;
    expect(resolved.binaries.grafanalike).toMatch(/grafana-12\.3\.1\/bin\/grafana$/);
    const record = readInstallRecord(join(cache, 'engines', 'grafanalike', '12.3.1'))!;
    expect(record.url).toBe(`${base}/dl/grafanalike_12.3.1_16789_linux_amd64.tar.gz`);
    expect(existsSync(join(cache, 'engines', 'grafanalike', '12.3.1', 'tree', 'grafana-12.3.1', 'conf', 'defaults.ini'))).toBe(true);
  });

  it('reports each download in bytes and percent', async () => {
    await install(['promlike']);
    expect(lines.some((l) => /downloading promlike 3\.15\.0 \([\d.]+ (B|KB)\)/.test(l))).toBe(true);
    expect(lines.some((l) => /promlike 3\.15\.0: [\d.]+ (B|KB) of [\d.]+ (B|KB) \(100%\)/.test(l))).toBe(true);
  });

  it('is idempotent: a second run finds the engine and downloads nothing', async () => {
    await install(['promlike']);
    lines = [];
    const [again] = await install(['promlike']);
    expect(again).toMatchObject({ action: 'present', way: 'release' });
    expect(lines.some((l) => l.includes('downloading'))).toBe(false);
  });
});

describe('refusing what cannot be trusted', () => {
  it('a checksum mismatch installs nothing, names the URL and both hashes', async () => {
    const asset = '/lokilike/v3.7.6/lokilike-linux-amd64.zip';
    overrides.set(`${asset}.sha256`, (res) => res.end(`${'a'.repeat(64)}  lokilike-linux-amd64.zip\n`));
    const error = await install(['lokilike']).catch((e: Error) => e);
    expect(String(error)).toContain(`${base}${asset}: SHA-256 mismatch — expected ${'a'.repeat(64)} (upstream checksum), got ${sha256(join(served, asset))}`);
    expect(existsSync(join(cache, 'engines', 'lokilike', '3.7.6'))).toBe(false);
    expect(resolveEngine(engines().get('lokilike')!, env)).toBeUndefined();
    expect(existsSync(join(cache, 'engines', 'lokilike', '3.7.6.partial'))).toBe(false);
    expect(readLock(env.O11Y_LAB_LOCK!).entries).toEqual({});
  });

  it('a lock entry wins over upstream: an asset that differs from the lock is refused', async () => {
    writeFileSync(env.O11Y_LAB_LOCK!, `promlike:\n  3.15.0:\n    promlike-3.15.0.linux-amd64.tar.gz: ${'b'.repeat(64)}\n`);
    const error = await install(['promlike']).catch((e: Error) => e);
    expect(String(error)).toMatch(/SHA-256 mismatch — expected b{64} \(stack\/engines\.lock\.yaml\)/);
    expect(resolveEngine(engines().get('promlike')!, env)).toBeUndefined();
  });

  it('a download cut off half way installs nothing and says how far it got', async () => {
    const asset = '/promlike/v3.15.0/promlike-3.15.0.linux-amd64.tar.gz';
    const body = readFileSync(join(served, asset));
    overrides.set(asset, (res) => {
      res.setHeader('content-length', body.length);
      res.write(body.subarray(0, Math.floor(body.length / 2)));
      setTimeout(() => res.destroy(), 50);
    });
    const error = await install(['promlike']).catch((e: Error) => e);
    expect(String(error)).toMatch(/promlike 3\.15\.0 (broke off|stopped at)/);
    expect(String(error)).toContain('nothing was installed');
    expect(resolveEngine(engines().get('promlike')!, env)).toBeUndefined();
    expect(readdirSync(join(cache, 'engines', 'promlike'))).toEqual([]);
  });

  it('an unknown platform is named with what upstream publishes, and nothing is downloaded', async () => {
    const error = await install(['linuxonly'], { platform: 'darwin-arm64' }).catch((e: Error) => e);
    expect(String(error)).toContain('one engine could not be installed here');
    expect(lines).toContain('✗ linuxonly 2.10.8 has no official release for darwin-arm64 (upstream publishes linux-amd64)');
    expect((error as unknown as { details: string[] }).details[0]).toMatch(/^linuxonly 2\.10\.8: name your own binary in stack\/engines\.local\.yaml or O11Y_LAB_LINUXONLY_PATH; or use Docker/);
    expect(lines.some((l) => l.includes('downloading'))).toBe(false);
  });

  it('an unreachable release of an engine that cannot be built says every way to provide it', async () => {
    overrides.set('/lokilike/v3.7.6/lokilike-linux-amd64.zip', (res) => res.destroy());
    const error = await install(['lokilike']).catch((e: Error) => e);
    expect(String(error)).toContain('one engine could not be installed here');
    expect((error as unknown as { details: string[] }).details).toEqual([
      'lokilike 3.7.6: download its release with network (npm run engines:install lokilike); name your own binary in stack/engines.local.yaml or O11Y_LAB_LOKILIKE_PATH; or use Docker (STACK_RUNTIME=compose)',
    ]);
    expect(lines.some((l) => /✗ cannot download lokilike 3\.7\.6: 127\.0\.0\.1:\d+ is unreachable/.test(l))).toBe(true);
  });
});

describe('engines:lock', () => {
  it('records the hash of every platform an upstream checksum file lists', async () => {
    const sums = join(served, 'promlike', 'v3.15.0', 'sha256sums.txt');
    const text = readFileSync(sums, 'utf8');
    writeFileSync(sums, `${text}${'c'.repeat(64)}  promlike-3.15.0.darwin-arm64.tar.gz\n`);
    try {
      const count = await lockReleases({ progress: progress(), env, engines: [engines().get('promlike')!] });
      expect(count).toBe(3);
      expect(readLock(env.O11Y_LAB_LOCK!).entries.promlike!['3.15.0']).toEqual({
        'promlike-3.15.0.darwin-arm64.tar.gz': 'c'.repeat(64),
        'promlike-3.15.0.linux-amd64.tar.gz': sha256(join(served, 'promlike', 'v3.15.0', 'promlike-3.15.0.linux-amd64.tar.gz')),
        'promlike-3.15.0.linux-arm64.tar.gz': '0'.repeat(64),
      });
    } finally {
      writeFileSync(sums, text);
    }
  });
});

describe('hashFor', () => {
  it('reads sha256sum lines, binary-mode stars and lone per-file hashes', () => {
    const h = 'd'.repeat(64);
    expect(hashFor(`${'e'.repeat(64)}  other.zip\n${h} *dir/loki-linux-amd64.zip\n`, 'loki-linux-amd64.zip')).toBe(h);
    expect(hashFor(`${h}\n`, 'anything.tar.gz')).toBe(h);
    expect(hashFor(`${h}  other.zip\n`, 'loki.zip')).toBeUndefined();
  });
});

describe('currentPlatform', () => {
  it('names platforms as release pages do', () => {
    expect(currentPlatform('linux', 'x64')).toBe('linux-amd64');
    expect(currentPlatform('darwin', 'arm64')).toBe('darwin-arm64');
    expect(currentPlatform('linux', 'ia32')).toBeUndefined();
  });
});
