/**
 * The course site commands: `site:build [-- --module <m>…]` and `site:start`. They run the Docusaurus CLI
 * with the module selection in O11Y_SITE_MODULES (read back by docusaurus.config.ts and sidebars.ts), show
 * progress, and keep Docusaurus's own output in .lab/logs/ unless it fails.
 *
 *   npm run site:build                          every module
 *   npm run site:build -- --module 02           02-metrics plus the shared pages (also: 2, 02-metrics, metrics)
 *   npm run site:build -- --module 02 --module 04
 *   npm run site:start                          development server on 127.0.0.1:3030, reloads on edits
 *   npm run site:serve                          serves the built site (build/) on 127.0.0.1:3030
 */
import { spawn } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { UsageError } from '../lib/errors.ts';
import { repoRoot, stateDir } from '../lib/paths.ts';
import { createProgress, formatDuration } from '../lib/progress.ts';
import { tailFile } from '../stack/native/process.ts';
import { port } from '../stack/versions.ts';
import { allModules, modulesEnv, resolveModules } from '../labs/modules.ts';

const docusaurusBin = join(repoRoot, 'node_modules', '@docusaurus', 'core', 'bin', 'docusaurus.mjs');
export const defaultOutDir = join(repoRoot, 'build');

/** No update checks, no browserslist nagging: the site builds offline and says nothing it was not asked. */
const quietEnv = { NO_UPDATE_NOTIFIER: '1', BROWSERSLIST_IGNORE_OLD_DATA: '1' };

/** `--module 02 --module=04,05` → ['02', '04,05']; anything else is a usage error. */
export function moduleArgs(argv: string[]): string[] {
  const keys: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') continue; // as npm passes it through from a direct `node scripts/run.mjs … -- …`
    if (arg === '--module' || arg === '-m') {
      const value = argv[++i];
      if (value === undefined || value.startsWith('-')) throw new UsageError(`${arg} needs a module`, `Example: npm run site:build -- --module 02. Modules: ${allModules.join(', ')}.`);
      keys.push(value);
    } else if (arg.startsWith('--module=')) keys.push(arg.slice('--module='.length));
    else throw new UsageError(`unknown argument "${arg}"`, 'Use --module <m> (repeatable), for example npm run site:build -- --module 02 --module 04.');
  }
  return keys;
}

/** The module folders named on the command line (every module when none is). */
export function chooseModules(argv: string[]): string[] {
  const keys = moduleArgs(argv);
  if (keys.length === 0) return allModules;
  try {
    return resolveModules(keys);
  } catch (error) {
    throw new UsageError((error as Error).message, 'Name a module by number (02), folder (02-metrics) or name (metrics).');
  }
}

export interface BuildResult {
  outDir: string;
  modules: string[];
  ms: number;
  /** HTML pages written, redirects and the 404 page included. */
  pages: number;
}

export interface BuildOptions {
  modules: string[];
  outDir?: string;
  logFile?: string;
  /**
   * Where Docusaurus writes its generated sources (default .docusaurus/). Two builds that run at once (tests)
   * need one each; so they also go without the persistent bundler cache, which they would share.
   */
  generatedDir?: string;
}

/** Builds the site for `modules` into `outDir`; Docusaurus's output goes to `logFile`. */
export async function buildSite(options: BuildOptions): Promise<BuildResult> {
  const outDir = options.outDir ?? defaultOutDir;
  const logFile = options.logFile ?? join(stateDir(), 'logs', 'site-build.log');
  const started = Date.now();
  const isolated = options.generatedDir ? { DOCUSAURUS_GENERATED_FILES_DIR_NAME: relative(repoRoot, options.generatedDir), DOCUSAURUS_NO_PERSISTENT_CACHE: '1' } : {};
  const env = { ...process.env, ...quietEnv, ...isolated, [modulesEnv]: options.modules.length === allModules.length ? '' : options.modules.join(',') };
  const code = await runDocusaurus(['build', '--out-dir', outDir], env, logFile);
  if (code !== 0) {
    throw new UsageError(`the course site did not build (docusaurus exited ${code})`, `Fix what the lines above name; the whole output is in ${relative(repoRoot, logFile)}.`, tailFile(logFile, 25));
  }
  return { outDir, modules: options.modules, ms: Date.now() - started, pages: countPages(outDir) };
}

function runDocusaurus(args: string[], env: NodeJS.ProcessEnv, logFile: string): Promise<number | null> {
  mkdirSync(join(logFile, '..'), { recursive: true });
  const log = createWriteStream(logFile);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [docusaurusBin, ...args], { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.pipe(log, { end: false });
    child.stderr.pipe(log, { end: false });
    child.once('error', reject);
    child.once('close', (code) => log.end(() => resolve(code)));
  });
}

export function countPages(dir: string): number {
  if (!existsSync(dir)) return 0;
  return readdirSync(dir).reduce((count, name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return count + countPages(path);
    return count + (name.endsWith('.html') ? 1 : 0);
  }, 0);
}

const describeModules = (modules: string[]) => (modules.length === allModules.length ? `all ${modules.length} modules` : `module${modules.length > 1 ? 's' : ''} ${modules.join(', ')} and the shared pages`);

export async function siteBuild(argv: string[]): Promise<number> {
  const modules = chooseModules(argv);
  const progress = createProgress();
  const result = await progress.step(`building the course site: ${describeModules(modules)}`, () => buildSite({ modules }));
  progress.info(`✓ ${result.pages} pages in ${relative(repoRoot, result.outDir)}/ (${formatDuration(result.ms)}); npm run site:serve serves them on http://127.0.0.1:${port('course-site', 'http')}`);
  return 0;
}

/** Serves build/ on the course site's port until Ctrl-C. */
export async function siteServe(argv: string[]): Promise<number> {
  if (argv.some((arg) => arg !== '--')) throw new UsageError(`site:serve takes no arguments (got ${argv.join(' ')})`, 'Build first with npm run site:build [-- --module <m>], then npm run site:serve.');
  if (!existsSync(join(defaultOutDir, 'index.html'))) throw new UsageError('the course site is not built (build/index.html is missing)', 'Run npm run site:build first.');
  const sitePort = port('course-site', 'http');
  const { serveSite } = await import('./serve.ts');
  await serveSite(defaultOutDir, sitePort).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'EADDRINUSE') throw new UsageError(`port ${sitePort} is in use`, 'Stop what listens there (npm run site:start?) and try again.');
    throw error;
  });
  createProgress().info(`✓ the course site (build/) on http://127.0.0.1:${sitePort} — Ctrl-C stops it`);
  return new Promise(() => undefined); // serves until the process is stopped
}

export async function siteStart(argv: string[]): Promise<number> {
  const modules = chooseModules(argv);
  const sitePort = port('course-site', 'http');
  const progress = createProgress();
  progress.info(`… starting the course site (${describeModules(modules)}) on http://127.0.0.1:${sitePort} — Ctrl-C stops it`);
  progress.info('  the "Check my work" buttons need the lab agent: npm run lab:start <n> starts it');
  const env = { ...process.env, ...quietEnv, [modulesEnv]: modules.length === allModules.length ? '' : modules.join(',') };
  const child = spawn(process.execPath, [docusaurusBin, 'start', '--host', '127.0.0.1', '--port', String(sitePort), '--no-open'], { cwd: repoRoot, env, stdio: 'inherit' });
  // Ctrl-C reaches the child through the terminal; let it finish its own way.
  process.on('SIGINT', () => undefined);
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve(code ?? 0));
  });
}
