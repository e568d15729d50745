/**
 * Runs course/site-data.ts (through tsx, in its own Node process) and returns what it exports. The lab
 * definitions are TypeScript modules with `.ts` imports and top-level work; they load in plain Node with tsx,
 * not inside Docusaurus's config loader or bundler, so the site asks a child process for them.
 */
import { execFileSync } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SiteData } from '../../../course/types.ts';

/** The repository root, from this file's place in it (src/plugins/course-data/). */
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const exporter = join(repoRoot, 'course', 'site-data.ts');

export function loadSiteData(): SiteData {
  try {
    const json = execFileSync(process.execPath, ['--import', 'tsx', exporter], {
      cwd: repoRoot,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      maxBuffer: 16 * 1024 * 1024,
    });
    return JSON.parse(json) as SiteData;
  } catch (error) {
    const stderr = String((error as { stderr?: unknown }).stderr ?? '').trim();
    throw new Error(`The course site reads the labs, stack/versions.yaml and the command table through course/site-data.ts, which failed:\n${stderr || (error as Error).message}`);
  }
}
