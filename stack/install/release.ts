/**
 * Installing an engine from its official release archive: find the asset for this platform, download it with
 * progress, check its SHA-256, unpack it and move it into the engine cache in one rename. Nothing here knows a
 * particular engine: stack/versions.yaml describes each one's archive.
 *
 * Order of trust for the SHA-256: the committed lock (stack/engines.lock.yaml) when it has the asset, else
 * upstream's checksum file (or grafana.com's downloads API), and then the lock records it.
 */
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync, writeFileSync, chmodSync } from 'node:fs';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Readable, Transform } from 'node:stream';
import type yauzl from 'yauzl';
import { StackError } from '../../lib/errors.ts';
import { describeNetworkError } from '../../lib/network.ts';
import { formatBytes, type Progress } from '../../lib/progress.ts';
import { installRecordFile, type InstallRecord } from '../binaries.ts';
import type { EngineVersion, Platform, ReleaseSpec } from '../versions.ts';
import { lockedHash, recordHash, type LockFile } from './lock.ts';

/** The platform this process runs on, in release-page names, or undefined for one no engine publishes. */
export function currentPlatform(platform: NodeJS.Platform = process.platform, cpu: string = process.arch): Platform | undefined {
  const os = platform === 'linux' ? 'linux' : platform === 'darwin' ? 'darwin' : platform === 'win32' ? 'windows' : undefined;
  const arch = cpu === 'x64' ? 'amd64' : cpu === 'arm64' ? 'arm64' : undefined;
  return os && arch ? (`${os}-${arch}` as Platform) : undefined;
}

/** The template values of one platform: Go's names unless the release names them otherwise. */
export function platformValues(engine: EngineVersion, platform: Platform): Record<string, string> {
  const [os, arch] = platform.split('-') as [string, string];
  const names = engine.release?.platforms[platform] ?? {};
  return { version: engine.version, os: names.os ?? os, arch: names.arch ?? arch, ext: names.ext ?? 'tar.gz' };
}

export const fill = (template: string, values: Record<string, string>) => template.replace(/\{(\w+)\}/g, (match, key: string) => values[key] ?? match);

/** Thrown where the release could not be reached at all (offline, DNS, refused): the caller may build instead. */
export class ReleaseUnreachable extends StackError {}

export interface Asset {
  url: string;
  /** The file name, the key in the lock. */
  name: string;
  /** Upstream's SHA-256 when the API gave it with the URL; otherwise read from `checksumUrl`. */
  sha256?: string;
  checksumUrl?: string;
}

/** Where this platform's archive is. An engine with no archive for it is a StackError that names what exists. */
export async function findAsset(engine: EngineVersion, platform: Platform, fetchJson = getJson): Promise<Asset> {
  const release = engine.release!;
  if (!release.platforms[platform]) {
    throw new StackError(
      `${engine.name} ${engine.version} has no official release for ${platform} (upstream publishes ${Object.keys(release.platforms).join(', ')})`,
      `Name a ${engine.name} binary of your own in stack/engines.local.yaml, or use the Docker Compose stack (STACK_RUNTIME=compose).`,
    );
  }
  const values = platformValues(engine, platform);
  if (release.api) {
    const apiUrl = fill(release.api, values);
    const answer = (await fetchJson(apiUrl, engine)) as { url?: unknown; sha256?: unknown };
    if (typeof answer.url !== 'string' || typeof answer.sha256 !== 'string') {
      throw new StackError(`${apiUrl} did not answer a download URL and a sha256 for ${engine.name} ${engine.version} on ${platform}`, 'Check the version in stack/versions.yaml; npm run engines:install retries.');
    }
    return { url: answer.url, name: basename(new URL(answer.url).pathname), sha256: answer.sha256.toLowerCase() };
  }
  const url = fill(release.url!, values);
  const name = basename(new URL(url).pathname);
  return { url, name, checksumUrl: new URL(fill(release.checksums, { ...values, asset: name }), url).href };
}

/** Upstream's SHA-256 for the asset: from the API answer, or the line of its checksum file that names it. */
export async function upstreamHash(engine: EngineVersion, asset: Asset, fetchText = getText): Promise<string> {
  if (asset.sha256) return asset.sha256;
  const text = await fetchText(asset.checksumUrl!, engine);
  const hash = hashFor(text, asset.name);
  if (!hash) throw new StackError(`${asset.checksumUrl} has no SHA-256 for ${asset.name}`, `Check the release of ${engine.name} ${engine.version}; the kit installs nothing it cannot verify.`);
  return hash;
}

/** Reads a sha256sum-style file ("<hash>  <name>" lines, or a lone hash for a per-file .sha256). */
export function hashFor(text: string, name: string): string | undefined {
  const lines = text.split('\n').map((l) => l.trim()).filter(Boolean);
  for (const line of lines) {
    const [hash, file] = line.split(/\s+/, 2);
    if (hash && /^[a-f0-9]{64}$/i.test(hash) && file && basename(file.replace(/^\*/, '')) === name) return hash.toLowerCase();
  }
  if (lines.length === 1 && /^[a-f0-9]{64}$/i.test(lines[0]!.split(/\s+/)[0]!) && lines[0]!.split(/\s+/).length === 1) return lines[0]!.toLowerCase();
  return undefined;
}

