/**
 * `engines:install` and `engines:status`: puts every native engine on disk, building only what is missing.
 *
 *   debian — `apt-get install --no-install-recommends`, with a policy-rc.d guard so the package's system
 *            service is never started (we run our own instance on our own data dir).
 *   go     — `go install tool` inside our wrapper module stack/engines/<engine>/ (go.mod + go.sum pinned),
 *            into the cache <cache>/engines/<engine>/<version>/bin.
 *   ocb    — installs the collector builder, then builds our distribution from stack/engines/<engine>/manifest.yaml.
 *
 * Builds go to a temporary directory and are moved into place when complete, so a cut-off build never
 * counts as installed.
 */
import { spawn } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { StackError } from '../lib/errors.ts';
import { repoRoot } from '../lib/paths.ts';
import { formatDuration, type Progress } from '../lib/progress.ts';
import { binaryPath, engineBuildDir, engineInstalled } from './binaries.ts';
import { loadVersions, type EngineVersion } from './versions.ts';

export interface EngineStatus {
  name: string;
  version: string;
  source: string;
  /** The first binary (the server); every binary must be present for `present` to be true. */
  path: string;
  present: boolean;
}

export function engineStatuses(env: NodeJS.ProcessEnv = process.env): EngineStatus[] {
  return [...loadVersions().values()]
    .filter((engine) => engine.source !== 'compose' && engine.source !== 'node')
    .map((engine) => ({
      name: engine.name,
      version: engine.version,
      source: engine.source,
      path: binaryPath(engine, engine.binaries[0]!, env),
      present: engineInstalled(engine, env),
    }));
}

export interface InstallResult {
  name: string;
  action: 'present' | 'installed' | 'built';
  ms: number;
}

/** Installs or builds every missing engine (or only `only`). Debian packages first: one apt run for all. */
export async function installEngines(progress: Progress, only: string[] = [], env: NodeJS.ProcessEnv = process.env): Promise<InstallResult[]> {
  const wanted = [...loadVersions().values()].filter(
    (engine) => (only.length === 0 || only.includes(engine.name)) && engine.source !== 'compose' && engine.source !== 'node',
  );
  const results: InstallResult[] = [];
  const missingDebian = wanted.filter((engine) => engine.source === 'debian' && !engineInstalled(engine, env));
  for (const engine of wanted.filter((e) => engineInstalled(e, env))) {
    progress.info(`✓ ${engine.name} ${engine.version} already installed`);
    results.push({ name: engine.name, action: 'present', ms: 0 });
  }
  if (missingDebian.length > 0) {
    const started = Date.now();
    await progress.step(`installing Debian packages ${missingDebian.map((e) => e.package).join(' ')}`, () => installDebian(missingDebian));
    for (const engine of missingDebian) results.push({ name: engine.name, action: 'installed', ms: Date.now() - started });
  }
  for (const engine of wanted.filter((e) => e.source !== 'debian' && !engineInstalled(e, env))) {
    const started = Date.now();
    await progress.step(`building ${engine.name} ${engine.version} from the Go module proxy`, () =>
      engine.source === 'ocb' ? buildCollector(engine, env) : buildGoEngine(engine, env),
    );
    results.push({ name: engine.name, action: 'built', ms: Date.now() - started });
  }
  const timed = results.filter((r) => r.action !== 'present');
  if (timed.length > 0) progress.info(`timings: ${timed.map((r) => `${r.name} ${formatDuration(r.ms)}`).join(', ')}`);
  return results;
}

async function installDebian(engines: EngineVersion[]): Promise<void> {
  if (process.platform !== 'linux' || !existsSync('/usr/bin/apt-get')) {
    throw new StackError(
      `${engines.map((e) => e.name).join(', ')} must come from your system's packages, and this is not a Debian-like system`,
      'Install them with your package manager, or use the Docker Compose stack (STACK_RUNTIME=compose).',
    );
  }
  const packages = engines.map((e) => e.package!);
  const asRoot = process.getuid?.() === 0;
  if (!asRoot) {
    throw new StackError(
      `missing system packages: ${packages.join(' ')}`,
      `Run: sudo apt-get install --no-install-recommends ${packages.join(' ')} (then npm run engines:install again).`,
    );
  }
  // policy-rc.d exit 101 = "do not start services": the packages' daemons must not grab the default ports.
  const policy = '/usr/sbin/policy-rc.d';
  const ownPolicy = !existsSync(policy);
  if (ownPolicy) writeFileSync(policy, '#!/bin/sh\n# written by o11y-lab-kit engines:install for the duration of apt-get\nexit 101\n', { mode: 0o755 });
  try {
    const aptEnv = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    const hasCandidate = await run('apt-cache', ['policy', ...packages], { env: aptEnv }).then((out) => !/Candidate: \(none\)/.test(out) && packages.every((p) => out.includes(`${p}:`)));
    if (!hasCandidate) await run('apt-get', ['update'], { env: aptEnv });
    await run('apt-get', ['install', '-y', '--no-install-recommends', ...packages], { env: aptEnv });
  } finally {
    if (ownPolicy) rmSync(policy, { force: true });
  }
}

