/**
 * How the native driver runs one service, worked out before anything is started: the binary, its arguments
 * and environment, and its config files rendered for this machine. Pure but for reading the templates and the
 * secrets file, so a unit test can look at exactly what a start would do (Grafana's, for one, which cannot run
 * on every machine).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot, stateDir, workspaceDir } from '../../lib/paths.ts';
import { binaryPath, engineHome } from '../binaries.ts';
import { applyOverlay, overlayActive, readOverlay } from '../overlay.ts';
import { isVerbatim, renderTemplate, renderValues, type RenderValues } from '../render.ts';
import { ensureEnvFile, secretsFile } from '../secrets.ts';
import type { ServiceDefinition } from '../services.ts';
import { engineVersion, loadVersions } from '../versions.ts';

export const loopback = '127.0.0.1';

/** Where a service's state lives natively: .lab/config/<service>/, .lab/data/<service>/, .lab/logs/, .lab/run/. */
export function nativePaths(env: NodeJS.ProcessEnv) {
  const state = stateDir(env);
  return {
    config: (service: string) => join(state, 'config', service),
    data: (service: string) => join(state, 'data', service),
    log: (service: string) => join(state, 'logs', `${service}.log`),
    pid: (service: string) => join(state, 'run', `${service}.pid`),
    logs: join(state, 'logs'),
    run: join(state, 'run'),
  };
}

export interface LaunchPlan {
  binary: string;
  args: string[];
  /** The service's own variables (added to the kit's environment), generated secrets included. */
  env: Record<string, string>;
  /** Config file path (inside the config directory) → its rendered text. */
  configs: Record<string, string>;
  cwd: string;
}

export function nativeValues(service: ServiceDefinition, env: NodeJS.ProcessEnv): RenderValues {
  const paths = nativePaths(env);
  // Grafana runs from its release tree: its home, once installed.
  const home = engineHome(engineVersion(service.engine), env);
  return renderValues(loadVersions().values(), {
    listen: loopback,
    hostOf: () => loopback,
    dirs: { data: paths.data(service.name), config: paths.config(service.name), run: paths.run, workspace: workspaceDir(env), logs: paths.logs, ...(home ? { home } : {}) },
  });
}

export function planLaunch(service: ServiceDefinition, options: { env: NodeJS.ProcessEnv; secretsFile?: string }): LaunchPlan {
  const { env } = options;
  const engine = engineVersion(service.engine);
  const values = nativeValues(service, env);
  const where = `stack/services.ts (${service.name})`;
  const configs = Object.fromEntries(
    service.configs.map((file) => {
      const template = join(repoRoot, 'stack', 'config', service.name, file);
      const text = readFileSync(template, 'utf8');
      return [file, isVerbatim(file) ? text : renderTemplate(text, values, template)];
    }),
  );
  // The student's part of the config, while a lab that teaches it is applied (stack/overlay.ts).
  const overlay = service.workspaceOverlay;
  if (overlay && overlayActive(service.name, overlay, env)) {
    configs[overlay.over] = applyOverlay(configs[overlay.over]!, readOverlay(overlay, env), values, `workspace/${overlay.file}`);
  }
  const serviceEnv = Object.fromEntries(Object.entries(service.env ?? {}).map(([key, value]) => [key, renderTemplate(value, values, where)]));
  // The same generated secrets compose reads from .env (written on the first start of either runtime).
  if (service.secrets?.length) {
    const secrets = ensureEnvFile(options.secretsFile ?? secretsFile).values;
    for (const name of service.secrets) serviceEnv[name] = secrets.get(name)!;
  }
  return {
    binary: binaryPath(engine, service.binary, env),
    args: service.args.map((arg) => renderTemplate(arg, values, where)),
    env: serviceEnv,
    configs,
    // Engines work in their data directory; the demo apps run from the repository (their code and tsx).
    cwd: engine.origin === 'node' ? repoRoot : nativePaths(env).data(service.name),
  };
}
