/**
 * The kit's own copy of a service's config directory in the compose stack (overrides.ts liveConfigVariable),
 * under .lab/compose/config/<service>/, which compose mounts instead of the committed stack/compose/config/.
 * What it holds for a service that starts: the rendered default, with the student's overlay merged over its file
 * while a lab applies one (stack/overlay.ts, lab 12's Tempo) — what planLaunch gives the native process.
 * Alertmanager's routing file is written there by lifecycle/alertmanager-config.ts while it runs.
 */
import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { applyOverlay, overlayActive, readOverlay, type ConfigOverlay } from '../overlay.ts';
import { findService } from '../services.ts';
import { composeValues, generatedConfigDir, liveConfigDir } from './model.ts';

/** The over-file as the container should run it: the committed rendering with the student's overlay merged in. */
export function overlaidComposeConfig(service: string, overlay: ConfigOverlay, env: NodeJS.ProcessEnv = process.env): string {
  const base = readFileSync(join(generatedConfigDir, service, overlay.over), 'utf8');
  return applyOverlay(base, readOverlay(overlay, env), composeValues(service), `workspace/${overlay.file}`);
}

/**
 * Fills the live directory of a service about to start. A student's overlay that does not render (broken YAML)
 * leaves the default: the lab's apply reports that file, and Tempo still starts.
 */
export function fillLiveConfig(service: string, env: NodeJS.ProcessEnv = process.env): void {
  const dir = liveConfigDir(service, env);
  rmSync(dir, { recursive: true, force: true });
  cpSync(join(generatedConfigDir, service), dir, { recursive: true });
  const overlay = findService(service)?.workspaceOverlay;
  if (!overlay || !overlayActive(service, overlay, env)) return;
  try {
    writeFileSync(join(dir, overlay.over), overlaidComposeConfig(service, overlay, env));
  } catch {
    /* the default stays; applyConfigOverlay names the file */
  }
}
