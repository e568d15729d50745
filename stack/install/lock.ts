/**
 * stack/engines.lock.yaml: the SHA-256 of every release asset the kit has installed or locked, by engine,
 * version and file name. An install whose asset is locked must match it; an install of an asset not locked yet
 * trusts upstream's checksum file and records the hash here, for someone to review and commit.
 * `npm run engines:lock` fills it for every platform from upstream's checksum files.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse, stringify } from 'yaml';
import { UsageError } from '../../lib/errors.ts';
import { repoRoot } from '../../lib/paths.ts';
import type { EngineVersion } from '../versions.ts';

/** engine → version → asset file name → sha256. */
export interface LockFile {
  file: string;
  entries: Record<string, Record<string, Record<string, string>>>;
  changed: boolean;
}

const header = `# stack/engines.lock.yaml — the SHA-256 of each official release asset, by engine, version and file name.
# Written by npm run engines:install (an asset installed for the first time) and npm run engines:lock (every
# platform, from upstream's checksum files). Review a change here like code: an install refuses an asset
# whose hash differs from the one locked.
`;

/** The lock file's path; tests point O11Y_LAB_LOCK elsewhere. */
export function lockFilePath(env: NodeJS.ProcessEnv = process.env): string {
  return resolve(env.O11Y_LAB_LOCK ?? join(repoRoot, 'stack', 'engines.lock.yaml'));
}

export function readLock(file: string): LockFile {
  if (!existsSync(file)) return { file, entries: {}, changed: false };
  let doc: unknown;
  try {
    doc = parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new UsageError(`${file}: not valid YAML (${(error as Error).message.split('\n')[0]})`, 'Restore it with git checkout stack/engines.lock.yaml.');
  }
  const entries = (doc ?? {}) as LockFile['entries'];
  for (const [engine, versions] of Object.entries(entries)) {
    for (const [version, assets] of Object.entries(versions ?? {})) {
      for (const [asset, hash] of Object.entries(assets ?? {})) {
        if (!/^[a-f0-9]{64}$/.test(String(hash))) throw new UsageError(`${file}: ${engine}.${version}.${asset} is not a SHA-256`, 'Restore it with git checkout stack/engines.lock.yaml.');
      }
    }
  }
  return { file, entries, changed: false };
}

export function lockedHash(lock: LockFile, engine: EngineVersion, asset: string): string | undefined {
  return lock.entries[engine.name]?.[engine.version]?.[asset];
}

export function recordHash(lock: LockFile, engine: EngineVersion, asset: string, sha256: string): void {
  const versions = (lock.entries[engine.name] ??= {});
  const assets = (versions[engine.version] ??= {});
  if (assets[asset] === sha256) return;
  assets[asset] = sha256;
  lock.changed = true;
}

/** Writes the lock if it changed, with its engines and versions in a stable order. */
export function saveLock(lock: LockFile): void {
  if (!lock.changed) return;
  const sorted = Object.fromEntries(
    Object.keys(lock.entries).sort().map((engine) => [
      engine,
      Object.fromEntries(Object.keys(lock.entries[engine]!).sort().map((version) => [version, Object.fromEntries(Object.entries(lock.entries[engine]![version]!).sort(([a], [b]) => a.localeCompare(b)))])),
    ]),
  );
  writeFileSync(lock.file, `${header}\n${Object.keys(sorted).length ? stringify(sorted) : '{}\n'}`);
  lock.changed = false;
}
