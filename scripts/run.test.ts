/**
 * The launcher and its compiled copy of the kit: the same answers as the TypeScript sources, a new build when a
 * source changes, and the sources through tsx when no build can be made.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../lib/paths.ts';
// @ts-expect-error -- plain JavaScript on purpose (it runs before any TypeScript can); no declaration file.
import { buildKey, entryPoints, sourceFiles } from './compiled.mjs';

const kitFolders = ['agent', 'checks', 'course', 'k6', 'labs', 'lib', 'lifecycle', 'scripts', 'stack'];

/** A copy of the kit's sources in a temporary folder, so builds and edits here never touch the checkout. */
function copyOfKit(): string {
  const dir = mkdtempSync(join(tmpdir(), 'o11y-run-'));
  for (const folder of kitFolders) cpSync(join(repoRoot, folder), join(dir, folder), { recursive: true, filter: (src) => !src.includes('node_modules') });
  cpSync(join(repoRoot, 'package.json'), join(dir, 'package.json'));
  symlinkSync(join(repoRoot, 'node_modules'), join(dir, 'node_modules'));
  return dir;
}

const run = (kit: string, args: string[], env: NodeJS.ProcessEnv = {}) =>
  spawnSync(process.execPath, [join(kit, 'scripts', 'run.mjs'), ...args], {
    cwd: kit,
    encoding: 'utf8',
    env: { ...process.env, O11Y_LAB_STATE: join(kit, '.lab', 'state'), O11Y_LAB_WORKSPACE: join(kit, 'workspace'), ...env },
  });

const builds = (kit: string) => {
  try {
    return spawnSync('ls', [join(kit, '.lab', 'cli')], { encoding: 'utf8' }).stdout.split('\n').filter(Boolean);
  } catch {
    return [];
  }
};

