/**
 * Which modules a build includes. `npm run site:build -- --module 02` sets O11Y_SITE_MODULES=02-metrics for
 * Docusaurus (scripts/site.ts); docusaurus.config.ts and sidebars.ts read it back here, so a one-module build holds that module's
 * pages plus the shared ones (getting started, architecture, reference, instructor guide) and nothing else.
 */
import { curriculum, moduleSlug } from './curriculum.ts';

export const modulesEnv = 'O11Y_SITE_MODULES';
export const allModules: string[] = curriculum.map((m) => m.id);

/**
 * Turns what a person types into module folders: "02", "2", "02-metrics" and "metrics" all mean 02-metrics.
 * Throws, listing the modules, on a name that matches none.
 */
export function resolveModules(keys: string[], modules: string[] = allModules): string[] {
  const chosen = keys.flatMap((key) => key.split(',')).map((key) => key.trim()).filter(Boolean).map((key) => {
    const found = modules.find((id) => id === key || moduleSlug(id) === key || (/^\d+$/.test(key) && Number(id.slice(0, 2)) === Number(key)));
    if (!found) throw new Error(`no module "${key}" (modules: ${modules.join(', ')})`);
    return found;
  });
  return [...new Set(chosen)].sort();
}

/** The modules of this build: those named in O11Y_SITE_MODULES, or every module when it is unset or empty. */
export function selectedModules(env: NodeJS.ProcessEnv = process.env): string[] {
  const value = env[modulesEnv]?.trim();
  return value ? resolveModules([value]) : allModules;
}
