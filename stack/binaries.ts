/**
 * Where each engine's binaries are, whichever way they came in (stack/versions.yaml's header):
 *
 *   path     a binary of the user's own, named in stack/engines.local.yaml or O11Y_LAB_<ENGINE>_PATH
 *   release  an official archive unpacked into the engine cache by engines:install
 *   source   a Go module build in the engine cache
 *   system   the OS packages' directory (PostgreSQL, Redis, InfluxDB)
 *
 * The cache holds one folder per engine and version, <cache>/engines/<engine>/<version>/, with an
 * install.json that records how it came in and where each binary sits inside it. A folder without that
 * record (a cut-off install) does not count.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { parse } from 'yaml';
import { UsageError } from '../lib/errors.ts';
import { engineCacheDir, repoRoot } from '../lib/paths.ts';
import type { EngineVersion } from './versions.ts';

export type InstallWay = 'path' | 'release' | 'source' | 'system' | 'node';

/** What engines:install writes beside an installed engine. */
export interface InstallRecord {
  engine: string;
  version: string;
  /** release and source: installed by engines:install; path: a binary of the user's own, copied in by engines:adopt. */
  way: 'release' | 'source' | 'path';
  /** Command → path relative to the install folder. */
  binaries: Record<string, string>;
  /** For a release: where it came from and what it hashed to; for an adopted binary, where it was copied from. */
  url?: string;
  from?: string;
  sha256?: string;
  bytes?: number;
  installedAt: string;
}

export interface ResolvedEngine {
  way: InstallWay;
  /** Command → absolute path. */
  binaries: Record<string, string>;
  /** Grafana's home: the release tree that holds bin/, conf/ and public/. */
  home?: string;
  /** Why these binaries cannot be used (missing file, wrong version); absent when they can. */
  problem?: string;
}

/** The folder an engine is installed into: <cache>/engines/<engine>/<version>. */
export function engineInstallDir(engine: EngineVersion, env: NodeJS.ProcessEnv = process.env): string {
  return join(engineCacheDir(env), engine.name, engine.version);
}

export const installRecordFile = (dir: string) => join(dir, 'install.json');

export function readInstallRecord(dir: string): InstallRecord | undefined {
  try {
    return JSON.parse(readFileSync(installRecordFile(dir), 'utf8')) as InstallRecord;
  } catch {
    return undefined;
  }
}

/** stack/engines.local.yaml (git-ignored): binaries of the user's own. Tests point O11Y_LAB_ENGINES_LOCAL elsewhere. */
export function localEnginesFile(env: NodeJS.ProcessEnv = process.env): string {
  return resolve(env.O11Y_LAB_ENGINES_LOCAL ?? join(repoRoot, 'stack', 'engines.local.yaml'));
}

/** The variable that names an engine's binary: O11Y_LAB_LOKI_PATH, O11Y_LAB_NODE_EXPORTER_PATH, … */
export const pathVariable = (engine: string) => `O11Y_LAB_${engine.toUpperCase().replace(/[^A-Z0-9]/g, '_')}_PATH`;

/**
 * The user's own binaries for an engine, if named: command → path. One path names the engine's first
 * command; its other commands (promtool beside prometheus) are looked for in the same folder.
 */
export function configuredPaths(engine: EngineVersion, env: NodeJS.ProcessEnv = process.env): Record<string, string> | undefined {
  const fromEnv = env[pathVariable(engine.name)];
  let named: unknown = fromEnv;
  if (!named) {
    const file = localEnginesFile(env);
    if (!existsSync(file)) return undefined;
    let doc: Record<string, unknown> | null;
    try {
      doc = parse(readFileSync(file, 'utf8')) as Record<string, unknown> | null;
    } catch (error) {
      throw new UsageError(`${file}: not valid YAML (${(error as Error).message.split('\n')[0]})`, 'Fix the file: each line is "<engine>: /path/to/its/binary".');
    }
    named = doc?.[engine.name];
    if (named === undefined || named === null) return undefined;
  }
  if (typeof named === 'string') {
    const first = resolve(named);
    return Object.fromEntries(engine.binaries.map((binary, index) => [binary, index === 0 ? first : join(dirname(first), binary)]));
  }
  if (named && typeof named === 'object') {
    const map = named as Record<string, string>;
    const base = dirname(resolve(String(Object.values(map)[0] ?? '.')));
    return Object.fromEntries(engine.binaries.map((binary) => [binary, resolve(map[binary] ?? join(base, binary))]));
  }
  throw new UsageError(`${localEnginesFile(env)}: ${engine.name} must be a path or a map of command to path`, 'Write "<engine>: /path/to/its/binary".');
}