describe('the compiled kit', () => {
  const kit = copyOfKit();
  afterAll(() => rmSync(kit, { recursive: true, force: true }));

  it('answers as the sources do, from a build of its own', () => {
    const compiled = run(kit, ['lab:list', '--json']);
    expect(compiled.status, compiled.stderr).toBe(0);
    const fromSources = spawnSync(process.execPath, ['--import', 'tsx', join(kit, 'scripts', 'cli.ts'), 'lab:list', '--json'], { cwd: kit, encoding: 'utf8', env: { ...process.env, O11Y_LAB_STATE: join(kit, '.lab', 'state') } });
    expect(JSON.parse(compiled.stdout)).toEqual(JSON.parse(fromSources.stdout));
    expect(JSON.parse(compiled.stdout).length).toBeGreaterThan(0);
    expect(builds(kit)).toHaveLength(1);
  }, 60_000);

  it('keeps the exit code and the one-line error of a usage error', () => {
    const result = run(kit, ['lab:start', '99']);
    expect(result.status).toBe(2);
    expect(result.stderr.split('\n')[0]).toBe('✗ no lab "99"');
  }, 60_000);

  it('builds again when a source changes, and reuses the build when none does', () => {
    const before = builds(kit);
    run(kit, ['lab:list']);
    expect(builds(kit)).toEqual(before);
    const file = join(kit, 'lib', 'paths.ts');
    const later = new Date(Date.now() + 5_000);
    utimesSync(file, later, later);
    expect(run(kit, ['lab:list']).status).toBe(0);
    expect(builds(kit).length).toBe(before.length + 1);
  }, 60_000);

  it('keeps the parsed stack/versions.yaml beside the build, and parses the file again once it is edited', () => {
    const env = { O11Y_LAB_CACHE: join(kit, '.lab', 'cache') };
    const pinned = (result: ReturnType<typeof run>) => (JSON.parse(result.stdout) as { name: string; version: string }[]).find((e) => e.name === 'prometheus')!.version;
    // (exit 3 here: no engine is installed in this cache; the JSON lists them all the same)
    const first = run(kit, ['engines:status', '--json'], env);
    expect(first.stdout, first.stderr).toContain('"prometheus"');
    const copies = builds(kit).map((build) => join(kit, '.lab', 'cli', build, 'versions.json')).filter((path) => existsSync(path));
    expect(copies).toHaveLength(1);
    expect((JSON.parse(readFileSync(copies[0]!, 'utf8')) as { engines: [string, unknown][] }).engines.map(([name]) => name)).toContain('prometheus');
    // versions.yaml is not a source of the build: an edit of it must be seen all the same.
    const file = join(kit, 'stack', 'versions.yaml');
    const original = readFileSync(file, 'utf8');
    writeFileSync(file, original.replace(`version: ${pinned(first)}\n`, 'version: 9.9.9\n'));
    try {
      const builtBefore = builds(kit);
      expect(pinned(run(kit, ['engines:status', '--json'], env))).toBe('9.9.9');
      expect(builds(kit)).toEqual(builtBefore);
    } finally {
      writeFileSync(file, original);
    }
    expect(pinned(run(kit, ['engines:status', '--json'], env))).toBe(pinned(first));
  }, 60_000);

  it('validates each lab once per build, and an edited lab again (a broken query still names its objective)', () => {
    const validated = () => builds(kit).flatMap((build) => {
      const dir = join(kit, '.lab', 'cli', build, 'validated');
      return existsSync(dir) ? spawnSync('ls', [dir], { encoding: 'utf8' }).stdout.split('\n').filter(Boolean).map((lab) => `${build}/${lab}`) : [];
    });
    expect(run(kit, ['lab:list']).status).toBe(0);
    expect(validated().filter((entry) => entry.endsWith('/04-red-recording-rules')).length).toBeGreaterThan(0);
    // The definition's queries are checked against their grammar when the build is new, not from a stamp.
    const lab = join(kit, 'labs', '04-red-recording-rules', 'lab.ts');
    const original = readFileSync(lab, 'utf8');
    writeFileSync(lab, original.replace(`rate1m{service="shop"}'`, `rate1m{service="shop"'`));
    try {
      const result = run(kit, ['lab:list']);
      expect(result.status, result.stdout).toBe(2);
      expect(result.stderr).toMatch(/labs\/04-red-recording-rules\/lab\.ts: objectives\[\d+\] "rate-recorded": .*invalid PromQL query/);
    } finally {
      writeFileSync(lab, original);
    }
  }, 60_000);

  it('runs the sources through tsx when the build fails, so the error names the file', () => {
    const lab = join(kit, 'labs', '04-red-recording-rules', 'lab.ts');
    const original = readFileSync(lab, 'utf8');
    writeFileSync(lab, `${original}\nexport const broken = ;\n`);
    try {
      const result = run(kit, ['lab:list']);
      expect(result.status).toBe(2);
      expect(result.stderr).toContain('labs/04-red-recording-rules/lab.ts: cannot be loaded');
    } finally {
      writeFileSync(lab, original);
    }
  }, 60_000);
});

describe('what the build holds', () => {
  it('has the CLI and every lab definition as entry points, and no test file', () => {
    const files = sourceFiles(repoRoot) as string[];
    const entries = (entryPoints(repoRoot, files) as string[]).map((f) => relative(repoRoot, f));
    expect(entries).toContain('scripts/cli.ts');
    expect(entries).toContain('labs/04-red-recording-rules/lab.ts');
    expect(files.some((f) => f.endsWith('.test.ts') || f.includes('/starter/'))).toBe(false);
    expect(buildKey(repoRoot, files)).toMatch(/^[0-9a-f]{16}$/);
  });

  // The compiled copy lives in .lab/cli/<key>/, so a module that finds a file from its own import.meta.url
  // would look there and miss it. Files are found from the checkout root instead (lib/paths.ts, labs/api.ts labFile).
  it('finds files from the checkout root, never from a module’s own location', () => {
    // lib/paths.ts defines the root; the job runner is never compiled (services.ts runs it through tsx from the
    // sources, and the demo image from its own copy of stack/apps/), and loads job-imports.mjs from beside itself.
    const exempt = [join('lib', 'paths.ts'), join('stack', 'apps', 'job-runner.ts')];
    const offenders = (sourceFiles(repoRoot) as string[])
      .filter((file) => !exempt.some((path) => file.endsWith(path)))
      .filter((file) => /new URL\([^)]*import\.meta\.url\)/.test(readFileSync(file, 'utf8')))
      .map((file) => relative(repoRoot, file));
    expect(offenders).toEqual([]);
  });
});