export interface ReleaseInstall {
  record: InstallRecord;
  /** True when the lock had no entry for the asset and has one now. */
  lockRecorded: boolean;
}

/**
 * Installs one engine from its release into `finalDir`, by way of `<finalDir>.partial`: download, verify,
 * unpack, find the binaries, write install.json, rename. Any failure leaves nothing installed.
 */
export async function installRelease(engine: EngineVersion, options: { platform: Platform; finalDir: string; lock: LockFile; progress: Progress }): Promise<ReleaseInstall> {
  const { platform, finalDir, lock, progress } = options;
  const asset = await findAsset(engine, platform);
  const partial = `${finalDir}.partial`;
  rmSync(partial, { recursive: true, force: true });
  mkdirSync(partial, { recursive: true });
  try {
    const archive = join(partial, asset.name);
    const bytes = await download(asset.url, archive, engine, progress);
    const actual = await sha256File(archive);
    const locked = lockedHash(lock, engine, asset.name);
    const expected = locked ?? (await upstreamHash(engine, asset));
    if (actual !== expected) {
      throw new StackError(
        `${asset.url}: SHA-256 mismatch — expected ${expected} (${locked ? 'stack/engines.lock.yaml' : 'upstream checksum'}), got ${actual}; nothing was installed`,
        locked
          ? 'The download is not the archive the kit was locked to. Try again later; if upstream re-published it, refresh the lock with npm run engines:lock and review the change.'
          : 'The download is damaged or not what upstream published. Run npm run engines:install again.',
      );
    }
    const tree = join(partial, 'tree');
    await progress.step(`unpacking ${asset.name}`, () => unpack(archive, tree));
    rmSync(archive);
    const binaries = locateBinaries(engine.release!, tree, platformValues(engine, platform), engine);
    const record: InstallRecord = { engine: engine.name, version: engine.version, way: 'release', binaries, url: asset.url, sha256: actual, bytes, installedAt: new Date().toISOString() };
    writeFileSync(installRecordFile(partial), `${JSON.stringify(record, null, 2)}\n`);
    rmSync(finalDir, { recursive: true, force: true });
    mkdirSync(dirname(finalDir), { recursive: true });
    renameSync(partial, finalDir);
    const lockRecorded = !locked;
    if (lockRecorded) recordHash(lock, engine, asset.name, actual);
    return { record, lockRecorded };
  } catch (error) {
    rmSync(partial, { recursive: true, force: true });
    throw error;
  }
}

/** Finds each binary in the unpacked tree ("*" matches one folder), marks it executable; paths relative to the install folder. */
export function locateBinaries(release: ReleaseSpec, tree: string, values: Record<string, string>, engine: EngineVersion): Record<string, string> {
  const found: Record<string, string> = {};
  for (const [name, pattern] of Object.entries(release.binaries)) {
    const path = matchPath(tree, fill(pattern, values).split('/'));
    if (!path) throw new StackError(`${engine.name} ${engine.version}: the archive has no ${fill(pattern, values)} (for ${name})`, 'The release layout changed: fix release.binaries in stack/versions.yaml.');
    chmodSync(path, statSync(path).mode | 0o111);
    found[name] = relative(dirname(tree), path);
  }
  return found;
}

function matchPath(dir: string, segments: string[]): string | undefined {
  const [head, ...rest] = segments;
  if (head === undefined) return dir;
  const candidates = head === '*' ? readdirSync(dir).filter((entry) => statSync(join(dir, entry)).isDirectory()).sort() : [head];
  for (const candidate of candidates) {
    const next = join(dir, candidate);
    if (!existsSync(next)) continue;
    const match = rest.length === 0 ? (statSync(next).isFile() ? next : undefined) : statSync(next).isDirectory() ? matchPath(next, rest) : undefined;
    if (match) return match;
  }
  return undefined;
}

