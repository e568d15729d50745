/**
 * Permissive engines built from the Go module proxy (the `source` way: offline or mirror-only machines, or
 * `engines:install -- --from-source`). Only engines whose licence allows it have a `source` entry in
 * stack/versions.yaml (versions.ts refuses others): Loki, Tempo, Grafana and k6 are never compiled.
 *
 *   go   `go install tool` inside our wrapper module stack/engines/<engine>/ (go.mod + go.sum pinned)
 *   ocb  the collector builder, building our distribution from stack/engines/<engine>/manifest.yaml
 *
 * Builds go to `<dir>.partial` and are renamed into place with their install.json, so a cut-off build never
 * counts as installed.
 */
import { chmodSync, copyFileSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parse, stringify } from 'yaml';
import { StackError } from '../../lib/errors.ts';
import { repoRoot } from '../../lib/paths.ts';
import { installRecordFile, type InstallRecord } from '../binaries.ts';
import type { EngineVersion } from '../versions.ts';
import { run } from './run.ts';

/** True when a Go toolchain answers: the source way needs one. */
export async function goAvailable(env: NodeJS.ProcessEnv = process.env): Promise<boolean> {
  return run('go', ['version'], { env }).then(() => true, () => false);
}

export async function buildFromSource(engine: EngineVersion, finalDir: string, env: NodeJS.ProcessEnv): Promise<InstallRecord> {
  if (!engine.source) throw new StackError(`${engine.name} cannot be built from source by the kit (${engine.licence ?? 'licence unknown'})`, 'Install its official release: npm run engines:install.');
  const partial = `${finalDir}.partial`;
  rmSync(partial, { recursive: true, force: true });
  mkdirSync(join(partial, 'bin'), { recursive: true });
  try {
    const built = engine.source.kind === 'ocb' ? await buildCollector(engine, partial, env) : await buildGoWrapper(engine, partial, env);
    const record: InstallRecord = { engine: engine.name, version: engine.version, way: 'source', binaries: built, installedAt: new Date().toISOString() };
    writeFileSync(installRecordFile(partial), `${JSON.stringify(record, null, 2)}\n`);
    rmSync(finalDir, { recursive: true, force: true });
    mkdirSync(dirname(finalDir), { recursive: true });
    renameSync(partial, finalDir);
    return record;
  } catch (error) {
    rmSync(partial, { recursive: true, force: true });
    throw error;
  }
}

/** `go install tool` in the wrapper module, into <partial>/bin. Binary names are the commands' names. */
async function buildGoWrapper(engine: EngineVersion, partial: string, env: NodeJS.ProcessEnv): Promise<Record<string, string>> {
  const source = engine.source!;
  const args = ['install', '-trimpath'];
  if (source.buildTags.length > 0) args.push('-tags', source.buildTags.join(','));
  args.push('-ldflags', ['-s', '-w', ...(source.versionVar ? [`-X ${source.versionVar}=${engine.version}`] : [])].join(' '));
  args.push('tool');
  await run('go', args, { cwd: join(repoRoot, 'stack', 'engines', engine.name), env: goEnv(env, join(partial, 'bin')) });
  return Object.fromEntries(source.binaries.map((binary) => [binary, join('bin', binary)]));
}

/** Installs the collector builder (kept beside the engine's versions), then builds our distribution. */
async function buildCollector(engine: EngineVersion, partial: string, env: NodeJS.ProcessEnv): Promise<Record<string, string>> {
  const tools = join(dirname(partial), `builder-${engine.version}`);
  if (!existsSync(join(tools, 'builder'))) await run('go', ['install', engine.source!.module], { cwd: partial, env: goEnv(env, tools) });
  const manifest = parse(readFileSync(join(repoRoot, 'stack', 'engines', engine.name, 'manifest.yaml'), 'utf8')) as { dist: Record<string, unknown> };
  const name = String(manifest.dist.name);
  manifest.dist.output_path = join(partial, 'src');
  writeFileSync(join(partial, 'manifest.yaml'), stringify(manifest));
  await run(join(tools, 'builder'), ['--config', join(partial, 'manifest.yaml'), '--ldflags=-s -w'], { cwd: partial, env: goEnv(env, join(partial, 'bin')) });
  copyFileSync(join(partial, 'src', name), join(partial, 'bin', name));
  chmodSync(join(partial, 'bin', name), 0o755);
  rmSync(join(partial, 'src'), { recursive: true, force: true });
  // Our distribution is one binary that serves every command the release's otelcol-contrib does.
  return Object.fromEntries(engine.source!.binaries.map((binary) => [binary, join('bin', name)]));
}

function goEnv(env: NodeJS.ProcessEnv, gobin: string): NodeJS.ProcessEnv {
  return {
    ...env,
    GOBIN: gobin,
    // Fail instead of downloading another Go toolchain; pure-Go builds need no C compiler.
    GOTOOLCHAIN: 'local',
    CGO_ENABLED: '0',
    GOFLAGS: '-buildvcs=false',
  };
}
