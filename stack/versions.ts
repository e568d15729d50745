/**
 * Reads stack/versions.yaml — the single place where engine versions, origins and ports are pinned — into a
 * typed, validated catalogue. Every other module asks this one; none parses the file itself.
 */
import { createHash } from 'node:crypto';
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { UsageError } from '../lib/errors.ts';
import { modulesRoot, repoRoot, runsCompiled } from '../lib/paths.ts';

/** An OS and CPU as Go and most release pages name them: linux-amd64, darwin-arm64, … */
export type Platform = `${'linux' | 'darwin' | 'windows'}-${'amd64' | 'arm64'}`;

/** The official release archives of an engine. */
export interface ReleaseSpec {
  /** The archive's URL template ({version}, {os}, {arch}, {ext}); absent when an API names it (Grafana). */
  url?: string;
  /** A downloads API that answers { url, sha256 } for a version, OS and architecture (grafana.com). */
  api?: string;
  /** Upstream's checksum file beside the asset (a name or template, sha256sum format), or "grafana-api". */
  checksums: string;
  /** Where upstream publishes an archive, with the names it uses when they differ from Go's. */
  platforms: Partial<Record<Platform, { os?: string; arch?: string; ext?: string }>>;
  /** Command the kit runs → its path inside the unpacked archive ("*" matches one folder level). */
  binaries: Record<string, string>;
}

/** A build from the Go module proxy, for permissive engines only. */
export interface SourceSpec {
  kind: 'go' | 'ocb';
  /** go: the module@version our wrapper requires; ocb: the collector builder's module@version. */
  module: string;
  binaries: string[];
  buildTags: string[];
  /** go: the variable that `-ldflags -X` sets to the version, so `--version` tells the truth. */
  versionVar?: string;
  /** What a source build lacks that the release and the image have, in words (the site says so). */
  lacks?: string;
}

/** Binaries from the operating system's packages. */
export interface SystemSpec {
  package: string;
  binDir: string;
  binaries: string[];
}

/**
 * Where an engine comes from, for the site and status tables: official releases (maybe built from source
 * instead), OS packages, this repository on Node.js, or the compose stack only.
 */
export type EngineOrigin = 'release' | 'system' | 'node' | 'compose';

export interface EngineVersion {
  name: string;
  version: string;
  licence?: string;
  origin: EngineOrigin;
  release?: ReleaseSpec;
  source?: SourceSpec;
  system?: SystemSpec;
  /** Arguments that make the binary print its version (checked for the `path` way). */
  versionArgs: string[];
  /** The commands the kit runs, in order; the first is the server. */
  binaries: string[];
  /** Container image for the compose stack, always with an exact tag. */
  image?: string;
  ports: Record<string, number>;
}

/** Licences that the kit may compile from source (ENGINES.md §0); everything else runs as released. */
const buildableLicences = new Set(['Apache-2.0', 'MIT', 'BSD-3-Clause']);

export const versionsFile = join(repoRoot, 'stack', 'versions.yaml');

type Raw = Record<string, unknown>;

export function parseVersions(text: string, file = versionsFile): Map<string, EngineVersion> {
  const doc = parse(text) as { engines?: Record<string, Raw> } | null;
  const where = (name: string, field: string) => `${file}: engines.${name}.${field}`;
  const fail = (message: string): never => {
    throw new UsageError(message, `Fix ${file}; stack/versions.yaml's header says what each engine needs.`);
  };
  if (!doc?.engines || typeof doc.engines !== 'object') fail(`${file}: no "engines" map`);
  const engines = new Map<string, EngineVersion>();
  for (const [name, raw] of Object.entries(doc!.engines!)) {
    const version = raw.version;
    if (typeof version !== 'string' && typeof version !== 'number') fail(`${where(name, 'version')}: missing`);
    if (/latest|-(rc|alpha|beta|dev)/i.test(String(version))) fail(`${where(name, 'version')}: "${String(version)}" must be a pinned release (no "latest", no pre-release)`);
    if (typeof raw.image === 'string' && !/:[^:/]+$/.test(raw.image)) fail(`${where(name, 'image')}: every image must be pinned to an exact tag`);
    const ports = (raw.ports ?? {}) as Record<string, unknown>;
    for (const [key, port] of Object.entries(ports)) {
      if (!Number.isInteger(port) || (port as number) < 1 || (port as number) > 65535) {
        fail(`${where(name, `ports.${key}`)}: "${String(port)}" is not a port number`);
      }
    }
    const licence = raw.licence as string | undefined;
    const release = raw.release ? parseRelease(raw.release as Raw, (field) => where(name, `release.${field}`), fail) : undefined;
    const source = raw.source ? parseSource(raw.source as Raw, (field) => where(name, `source.${field}`), fail) : undefined;
    if (source && !buildableLicences.has(licence ?? '')) {
      fail(`${where(name, 'source')}: ${name} is ${licence ?? 'of unknown licence'}; the kit builds only permissive engines from source (ENGINES.md §0)`);
    }
    const systemRaw = raw.system as Raw | undefined;
    const system = systemRaw
      ? { package: String(systemRaw.package), binDir: String(systemRaw.bin_dir ?? '/usr/bin'), binaries: (systemRaw.binaries as string[] | undefined) ?? [] }
      : undefined;
    const origin: EngineOrigin = raw.node ? 'node' : raw.compose_only ? 'compose' : system ? 'system' : 'release';
    if (origin === 'release' && !release && !source) fail(`${where(name, 'release')}: an engine needs a release, a source build, system packages, node: true or compose_only: true`);
    const binaries = origin === 'node' ? ['node'] : system?.binaries ?? (release ? Object.keys(release.binaries) : source?.binaries ?? []);
    for (const binary of source?.binaries ?? []) {
      if (!binaries.includes(binary)) fail(`${where(name, 'source.binaries')}: "${binary}" is not one of the release's commands (${binaries.join(', ')})`);
    }
    engines.set(name, {
      name,
      version: String(version),
      ...(licence ? { licence } : {}),
      origin,
      ...(release ? { release } : {}),
      ...(source ? { source } : {}),
      ...(system ? { system } : {}),
      versionArgs: (raw.version_args as string[] | undefined) ?? ['--version'],
      binaries,
      image: raw.image as string | undefined,
      ports: ports as Record<string, number>,
    });
  }
  return engines;
}

