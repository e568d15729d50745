/**
 * Config overlays: a workspace file of the student's merged over one of an engine's rendered config files,
 * for a lab that teaches one part of an engine's configuration (lab 12: Tempo's metrics-generator) without
 * handing the student the machine's addresses and directories. The overlay is a template like the kit's own
 * (stack/render.ts), so it may say {{ addr.prometheus.http }}; its maps merge into the kit's file key by key,
 * and anything else it sets (a list, a value) replaces the kit's.
 *
 * An overlay is used only while a lab that applies it is the one applied: lifecycle/workspace.ts switches it
 * on (the marker file below) and off again when another lab is applied, restarting the engine each time.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parse, stringify } from 'yaml';
import { UsageError } from '../lib/errors.ts';
import { stateDir, workspaceDir } from '../lib/paths.ts';
import { renderTemplate, type RenderValues } from './render.ts';

export interface ConfigOverlay {
  /** The student's file, relative to the workspace (tempo/metrics-generator.yaml). */
  file: string;
  /** The config file of the service (one of its `configs`) it merges over (tempo.yaml). */
  over: string;
}

const isMap = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** `overlay` merged over `base`: maps key by key, everything else (lists, values) replaced. */
export function mergeConfig(base: unknown, overlay: unknown): unknown {
  if (!isMap(base) || !isMap(overlay)) return overlay === undefined ? base : overlay;
  const merged: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(overlay)) merged[key] = mergeConfig(base[key], value);
  return merged;
}

/**
 * The config file the engine runs: the kit's rendered `base` with the student's overlay (a template, rendered
 * with the same values) merged over it. A file that is not a YAML map is a UsageError naming it.
 */
export function applyOverlay(base: string, overlayText: string, values: RenderValues, where: string): string {
  const rendered = renderTemplate(overlayText, values, where);
  let overlay: unknown;
  try {
    overlay = parse(rendered) ?? {};
  } catch (error) {
    throw new UsageError(`${where}: ${(error as Error).message.split('\n')[0]}`, 'Fix the YAML in that file, then run the command again.');
  }
  if (!isMap(overlay)) throw new UsageError(`${where}: must be a YAML map of settings (key: value), not ${Array.isArray(overlay) ? 'a list' : JSON.stringify(overlay)}`, 'Start from the starter file: npm run lab:reset <lab> puts it back.');
  return `# Rendered by the kit: its own config with ${where} merged over it (stack/overlay.ts).\n${stringify(mergeConfig(parse(base), overlay), { lineWidth: 0 })}`;
}

/** The marker that says a service runs with its overlay: .lab/run/<service>.overlay. */
export function overlayMarker(service: string, env: NodeJS.ProcessEnv = process.env): string {
  return join(stateDir(env), 'run', `${service}.overlay`);
}

/** Does the service run with its overlay (marker set and the student's file present)? */
export function overlayActive(service: string, overlay: ConfigOverlay, env: NodeJS.ProcessEnv = process.env): boolean {
  return existsSync(overlayMarker(service, env)) && existsSync(join(workspaceDir(env), overlay.file));
}

export function setOverlay(service: string, on: boolean, env: NodeJS.ProcessEnv = process.env): void {
  const marker = overlayMarker(service, env);
  if (!on) return rmSync(marker, { force: true });
  mkdirSync(dirname(marker), { recursive: true });
  writeFileSync(marker, `${new Date().toISOString()}\n`);
}

/** The student's overlay file as it is now. */
export function readOverlay(overlay: ConfigOverlay, env: NodeJS.ProcessEnv = process.env): string {
  return readFileSync(join(workspaceDir(env), overlay.file), 'utf8');
}
