/**
 * `npm run stack:compose`: writes stack/compose.yaml and the rendered configs under stack/compose/config/
 * (see stack/compose/build.ts), and deletes generated configs that no longer have a template.
 * `npm run stack:compose -- --check` only reports what is out of date, and exits 1 if anything is.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { repoRoot } from '../../lib/paths.ts';
import { buildComposeFiles, configOutputDir } from './build.ts';

export interface ComposeDrift {
  /** Files whose content differs from what the generator produces (or that are missing). */
  changed: string[];
  /** Generated config files with no template any more. */
  stale: string[];
}

function listFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => (statSync(join(dir, name)).isDirectory() ? listFiles(join(dir, name)) : [join(dir, name)]));
}

/** What differs between the committed files and a fresh generation. */
export function composeDrift(files = buildComposeFiles(), root = repoRoot): ComposeDrift {
  const changed = [...files].filter(([path, content]) => !existsSync(join(root, path)) || readFileSync(join(root, path), 'utf8') !== content).map(([path]) => path);
  const stale = listFiles(join(root, configOutputDir))
    .map((file) => relative(root, file))
    .filter((path) => !files.has(path));
  return { changed, stale };
}

export function writeComposeFiles(files = buildComposeFiles(), root = repoRoot): ComposeDrift {
  const drift = composeDrift(files, root);
  for (const path of drift.changed) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), files.get(path)!);
  }
  for (const path of drift.stale) rmSync(join(root, path));
  return drift;
}

function main(argv: string[]): number {
  if (argv.includes('--check')) {
    const { changed, stale } = composeDrift();
    for (const path of [...changed, ...stale]) process.stderr.write(`out of date: ${path}\n`);
    if (changed.length + stale.length > 0) {
      process.stderr.write('Run npm run stack:compose and commit the result.\n');
      return 1;
    }
    process.stderr.write('stack/compose.yaml and stack/compose/config/ are up to date.\n');
    return 0;
  }
  const { changed, stale } = writeComposeFiles();
  for (const path of changed) process.stderr.write(`wrote ${path}\n`);
  for (const path of stale) process.stderr.write(`removed ${path}\n`);
  if (changed.length + stale.length === 0) process.stderr.write('nothing to do: everything is up to date.\n');
  return 0;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) process.exitCode = main(process.argv.slice(2));
