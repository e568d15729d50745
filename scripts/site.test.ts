/**
 * `site:build` and `site:start` read their --module flags; the course site builds — all of it, and one module
 * of it — with every link resolving (onBrokenLinks: 'throw' fails the build otherwise), and a one-module build
 * holds fewer pages: that module's and the shared ones.
 *
 * The builds are slow for a unit test: two real Docusaurus builds, one after the other (about 15 s each on two
 * cores). They build into .lab/test/site-unit/ with their own generated-files folders, so they never touch build/ nor clash
 * with another build running at the same time. Both build times are printed and kept in
 * test-results/site-build-times.json.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadLabs } from '../labs/catalogue.ts';
import { curriculum, moduleSlug } from '../labs/curriculum.ts';
import { allModules } from '../labs/modules.ts';
import { repoRoot } from '../lib/paths.ts';
import { formatDuration } from '../lib/progress.ts';
import { loadVersions } from '../stack/versions.ts';
import { commands } from './commands/index.ts';
import { buildSite, chooseModules, type BuildResult } from './site.ts';

const root = join(repoRoot, '.lab', 'test', 'site-unit');
const labs = await loadLabs();
/** A page of the build: trailingSlash: true writes /docs/x as docs/x/index.html. */
const html = (build: BuildResult, path: string) => readFileSync(join(build.outDir, path, 'index.html'), 'utf8');
/** A built page's text as a reader sees it: tags dropped, entities decoded, white space collapsed. */
const page = (build: BuildResult, path: string) =>
  html(build, path)
    .replace(/<script[\s\S]*?<\/script>/g, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&(lt|gt|quot|amp|#x27|#39);/g, (_m, name: string) => ({ lt: '<', gt: '>', quot: '"', amp: '&', '#x27': "'", '#39': "'" })[name]!)
    .replace(/\s+/g, ' ');
const exists = (build: BuildResult, path: string) => {
  try {
    html(build, path);
    return true;
  } catch {
    return false;
  }
};

describe('the --module flags', () => {
  it('reads repeated --module flags and refuses anything else as a usage error', () => {
    expect(chooseModules([])).toEqual(allModules);
    expect(chooseModules(['--module', '02', '--module=04'])).toEqual(['02-metrics', '04-logs']);
    expect(() => chooseModules(['--module'])).toThrow('--module needs a module');
    expect(() => chooseModules(['--modules', '02'])).toThrow('unknown argument "--modules"');
    expect(() => chooseModules(['--module', 'nope'])).toThrow(/no module "nope"/);
  });
});

describe('the course site build (slow: two Docusaurus builds)', () => {
  let full: BuildResult;
  let metrics: BuildResult;

  beforeAll(async () => {
    rmSync(root, { recursive: true, force: true });
    const build = (name: string, modules: string[]) => buildSite({ modules, outDir: join(root, name), generatedDir: join(root, `generated-${name}`), logFile: join(root, `${name}.log`) });
    full = await build('full', allModules);
    metrics = await build('metrics', ['02-metrics']);
    const times = { full: { ms: full.ms, pages: full.pages }, oneModule: { module: '02-metrics', ms: metrics.ms, pages: metrics.pages } };
    console.log(`site build: full ${formatDuration(full.ms)} (${full.pages} pages), module 02-metrics ${formatDuration(metrics.ms)} (${metrics.pages} pages)`);
    mkdirSync(join(repoRoot, 'test-results'), { recursive: true });
    writeFileSync(join(repoRoot, 'test-results', 'site-build-times.json'), `${JSON.stringify(times, null, 2)}\n`);
  }, 600_000);

  it('builds every module: its landing page and the page of every lab', () => {
    for (const module of curriculum) expect(exists(full, `docs/${moduleSlug(module.id)}`), module.id).toBe(true);
    // (A lab without its docs page yet fails in src/plugins/course-data/front-matter.test.ts, which names the file to write.)
    for (const lab of labs.filter((l) => existsSync(join(repoRoot, 'docs', l.module, `${l.id}.mdx`)))) {
      expect(exists(full, `docs/${moduleSlug(lab.module)}/${lab.slug}`), lab.id).toBe(true);
    }
  });

  it('builds one module with fewer pages: that module and the shared pages only', () => {
    expect(metrics.pages).toBeLessThan(full.pages);
    for (const shared of ['', 'docs/getting-started', 'docs/architecture', 'docs/reference/ports', 'docs/reference/cli', 'docs/instructors', 'docs/instructors/preparing-machines']) {
      expect(exists(metrics, shared), shared || 'the home page').toBe(true);
    }
    expect(exists(metrics, 'docs/metrics/red-recording-rules')).toBe(true);
    expect(exists(metrics, 'docs/logs')).toBe(false);
    expect(exists(metrics, 'docs/logs/ship-structured-logs')).toBe(false);
  });

  it('renders a lab page from its definition: title, objectives, points and commands, never a query or a hint', () => {
    const lab = labs.find((l) => l.number === 4)!;
    const text = page(full, 'docs/metrics/red-recording-rules');
    expect(text).toContain(`Lab 4: ${lab.title}`);
    for (const objective of lab.objectives) expect(text).toContain(objective.title);
    expect(text).toContain('npm run lab:start 4');
    expect(text).toContain('Check my work');
    for (const objective of lab.objectives.filter((o) => o.check.source === 'prometheus')) expect(text).not.toContain(objective.check.query);
    for (const objective of lab.objectives) expect(text).not.toContain(objective.hint);
  });

  it('lists planned labs as coming soon on the module pages', () => {
    const text = page(full, 'docs/fundamentals');
    expect(text).toContain('Lab 1 Stack tour coming soon');
  });

  it('generates the port map from stack/versions.yaml and the CLI reference from the command table', () => {
    const ports = page(full, 'docs/reference/ports');
    for (const engine of loadVersions().values()) for (const port of Object.values(engine.ports)) expect(ports, `${engine.name} ${port}`).toContain(`${port} `);
    const cli = page(full, 'docs/reference/cli');
    for (const command of commands) expect(cli, command.name).toContain(`${command.usage} ${command.summary}`);
  });
});
