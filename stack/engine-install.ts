/**
 * `engines:install`, `engines:status` and `engines:lock`: puts every native engine in place in the first way
 * that works (stack/versions.yaml's header), and says where each one came from.
 *
 *   path     the user's own binary: only checked (it must report the pinned major.minor), never replaced
 *   release  the official archive for this platform (stack/install/release.ts), checked against the lock
 *   source   permissive engines, from the Go module proxy (stack/install/source.ts): asked for with
 *            --from-source, or used by itself when the release cannot be reached and Go is installed
 *   system   OS packages, one apt-get run for all of them (stack/install/system.ts)
 *
 * An engine that no way can provide is named at the end, one line each, with the ways to provide it; every
 * engine that could be installed is installed first.
 */
import { chmodSync, copyFileSync, existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { StackError, UsageError } from '../lib/errors.ts';
import { formatDuration, type Progress } from '../lib/progress.ts';
import { binaryPath, probeVersion, engineInstallDir, installRecordFile, type InstallRecord, localEnginesFile, pathVariable, resolveEngine, type InstallWay } from './binaries.ts';
import { currentPlatform, findAsset, ReleaseUnreachable, installRelease, upstreamHash } from './install/release.ts';
import { lockFilePath, readLock, recordHash, saveLock } from './install/lock.ts';
import { buildFromSource, goAvailable } from './install/source.ts';
import { installSystemPackages } from './install/system.ts';
import { nativeEngines, type EngineVersion, type Platform } from './versions.ts';

export interface EngineStatus {
  name: string;
  version: string;
  licence?: string;
  /** How it came in, or 'missing'. */
  way: InstallWay | 'missing';
  /** The version the binary reports, when asked for (--versions) and it could be run. */
  reported?: string;
  /** The server binary: where it is, or where an install would put it. */
  path: string;
  present: boolean;
  /** Why the binaries named cannot be used (wrong version, missing file). */
  problem?: string;
  /** The ways this engine can come in, in order of preference. */
  ways: string[];
}

/** The ways an engine can be provided, in order of preference. */
export function waysOf(engine: EngineVersion): string[] {
  if (engine.system) return ['path', 'system'];
  return ['path', ...(engine.release ? ['release'] : []), ...(engine.source ? ['source'] : [])];
}

export function engineStatuses(env: NodeJS.ProcessEnv = process.env): EngineStatus[] {
  return nativeEngines().map((engine) => {
    const resolved = resolveEngine(engine, env);
    const present = !!resolved && !resolved.problem;
    return {
      name: engine.name,
      version: engine.version,
      ...(engine.licence ? { licence: engine.licence } : {}),
      way: resolved?.way ?? 'missing',
      path: binaryPath(engine, engine.binaries[0]!, env),
      present,
      ...(resolved?.problem ? { problem: resolved.problem } : {}),
      ways: waysOf(engine),
    };
  });
}

/** What to do about an engine that nothing provides: one line naming every way. */
export function howToProvide(engine: EngineVersion, platform = currentPlatform()): string {
  const ways: string[] = [];
  if (engine.release && platform && engine.release.platforms[platform]) ways.push(`download its release with network (npm run engines:install ${engine.name})`);
  if (engine.source) ways.push(`build it from source with Go (npm run engines:install -- --from-source ${engine.name})`);
  if (engine.system) ways.push(`install the ${engine.system.package} package`);
  ways.push(`name your own binary in stack/engines.local.yaml or ${pathVariable(engine.name)}`);
  ways.push('or use Docker (STACK_RUNTIME=compose)');
  return `${engine.name} ${engine.version}: ${ways.join('; ')}`;
}

export interface InstallOptions {
  progress: Progress;
  /** Engine names; all native engines when empty. */
  only?: string[];
  /** Build permissive engines from the Go module proxy instead of downloading their releases. */
  fromSource?: boolean;
  /** Download nothing (also O11Y_LAB_OFFLINE=1): only binaries of one's own, source builds and OS packages. */
  offline?: boolean;
  env?: NodeJS.ProcessEnv;
  /** Defaults to this machine's; tests pass another. */
  platform?: Platform;
  /** The engines to consider (tests pass engines whose releases a local server serves). */
  engines?: EngineVersion[];
}

export interface InstallResult {
  name: string;
  way: InstallWay;
  action: 'present' | 'installed';
  ms: number;
  bytes?: number;
}

/** Installs every missing engine (or only `only`). Throws at the end, naming what could not be provided. */
export async function installEngines(options: InstallOptions): Promise<InstallResult[]> {
  const { progress, env = process.env } = options;
  const all = options.engines ?? nativeEngines();
  const only = options.only ?? [];
  const unknown = only.filter((name) => !all.some((engine) => engine.name === name));
  if (unknown.length > 0) throw new UsageError(`unknown engine ${unknown.map((u) => `"${u}"`).join(', ')}`, `Native engines are: ${all.map((e) => e.name).join(', ')}.`);
  const wanted = all.filter((engine) => only.length === 0 || only.includes(engine.name));
  const platform = options.platform ?? currentPlatform();
  const offline = options.offline ?? env.O11Y_LAB_OFFLINE === '1';
  const lock = readLock(lockFilePath(env));
  const results: InstallResult[] = [];
  const unprovided: string[] = [];
  const missing: EngineVersion[] = [];

  for (const engine of wanted) {
    const resolved = resolveEngine(engine, env);
    if (resolved?.problem) {
      throw new UsageError(`${engine.name}: ${resolved.problem}`, `Fix or remove the path in ${env[pathVariable(engine.name)] ? pathVariable(engine.name) : localEnginesFile(env)}, then try again.`);
    }
    if (resolved) {
      progress.info(`✓ ${engine.name} ${engine.version} (${resolved.way}: ${resolved.binaries[engine.binaries[0]!]})`);
      results.push({ name: engine.name, way: resolved.way, action: 'present', ms: 0 });
    } else {
      missing.push(engine);
    }
  }

  const system = missing.filter((engine) => engine.system);
  if (system.length > 0) {
    const started = Date.now();
    await progress.step(`installing system packages ${system.map((e) => e.system!.package).join(' ')}`, () => installSystemPackages(system));
    for (const engine of system) results.push({ name: engine.name, way: 'system', action: 'installed', ms: Date.now() - started });
  }

  let goChecked: boolean | undefined;
  const canBuild = async (engine: EngineVersion) => !!engine.source && (goChecked ??= await goAvailable(env));
  try {
    for (const engine of missing.filter((e) => !e.system)) {
      const dir = engineInstallDir(engine, env);
      const started = Date.now();
      let fallback: string | undefined;
      if (engine.release && !options.fromSource) {
        if (offline) {
          fallback = `${engine.name} ${engine.version}: offline (O11Y_LAB_OFFLINE=1), no release downloaded`;
        } else if (!platform || !engine.release.platforms[platform]) {
          fallback = `${engine.name} ${engine.version} has no official release for ${platform ?? `${process.platform}-${process.arch}`} (upstream publishes ${Object.keys(engine.release.platforms).join(', ')})`;
        } else {
          try {
            const { record, lockRecorded } = await installRelease(engine, { platform, finalDir: dir, lock, progress });
            progress.info(`✓ ${engine.name} ${engine.version} installed from its release (${formatDuration(Date.now() - started)}, sha256 ${record.sha256!.slice(0, 12)}…${lockRecorded ? ', recorded in stack/engines.lock.yaml' : ', as locked'})`);
            results.push({ name: engine.name, way: 'release', action: 'installed', ms: Date.now() - started, ...(record.bytes ? { bytes: record.bytes } : {}) });
            continue;
          } catch (error) {
            if (!(error instanceof ReleaseUnreachable)) throw error;
            fallback = error.message;
          }
        }
      }
      if ((options.fromSource || fallback) && (await canBuild(engine))) {
        if (fallback) progress.info(`  ${fallback}: building ${engine.name} from source instead`);
        await progress.step(`building ${engine.name} ${engine.version} from the Go module proxy`, () => buildFromSource(engine, dir, env));
        results.push({ name: engine.name, way: 'source', action: 'installed', ms: Date.now() - started });
        continue;
      }
      if (fallback) progress.info(`✗ ${fallback}`);
      if (options.fromSource && !engine.source) progress.info(`  ${engine.name} is ${engine.licence}: the kit never builds it; it needs its release or a binary of your own`);
      unprovided.push(howToProvide(engine, platform));
    }
  } finally {
    saveLock(lock);
  }

  const timed = results.filter((r) => r.action === 'installed');
  if (timed.length > 0) progress.info(`timings: ${timed.map((r) => `${r.name} ${formatDuration(r.ms)}`).join(', ')}`);
  if (unprovided.length > 0) {
    throw new StackError(
      `${unprovided.length === 1 ? 'one engine' : `${unprovided.length} engines`} could not be installed here`,
      'Provide each one in one of the ways above, then run the command again.',
      unprovided,
    );
  }
  return results;
}

/** Reads and checks the user's own binaries' versions, for engines:status --versions. */
export function reportedVersions(statuses: EngineStatus[], env: NodeJS.ProcessEnv = process.env): EngineStatus[] {
  return statuses.map((status) => {
    if (!status.present || status.way === 'system') return status;
    const engine = nativeEngines().find((e) => e.name === status.name)!;
    const { reported, problem } = probeVersion(engine, status.path);
    return { ...status, ...(reported ? { reported } : {}), ...(problem ? { problem } : {}) };
  });
}

/**
 * `engines:lock`: the SHA-256 of every release asset of every platform, from upstream's checksum files (or the
 * downloads API), into stack/engines.lock.yaml. Needs network; changes nothing but the lock.
 */
export async function lockReleases(options: { progress: Progress; env?: NodeJS.ProcessEnv; engines?: EngineVersion[] }): Promise<number> {
  const env = options.env ?? process.env;
  const lock = readLock(lockFilePath(env));
  let count = 0;
  try {
    for (const engine of (options.engines ?? nativeEngines()).filter((e) => e.release)) {
      await options.progress.step(`locking ${engine.name} ${engine.version}`, async () => {
        for (const platform of Object.keys(engine.release!.platforms) as Platform[]) {
          const asset = await findAsset(engine, platform);
          recordHash(lock, engine, asset.name, await upstreamHash(engine, asset));
          count += 1;
        }
      });
    }
  } finally {
    saveLock(lock);
  }
  return count;
}

/**
 * `engines:adopt <engine> <binary>`: copies a binary of the user's own into the engine cache, so every checkout
 * on this machine uses it without naming it again. It must report the pinned major.minor; the engine's other
 * commands (promtool beside prometheus) are taken from the same folder.
 */
export function adoptBinary(engine: EngineVersion, binary: string, env: NodeJS.ProcessEnv = process.env): InstallRecord {
  const first = resolve(binary);
  const sources = Object.fromEntries(engine.binaries.map((name, index) => [name, index === 0 ? first : join(dirname(first), name)]));
  for (const path of Object.values(sources)) {
    if (!existsSync(path)) throw new UsageError(`${path} does not exist`, `Name the ${engine.name} binary (its other commands, ${engine.binaries.slice(1).join(', ') || 'none'}, must sit beside it).`);
  }
  const { problem } = probeVersion(engine, first);
  if (problem) throw new UsageError(`${engine.name}: ${problem}`, `Use a ${engine.name} ${engine.version.split('.').slice(0, 2).join('.')}.x binary.`);
  const finalDir = engineInstallDir(engine, env);
  const partial = `${finalDir}.partial`;
  rmSync(partial, { recursive: true, force: true });
  mkdirSync(join(partial, 'bin'), { recursive: true });
  const binaries: Record<string, string> = {};
  for (const [name, path] of Object.entries(sources)) {
    binaries[name] = join('bin', basename(path));
    copyFileSync(path, join(partial, binaries[name]!));
    chmodSync(join(partial, binaries[name]!), 0o755);
  }
  const record: InstallRecord = { engine: engine.name, version: engine.version, way: 'path', binaries, from: first, installedAt: new Date().toISOString() };
  writeFileSync(installRecordFile(partial), `${JSON.stringify(record, null, 2)}\n`);
  rmSync(finalDir, { recursive: true, force: true });
  renameSync(partial, finalDir);
  return record;
}
