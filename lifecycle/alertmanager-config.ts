/**
 * Applying a student's Alertmanager configuration (the routing lab): the stack's Alertmanager runs the kit's
 * default (stack/config/alertmanager/alertmanager.yml, which sends nowhere) until a lab that teaches routing
 * applies workspace/alertmanager/alertmanager.yml. Apply checks the file with amtool first — a file Alertmanager
 * would refuse never replaces the running one — then puts it where Alertmanager reads its config and asks it
 * to reload (POST /-/reload). Nothing happens when Alertmanager already runs that very file, so checking again
 * does not reset its groups. A restart of Alertmanager renders the default again; the next apply puts the
 * student's file back. The same in compose, where the container reads the kit's copy of its config directory.
 */
import { execFile } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { alertmanagerClient } from '../checks/clients/alertmanager.ts';
import { EngineError } from '../checks/clients/http.ts';
import { workspaceDir } from '../lib/paths.ts';
import { binaryPath } from '../stack/binaries.ts';
import { liveConfigDir } from '../stack/compose/model.ts';
import { nativePaths } from '../stack/native/launch.ts';
import type { StackRuntime } from '../stack/runtime.ts';
import { findService } from '../stack/services.ts';
import { engineVersion } from '../stack/versions.ts';

/** `amtool check-config <file>`: undefined when it passes, else amtool's own words (the workspace path shortened). */
export function amtoolRefusal(file: string, env: NodeJS.ProcessEnv = process.env): Promise<string | undefined> {
  const amtool = binaryPath(engineVersion('alertmanager'), 'amtool', env);
  return new Promise((resolve) => {
    execFile(amtool, ['check-config', file], { timeout: 30_000 }, (error, stdout, stderr) => {
      if (!error) return resolve(undefined);
      // "Checking 'file'  FAILED: undefined receiver "x" used in route": the reason is after FAILED.
      const said = `${stdout}\n${stderr}`.split('\n').map((l) => l.trim().replace(/^Checking .*FAILED:\s*/, '')).filter((l) => l && !l.startsWith('amtool: error')).join('; ');
      resolve(said.replaceAll(workspaceDir(env), 'workspace') || error.message);
    });
  });
}

/**
 * Makes Alertmanager run the student's file; returns why it was refused (the running config stays), or
 * undefined when Alertmanager now runs it.
 */
export async function applyAlertmanagerConfig(runtime: StackRuntime, env: NodeJS.ProcessEnv = process.env): Promise<string | undefined> {
  const relative = findService('alertmanager')!.workspaceConfig!;
  const file = join(workspaceDir(env), relative);
  if (!existsSync(file)) return `workspace/${relative} does not exist`;
  const wanted = readFileSync(file, 'utf8');
  const client = alertmanagerClient(runtime.endpoints().alertmanager!);
  if ((await client.status()).config.original === wanted) return undefined;

  const refusal = await amtoolRefusal(file, env);
  if (refusal) return `amtool check-config refused workspace/${relative}: ${refusal}`;
  // Where this Alertmanager reads its file: natively its rendered config directory; in compose the kit's copy
  // that compose mounts into the container (stack/compose/model.ts liveConfigDir).
  const liveDir = runtime.name === 'native' ? nativePaths(env).config('alertmanager') : liveConfigDir('alertmanager', env);
  const live = join(liveDir, 'alertmanager.yml');
  const previous = readFileSync(live, 'utf8');
  writeFileSync(live, wanted);
  try {
    await client.reload();
  } catch (error) {
    writeFileSync(live, previous);
    if (error instanceof EngineError) return `Alertmanager refused workspace/${relative}: ${error.body.trim().split('\n')[0]}`;
    throw error;
  }
  return undefined;
}
