// The compiled copy of the kit that scripts/run.mjs runs.
//
// Why: transpiling the kit's TypeScript on every call (tsx) cost about a second per command, and a student runs
// `npm run check` dozens of times per lab. So the kit is compiled once into .lab/cli/<key>/ (git-ignored) and
// each call runs that plain JavaScript. The key is a hash of every source file's path, size and modification
// time (and of this file): an edit, a checkout or a pull gives a new key and a fresh build, about a quarter of
// a second with esbuild. A build is written under a temporary name and renamed into place, so two commands
// started at once never see half of one.
//
// Plain JavaScript on purpose: this runs before any TypeScript can.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import module from 'node:module';
import { join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

// The folders whose TypeScript runs in Node. src/ is the site (React, built by Docusaurus); tests are vitest's;
// labs' starter/ files are the student's, never run by the kit.
const sourceDirs = ['agent', 'checks', 'course', 'k6', 'labs', 'lib', 'lifecycle', 'scripts', 'stack'];
const skipDirs = new Set(['node_modules', 'starter']);
// npm packages compiled into the build rather than loaded from node_modules: the YAML parser, which every
// command uses and which Node would otherwise read as some sixty CommonJS files, one by one.
const bundled = new Set(['yaml']);
// Builds kept besides the current one: a lab agent started earlier may still be running from one of them.
const keptBuilds = 2;

/** Every source file that belongs in the build. */
export function sourceFiles(root) {
  const files = [];
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!skipDirs.has(entry.name)) walk(path);
      } else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') && !entry.name.endsWith('.d.ts')) {
        files.push(path);
      }
    }
  };
  for (const dir of sourceDirs) if (existsSync(join(root, dir))) walk(join(root, dir));
  return files.sort();
}

/** The build's key: what the sources are now, and how they are built. */
export function buildKey(root, files) {
  const hash = createHash('sha256');
  for (const file of [fileURLToPath(import.meta.url), ...files]) {
    const { size, mtimeMs } = statSync(file);
    hash.update(`${relative(root, file)} ${size} ${mtimeMs}\n`);
  }
  return hash.digest('hex').slice(0, 16);
}

/** The programs the build can run, besides the lab definitions: the CLI, and the demo services. */
export const programs = ['scripts/cli.ts', 'stack/apps/main.ts'];

/**
 * The entry points: the programs, and every lab definition (the catalogue imports those by path). They are built as
 * one split bundle, so each module they share is in exactly one chunk — a lab and the CLI see the same copy of
 * the kit — and a command's own code, which the command table imports lazily, is a chunk of its own.
 */
export function entryPoints(root, files) {
  return files.filter((file) => {
    const path = relative(root, file);
    return programs.includes(path) || /^labs\/\d\d-[^/]+\/lab\.ts$/.test(path);
  });
}

async function compile(root, entries, outdir) {
  const { build } = await import('esbuild');
  await build({
    entryPoints: Object.fromEntries(entries.map((file) => [relative(root, file).replace(/\.ts$/, ''), file])),
    outdir,
    bundle: true,
    splitting: true,
    chunkNames: 'chunks/[name]-[hash]',
    platform: 'node',
    format: 'esm',
    target: 'node20',
    // A CommonJS package compiled into an ES module still calls require() for Node's built-ins.
    banner: { js: "import { createRequire as kitCreateRequire } from 'node:module'; const require = kitCreateRequire(import.meta.url);" },
    // Written beside each chunk; read only under `node --enable-source-maps` (stack traces in the sources).
    sourcemap: 'linked',
    logLevel: 'silent',
    plugins: [
      {
        name: 'packages-stay-in-node-modules',
        setup(builder) {
          builder.onResolve({ filter: /^[^./]/ }, (args) => (bundled.has(args.path) ? undefined : { path: args.path, external: true }));
        },
      },
    ],
  });
  // The chunks are ES modules; this file also marks the build's root for lib/paths.ts (modulesRoot).
  writeFileSync(join(outdir, 'package.json'), '{ "type": "module" }\n');
}

/**
 * The folder of the build for the sources as they are now, built first if needed. Throws when it cannot be
 * built (esbuild missing, a syntax error in a file being edited).
 */
export async function currentBuild(root) {
  const files = sourceFiles(root);
  const buildsDir = join(root, '.lab', 'cli');
  const dir = join(buildsDir, buildKey(root, files));
  if (existsSync(join(dir, 'package.json'))) return dir;
  const partial = `${dir}.partial-${process.pid}`;
  try {
    mkdirSync(buildsDir, { recursive: true });
    await compile(root, entryPoints(root, files), partial);
    try {
      renameSync(partial, dir);
    } catch {
      // Another command finished the same build first: use theirs.
      rmSync(partial, { recursive: true, force: true });
    }
  } catch (error) {
    rmSync(partial, { recursive: true, force: true });
    throw error;
  }
  removeOldBuilds(buildsDir, dir);
  return dir;
}

function removeOldBuilds(buildsDir, current) {
  const builds = readdirSync(buildsDir)
    .map((name) => join(buildsDir, name))
    .filter((path) => path !== current && !path.includes('.partial-'))
    .map((path) => ({ path, time: statSync(path).mtimeMs }))
    .sort((a, b) => b.time - a.time);
  for (const old of builds.slice(keptBuilds)) rmSync(old.path, { recursive: true, force: true });
}

/**
 * Runs one of the `programs` (its path from the checkout root, e.g. 'scripts/cli.ts') from the current build.
 * When no build can be made — esbuild missing, or a syntax error in a file being edited — it runs the
 * TypeScript source through tsx instead, as the kit always could, so the error names the file and the line.
 */
export async function runProgram(root, program) {
  let build;
  try {
    build = await currentBuild(root);
  } catch (error) {
    if (process.env.O11Y_DEBUG) process.stderr.write(`[kit] no compiled build (${error.message.split('\n')[0]}); running ${program} through tsx\n`);
  }
  // Node 22.1 and later keep V8's compiled code of the modules between runs (in the OS temporary folder, or
  // NODE_COMPILE_CACHE): compiling the build's chunks is a good part of a command's start. Node 20 has no such
  // cache and goes on without it; so does a Node that cannot use it (the call never throws).
  module.enableCompileCache?.();
  if (build) return import(pathToFileURL(join(build, program.replace(/\.ts$/, '.js'))).href);
  const { register } = await import('tsx/esm/api');
  register();
  return import(pathToFileURL(join(root, program)).href);
}