const versionChecks = new Map<string, { reported?: string; problem?: string }>();

/**
 * Runs the binary to read its version, and says whether it is the pinned major.minor. Remembered per binary
 * for the life of the process (a command asks several times).
 */
export function probeVersion(engine: EngineVersion, binary: string): { reported?: string; problem?: string } {
  const key = `${engine.name}\0${binary}`;
  const known = versionChecks.get(key);
  if (known) return known;
  let output: string;
  let result: { reported?: string; problem?: string };
  try {
    output = execFileSync(binary, engine.versionArgs, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 10_000 });
  } catch (error) {
    // Some programs print their version on stderr, or exit non-zero after printing it.
    const e = error as NodeJS.ErrnoException & { stdout?: string; stderr?: string };
    output = `${e.stdout ?? ''}${e.stderr ?? ''}`;
    if (!reportedVersion(output)) {
      result = { problem: `${binary} could not be run (${e.code ?? e.message.split('\n')[0]})` };
      versionChecks.set(key, result);
      return result;
    }
  }
  const reported = reportedVersion(output);
  if (!reported) result = { problem: `${binary} ${engine.versionArgs.join(' ')} printed no version` };
  else if (majorMinor(reported) !== majorMinor(engine.version)) result = { reported, problem: `${binary} is ${engine.name} ${reported}, but the kit pins ${engine.version} (major.minor must match)` };
  else result = { reported };
  versionChecks.set(key, result);
  return result;
}

export const checkReportedVersion = (engine: EngineVersion, binary: string) => probeVersion(engine, binary).problem;

/** The first version number in a program's --version output: "loki, version 3.7.6 (…)" → 3.7.6. */
export function reportedVersion(output: string): string | undefined {
  return /\bv?(\d+\.\d+(?:\.\d+)?)/.exec(output)?.[1];
}

const majorMinor = (version: string) => version.split('.').slice(0, 2).join('.');

/** Finds an engine's binaries, in the order of preference; undefined when no way has provided them. */
export function resolveEngine(engine: EngineVersion, env: NodeJS.ProcessEnv = process.env): ResolvedEngine | undefined {
  if (engine.origin === 'node') return { way: 'node', binaries: { node: process.execPath } };
  if (engine.origin === 'compose') return undefined;

  const own = configuredPaths(engine, env);
  if (own) {
    const missing = Object.values(own).find((path) => !existsSync(path));
    const problem = missing ? `${missing} does not exist (named by ${env[pathVariable(engine.name)] ? pathVariable(engine.name) : localEnginesFile(env)})` : checkReportedVersion(engine, own[engine.binaries[0]!]!);
    return { way: 'path', binaries: own, ...homeOf(engine, own), ...(problem ? { problem } : {}) };
  }

  const dir = engineInstallDir(engine, env);
  const record = readInstallRecord(dir);
  if (record && record.version === engine.version) {
    const binaries = Object.fromEntries(Object.entries(record.binaries).map(([name, rel]) => [name, isAbsolute(rel) ? rel : join(dir, rel)]));
    if (engine.binaries.every((b) => binaries[b] && existsSync(binaries[b]))) return { way: record.way, binaries, ...homeOf(engine, binaries) };
  }

  if (engine.system) {
    const binaries = Object.fromEntries(engine.system.binaries.map((b) => [b, join(engine.system!.binDir, b)]));
    if (Object.values(binaries).every((path) => existsSync(path))) return { way: 'system', binaries };
  }
  return undefined;
}

/** Grafana runs from its release tree: home is the folder above bin/grafana. */
function homeOf(engine: EngineVersion, binaries: Record<string, string>): { home?: string } {
  return engine.name === 'grafana' && binaries.grafana ? { home: dirname(dirname(binaries.grafana)) } : {};
}

/** True when every binary of the engine is there and usable. Compose-only engines are never installed natively. */
export function engineInstalled(engine: EngineVersion, env: NodeJS.ProcessEnv = process.env): boolean {
  const resolved = resolveEngine(engine, env);
  return !!resolved && !resolved.problem;
}

/** The path of one of an engine's commands: where it is, or (not installed) where a release would put it. */
export function binaryPath(engine: EngineVersion, binary: string, env: NodeJS.ProcessEnv = process.env): string {
  const resolved = resolveEngine(engine, env);
  if (resolved?.binaries[binary]) return resolved.binaries[binary]!;
  if (engine.system) return join(engine.system.binDir, binary);
  return join(engineInstallDir(engine, env), binary);
}

/** The home folder of an engine that runs from its whole release tree (Grafana). */
export function engineHome(engine: EngineVersion, env: NodeJS.ProcessEnv = process.env): string | undefined {
  return resolveEngine(engine, env)?.home;
}
