/**
 * Reads stack/versions.yaml — the single place where engine versions, origins and ports are pinned — into a
 * typed, validated catalogue. Every other module asks this one; none parses the file itself.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { UsageError } from '../lib/errors.ts';
import { repoRoot } from '../lib/paths.ts';

export const engineSources = ['go', 'ocb', 'debian', 'compose', 'node'] as const;
export type EngineSource = (typeof engineSources)[number];

export interface EngineVersion {
  name: string;
  version: string;
  source: EngineSource;
  /** Go: module@version (what the wrapper requires); ocb: the builder's module@version. */
  module?: string;
  /** Debian: the package that provides the binaries. */
  package?: string;
  /** Debian: where the package puts its binaries. */
  binDir?: string;
  binaries: string[];
  buildTags: string[];
  /** Go: the variable that `-ldflags -X` sets to the version, so `--version` tells the truth. */
  versionVar?: string;
  /** Go: verify modules with the checksum database; false relies on the wrapper's committed go.sum alone. */
  checksumDb: boolean;
  /** Container image for the compose stack, always with an exact tag. */
  image?: string;
  ports: Record<string, number>;
}

export const versionsFile = join(repoRoot, 'stack', 'versions.yaml');

export function parseVersions(text: string, file = versionsFile): Map<string, EngineVersion> {
  const doc = parse(text) as { engines?: Record<string, Record<string, unknown>> } | null;
  const where = (name: string, field: string) => `${file}: engines.${name}.${field}`;
  const fail = (message: string): never => {
    throw new UsageError(message, `Fix ${file}; every engine needs version, source and ports.`);
  };
  if (!doc?.engines || typeof doc.engines !== 'object') fail(`${file}: no "engines" map`);
  const engines = new Map<string, EngineVersion>();
  for (const [name, raw] of Object.entries(doc!.engines!)) {
    const version = raw.version;
    if (typeof version !== 'string' && typeof version !== 'number') fail(`${where(name, 'version')}: missing`);
    const source = raw.source as EngineSource;
    if (!engineSources.includes(source)) {
      fail(`${where(name, 'source')}: "${String(raw.source)}" is not one of ${engineSources.join(', ')}`);
    }
    if (/latest/i.test(String(version)) || (typeof raw.image === 'string' && !/:[^:/]+$/.test(raw.image))) {
      fail(`${where(name, 'image')}: every version must be pinned (no "latest", no untagged image)`);
    }
    const ports = (raw.ports ?? {}) as Record<string, unknown>;
    for (const [key, port] of Object.entries(ports)) {
      if (!Number.isInteger(port) || (port as number) < 1 || (port as number) > 65535) {
        fail(`${where(name, `ports.${key}`)}: "${String(port)}" is not a port number`);
      }
    }
    engines.set(name, {
      name,
      version: String(version),
      source,
      module: raw.module as string | undefined,
      package: raw.package as string | undefined,
      binDir: raw.bin_dir as string | undefined,
      binaries: (raw.binaries as string[] | undefined) ?? [],
      buildTags: (raw.build_tags as string[] | undefined) ?? [],
      versionVar: raw.version_var as string | undefined,
      checksumDb: raw.checksum_db !== false,
      image: raw.image as string | undefined,
      ports: ports as Record<string, number>,
    });
  }
  return engines;
}

let cached: Map<string, EngineVersion> | undefined;

/** The pinned engines, read once per process. */
export function loadVersions(): Map<string, EngineVersion> {
  cached ??= parseVersions(readFileSync(versionsFile, 'utf8'));
  return cached;
}

export function engineVersion(name: string): EngineVersion {
  const engine = loadVersions().get(name);
  if (!engine) {
    throw new UsageError(`unknown engine "${name}"`, `Use one of: ${[...loadVersions().keys()].join(', ')}.`);
  }
  return engine;
}

/** A named port of an engine, e.g. port('tempo', 'otlp_grpc'). */
export function port(engine: string, name: string): number {
  const value = engineVersion(engine).ports[name];
  if (value === undefined) throw new UsageError(`${versionsFile}: engines.${engine}.ports.${name} is missing`, 'Add the port to stack/versions.yaml.');
  return value;
}