/** `go install tool` in the wrapper module, into a temporary GOBIN, then moved into the cache. */
async function buildGoEngine(engine: EngineVersion, env: NodeJS.ProcessEnv): Promise<void> {
  const wrapper = join(repoRoot, 'stack', 'engines', engine.name);
  const finalDir = engineBuildDir(engine, env);
  const tmpDir = `${finalDir}.partial`;
  rmSync(tmpDir, { recursive: true, force: true });
  mkdirSync(join(tmpDir, 'bin'), { recursive: true });
  const args = ['install', '-trimpath'];
  if (engine.buildTags.length > 0) args.push('-tags', engine.buildTags.join(','));
  args.push('-ldflags', ['-s', '-w', ...(engine.versionVar ? [`-X ${engine.versionVar}=${engine.version}`] : [])].join(' '));
  args.push('tool');
  await run('go', args, { cwd: wrapper, env: goEnv(engine, env, join(tmpDir, 'bin')) });
  commitBuild(tmpDir, finalDir);
}

/** Installs the collector builder, then builds our distribution from the manifest. */
async function buildCollector(engine: EngineVersion, env: NodeJS.ProcessEnv): Promise<void> {
  const finalDir = engineBuildDir(engine, env);
  const tmpDir = `${finalDir}.partial`;
  rmSync(tmpDir, { recursive: true, force: true });
  mkdirSync(join(tmpDir, 'bin'), { recursive: true });
  const tools = join(engineBuildDir(engine, env), '..', `builder-${engine.version}`);
  if (!existsSync(join(tools, 'builder'))) {
    await run('go', ['install', engine.module!], { cwd: tmpDir, env: goEnv(engine, env, tools) });
  }
  const manifest = parse(readFileSync(join(repoRoot, 'stack', 'engines', engine.name, 'manifest.yaml'), 'utf8')) as { dist: Record<string, unknown> };
  manifest.dist.output_path = join(tmpDir, 'src');
  writeFileSync(join(tmpDir, 'manifest.yaml'), stringify(manifest));
  await run(join(tools, 'builder'), ['--config', join(tmpDir, 'manifest.yaml'), '--ldflags=-s -w'], { cwd: tmpDir, env: goEnv(engine, env, join(tmpDir, 'bin')) });
  const binary = engine.binaries[0]!;
  copyFileSync(join(tmpDir, 'src', binary), join(tmpDir, 'bin', binary));
  rmSync(join(tmpDir, 'src'), { recursive: true, force: true });
  chmodSync(join(tmpDir, 'bin', binary), 0o755);
  commitBuild(tmpDir, finalDir);
}

function commitBuild(tmpDir: string, finalDir: string): void {
  rmSync(finalDir, { recursive: true, force: true });
  renameSync(tmpDir, finalDir);
}

function goEnv(engine: EngineVersion, env: NodeJS.ProcessEnv, gobin: string): NodeJS.ProcessEnv {
  return {
    ...env,
    GOBIN: gobin,
    // Fail instead of downloading another Go toolchain; pure-Go builds need no C compiler.
    GOTOOLCHAIN: 'local',
    CGO_ENABLED: '0',
    GOFLAGS: '-buildvcs=false',
    // Without the checksum database, the committed go.sum is what pins every module's hash.
    ...(engine.checksumDb ? {} : { GOSUMDB: 'off' }),
  };
}

/** Runs a command, collecting its output; on failure the error carries the last lines. */
function run(command: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.once('error', (error) =>
      reject(new StackError(`could not run ${command}: ${error.message}`, command === 'go' ? 'Install Go 1.26 or newer (https://go.dev/dl/) and try again.' : `Install ${command} and try again.`)),
    );
    child.once('close', (code) => {
      if (code === 0) resolve(output);
      else reject(new StackError(`${command} ${args.slice(0, 3).join(' ')} failed (exit ${code}) in ${options.cwd ?? process.cwd()}`, 'Read the lines above; npm run engines:install retries only what is missing.', output.trimEnd().split('\n').slice(-15)));
    });
  });
}
