/**
 * Where each engine's binaries are: Debian packages in their package's directory, Go-built engines in the
 * cache outside the work tree, keyed by engine and version (so a version bump builds anew and never mixes).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { engineCacheDir } from '../lib/paths.ts';
import type { EngineVersion } from './versions.ts';

/** The directory holding a built engine: <cache>/engines/<engine>/<version>. */
export function engineBuildDir(engine: EngineVersion, env: NodeJS.ProcessEnv = process.env): string {
  return join(engineCacheDir(env), engine.name, engine.version);
}

export function binaryPath(engine: EngineVersion, binary: string, env: NodeJS.ProcessEnv = process.env): string {
  // The demo services run on the same Node.js as the kit itself.
  if (engine.source === 'node') return process.execPath;
  if (engine.source === 'debian') return join(engine.binDir ?? '/usr/bin', binary);
  return join(engineBuildDir(engine, env), 'bin', binary);
}

/** True when every binary of the engine is on disk. Compose-only engines are never "installed" natively. */
export function engineInstalled(engine: EngineVersion, env: NodeJS.ProcessEnv = process.env): boolean {
  if (engine.source === 'compose' || engine.binaries.length === 0) return false;
  return engine.binaries.every((binary) => existsSync(binaryPath(engine, binary, env)));
}
