/**
 * Applying a student's part of an engine's configuration (stack/overlay.ts): lab 12's
 * workspace/tempo/metrics-generator.yaml, merged over the kit's tempo.yaml. Tempo reads its configuration only
 * as it starts, so applying means a restart — made only when the config Tempo would run differs from the one it
 * runs, so checking again does not interrupt it. A file Tempo refuses (it stops at start on an unknown key)
 * never leaves the lab without Tempo: the kit's own config is started again and the refusal is reported.
 * Applying any other lab switches the overlay off again, so the next lab's Tempo is the kit's.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Lab } from '../labs/catalogue.ts';
import { StackError, UsageError } from '../lib/errors.ts';
import { workspaceDir } from '../lib/paths.ts';
import type { Progress } from '../lib/progress.ts';
import { overlaidComposeConfig } from '../stack/compose/live-config.ts';
import { liveConfigDir } from '../stack/compose/model.ts';
import { nativePaths, planLaunch } from '../stack/native/launch.ts';
import { overlayMarker, setOverlay, type ConfigOverlay } from '../stack/overlay.ts';
import type { StackRuntime } from '../stack/runtime.ts';
import { findService, services, type ServiceDefinition } from '../stack/services.ts';

const isReady = async (runtime: StackRuntime, service: string) => (await runtime.status()).some((s) => s.name === service && s.state === 'ready');

/**
 * Stops and starts the service, which renders its config again on the way up: natively planLaunch, in compose
 * the kit's copy of its config directory (stack/compose/live-config.ts). A native stop returns once the
 * service's ports are free, so the start that follows finds them so.
 */
async function restart(service: string, runtime: StackRuntime, progress: Progress): Promise<void> {
  if (await isReady(runtime, service)) await runtime.down(progress, [service]);
  await runtime.up([service], progress);
}

/** The config file the service would run with the overlay on, and where the running one is, in this runtime. */
function overlaidConfig(definition: ServiceDefinition, overlay: ConfigOverlay, runtime: StackRuntime, env: NodeJS.ProcessEnv): { wanted: string; live: string } {
  if (runtime.name === 'native') {
    return { wanted: planLaunch(definition, { env }).configs[overlay.over]!, live: join(nativePaths(env).config(definition.name), overlay.over) };
  }
  return { wanted: overlaidComposeConfig(definition.name, overlay, env), live: join(liveConfigDir(definition.name, env), overlay.over) };
}

/**
 * Makes `service` run with the student's overlay; resolves to why it could not (the service then runs the
 * kit's config), or undefined when it runs the student's file.
 */
export async function applyConfigOverlay(service: string, runtime: StackRuntime, progress: Progress, env: NodeJS.ProcessEnv = process.env): Promise<string | undefined> {
  const definition = findService(service);
  const overlay = definition?.workspaceOverlay;
  if (!definition || !overlay) throw new Error(`stack/services.ts: ${service} has no workspaceOverlay to apply`);
  if (!existsSync(join(workspaceDir(env), overlay.file))) {
    setOverlay(service, false, env);
    return `workspace/${overlay.file} does not exist (npm run lab:reset puts the starter file back)`;
  }
  setOverlay(service, true, env);
  let wanted: string;
  let live: string;
  try {
    ({ wanted, live } = overlaidConfig(definition, overlay, runtime, env));
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    setOverlay(service, false, env);
    return error.message;
  }
  if ((await isReady(runtime, service)) && existsSync(live) && readFileSync(live, 'utf8') === wanted) return undefined;
  try {
    await restart(service, runtime, progress);
    return undefined;
  } catch (error) {
    // Only a Tempo that exited or never got ready says something about the file; a taken port does not.
    if (!(error instanceof StackError) || /already in use|not installed/.test(error.message)) throw error;
    // It would not start with the student's file: back to the kit's, so the rest of the lab still has it.
    setOverlay(service, false, env);
    await restart(service, runtime, progress);
    const said = [error.message, ...(error.details ?? []).slice(-3)].join(' ').replace(/\s+/g, ' ');
    return `${definition.title} did not start with workspace/${overlay.file} and runs the kit's configuration: ${said}`;
  }
}

/** Switches off every overlay the lab does not apply, restarting the service with the kit's config. */
export async function dropOtherOverlays(lab: Lab, runtime: StackRuntime, progress: Progress, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  for (const service of services.filter((s) => s.workspaceOverlay && !(lab.workspace.reload as string[]).includes(s.name))) {
    if (!existsSync(overlayMarker(service.name, env))) continue;
    setOverlay(service.name, false, env);
    if (await isReady(runtime, service.name)) await restart(service.name, runtime, progress);
  }
}