/** Streams `url` to `file`, reporting bytes and percent; a short or failed download is an error. */
export async function download(url: string, file: string, engine: EngineVersion, progress: Progress): Promise<number> {
  // Bounded waits, not a bounded download: 30 s for the server to answer, then 60 s without a byte at most
  // (a large archive on a slow line may take many minutes, and that is fine while bytes flow).
  const controller = new AbortController();
  let stalled = setTimeout(() => controller.abort(), 30_000);
  const stillFlowing = () => {
    clearTimeout(stalled);
    stalled = setTimeout(() => controller.abort(), 60_000);
  };
  let response: Response;
  try {
    response = await fetch(url, { redirect: 'follow', signal: controller.signal });
  } catch (error) {
    clearTimeout(stalled);
    throw unreachable(url, engine, error);
  }
  stillFlowing();
  if (!response.ok || !response.body) {
    clearTimeout(stalled);
    throw new StackError(`${url}: HTTP ${response.status} while downloading ${engine.name} ${engine.version}`, 'Check the version in stack/versions.yaml, or try again later.');
  }
  const total = Number(response.headers.get('content-length')) || undefined;
  let received = 0;
  let nextReport = 0;
  const label = `${engine.name} ${engine.version}`;
  progress.info(`… downloading ${label} (${total ? formatBytes(total) : 'size unknown'}) from ${url}`);
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      received += chunk.length;
      stillFlowing();
      const percent = total ? Math.floor((received / total) * 100) : undefined;
      if (percent !== undefined && percent >= nextReport) {
        progress.info(`  ${label}: ${formatBytes(received)} of ${formatBytes(total!)} (${percent}%)`);
        nextReport = percent + 10;
      }
      callback(null, chunk);
    },
  });
  try {
    await pipeline(Readable.fromWeb(response.body as import('node:stream/web').ReadableStream), counter, createWriteStream(file));
  } catch (error) {
    throw new StackError(`${url}: the download of ${label} broke off after ${formatBytes(received)} (${describeNetworkError(error)}); nothing was installed`, 'Run npm run engines:install again.');
  } finally {
    clearTimeout(stalled);
  }
  if (total !== undefined && received !== total) {
    throw new StackError(`${url}: the download of ${label} stopped at ${formatBytes(received)} of ${formatBytes(total)}; nothing was installed`, 'Run npm run engines:install again.');
  }
  if (total === undefined) progress.info(`  ${label}: ${formatBytes(received)}`);
  return received;
}

function unreachable(url: string, engine: EngineVersion, error: unknown): ReleaseUnreachable {
  return new ReleaseUnreachable(
    `cannot download ${engine.name} ${engine.version}: ${new URL(url).host} is unreachable (${describeNetworkError(error)})`,
    'Connect to the internet, or provide the engine another way (stack/engines.local.yaml, Docker Compose).',
  );
}

async function getBody(url: string, engine: EngineVersion, accept: string): Promise<string> {
  let response: Response;
  try {
    response = await fetch(url, { headers: { accept }, redirect: 'follow', signal: AbortSignal.timeout(30_000) });
  } catch (error) {
    throw unreachable(url, engine, error);
  }
  if (!response.ok) throw new StackError(`${url}: HTTP ${response.status} for ${engine.name} ${engine.version}`, 'Check the version in stack/versions.yaml, or try again later.');
  return response.text();
}

export const getText = (url: string, engine: EngineVersion) => getBody(url, engine, 'text/plain, */*');
export async function getJson(url: string, engine: EngineVersion): Promise<unknown> {
  const text = await getBody(url, engine, 'application/json');
  try {
    return JSON.parse(text);
  } catch {
    throw new StackError(`${url}: not JSON`, 'Try again later.');
  }
}

export async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(createReadStream(file), hash);
  return hash.digest('hex');
}

/** Unpacks a .tar.gz/.tgz or .zip archive into `dir`; entries that would land outside it are refused. */
export async function unpack(archive: string, dir: string): Promise<void> {
  mkdirSync(dir, { recursive: true });
  // The unpackers load only when an archive is unpacked, not with every command that imports this file.
  if (/\.zip$/i.test(archive)) await unzip((await import('yauzl')).default, archive, dir);
  else if (/\.(tar\.gz|tgz)$/i.test(archive)) await (await import('tar')).x({ file: archive, cwd: dir, strict: true });
  else throw new StackError(`${basename(archive)}: not a .tar.gz or .zip archive`, 'Fix release.url in stack/versions.yaml.');
}

function unzip(zipLibrary: typeof yauzl, archive: string, dir: string): Promise<void> {
  const root = resolve(dir);
  return new Promise((resolvePromise, reject) => {
    zipLibrary.open(archive, { lazyEntries: true, strictFileNames: true }, (openError, zip) => {
      if (openError || !zip) return reject(new StackError(`${basename(archive)}: not a readable zip (${openError?.message})`, 'Run npm run engines:install again.'));
      zip.on('error', reject);
      zip.on('end', () => resolvePromise());
      zip.on('entry', (entry: yauzl.Entry) => {
        const target = resolve(root, entry.fileName);
        if (target !== root && !target.startsWith(root + sep)) return reject(new StackError(`${basename(archive)}: entry ${entry.fileName} points outside the archive`, 'The kit does not unpack such archives.'));
        if (entry.fileName.endsWith('/')) {
          mkdirSync(target, { recursive: true });
          return zip.readEntry();
        }
        mkdirSync(dirname(target), { recursive: true });
        zip.openReadStream(entry, (streamError, stream) => {
          if (streamError || !stream) return reject(streamError);
          // The Unix mode sits in the upper 16 bits of the external attributes (zip made on Unix).
          const mode = (entry.externalFileAttributes >>> 16) & 0o777;
          pipeline(stream, createWriteStream(target, { mode: mode || 0o644 }))
            .then(() => zip.readEntry())
            .catch(reject);
        });
      });
      zip.readEntry();
    });
  });
}