function parseRelease(raw: Raw, where: (field: string) => string, fail: (message: string) => never): ReleaseSpec {
  if (typeof raw.url !== 'string' && typeof raw.api !== 'string') fail(`${where('url')}: a release needs a url (or an api)`);
  if (typeof raw.checksums !== 'string') fail(`${where('checksums')}: say where the SHA-256 comes from (upstream's checksum file)`);
  const platforms = (raw.platforms ?? {}) as ReleaseSpec['platforms'];
  for (const key of Object.keys(platforms)) {
    if (!/^(linux|darwin|windows)-(amd64|arm64)$/.test(key)) fail(`${where(`platforms.${key}`)}: not a platform like linux-amd64`);
  }
  const binaries = (raw.binaries ?? {}) as Record<string, string>;
  if (Object.keys(binaries).length === 0) fail(`${where('binaries')}: name at least one binary and its path in the archive`);
  return {
    ...(typeof raw.url === 'string' ? { url: raw.url } : {}),
    ...(typeof raw.api === 'string' ? { api: raw.api } : {}),
    checksums: raw.checksums as string,
    platforms: Object.fromEntries(Object.entries(platforms).map(([key, value]) => [key, value ?? {}])),
    binaries,
  };
}

function parseSource(raw: Raw, where: (field: string) => string, fail: (message: string) => never): SourceSpec {
  const kind = typeof raw.go === 'string' ? 'go' : typeof raw.ocb === 'string' ? 'ocb' : fail(`${where('go')}: a source build names a Go module (go:) or the collector builder (ocb:)`);
  return {
    kind,
    module: String(raw[kind]),
    binaries: (raw.binaries as string[] | undefined) ?? [],
    buildTags: (raw.build_tags as string[] | undefined) ?? [],
    ...(typeof raw.version_var === 'string' ? { versionVar: raw.version_var } : {}),
    ...(typeof raw.lacks === 'string' ? { lacks: raw.lacks } : {}),
  };
}

let cached: Map<string, EngineVersion> | undefined;

/**
 * The pinned engines, read once per process. Parsing the YAML takes some 30 ms of every command's start (as
 * long as the checks of a lab), so the compiled kit (scripts/compiled.mjs) keeps the parsed engines beside its
 * build: a new build comes with any edit of this parser, and the copy names the text it was parsed from.
 */
export function loadVersions(): Map<string, EngineVersion> {
  cached ??= readVersions(readFileSync(versionsFile, 'utf8'), runsCompiled ? join(modulesRoot, 'versions.json') : undefined);
  return cached;
}

/**
 * The engines of versions.yaml's `text`: from `copy` when it was written for this very text, else parsed (and
 * validated) and, with `copy`, written there for the next command.
 */
export function readVersions(text: string, copy?: string, file = versionsFile): Map<string, EngineVersion> {
  if (!copy) return parseVersions(text, file);
  const source = createHash('sha256').update(text).digest('hex');
  try {
    const saved = JSON.parse(readFileSync(copy, 'utf8')) as { source?: string; engines?: [string, EngineVersion][] };
    if (saved.source === source && Array.isArray(saved.engines)) return new Map(saved.engines);
  } catch {
    // no copy yet, or an unreadable one: parse
  }
  const engines = parseVersions(text, file);
  // Written under a temporary name and renamed, so a command started at the same time reads all of it or none.
  const partial = `${copy}.partial-${process.pid}`;
  try {
    writeFileSync(partial, JSON.stringify({ source, engines: [...engines] }));
    renameSync(partial, copy);
  } catch {
    // only a copy: the next command parses again
    rmSync(partial, { force: true });
  }
  return engines;
}

export function engineVersion(name: string): EngineVersion {
  const engine = loadVersions().get(name);
  if (!engine) {
    throw new UsageError(`unknown engine "${name}"`, `Use one of: ${[...loadVersions().keys()].join(', ')}.`);
  }
  return engine;
}

/** Engines that run natively from binaries (not the demo apps, not compose-only ones). */
export function nativeEngines(): EngineVersion[] {
  return [...loadVersions().values()].filter((engine) => engine.origin === 'release' || engine.origin === 'system');
}

/** A named port of an engine, e.g. port('tempo', 'otlp_grpc'). */
export function port(engine: string, name: string): number {
  const value = engineVersion(engine).ports[name];
  if (value === undefined) throw new UsageError(`${versionsFile}: engines.${engine}.ports.${name} is missing`, 'Add the port to stack/versions.yaml.');
  return value;
}
