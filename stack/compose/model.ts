/**
 * The compose stack as data: which services it has, where its files are, and the render values each
 * service's templates get inside a container. Shared by the generator (stack/compose/build.ts) and the driver
 * (stack/compose/driver.ts), so both agree on names and paths without parsing compose.yaml.
 */
import { join } from 'node:path';
import { repoRoot, stateDir } from '../../lib/paths.ts';
import { renderValues, type RenderTarget, type RenderValues } from '../render.ts';
import { services, type ServiceDefinition } from '../services.ts';
import { engineVersion, loadVersions } from '../versions.ts';
import { composeOnlyServices, composeOverrides, type ComposeOverride } from './overrides.ts';

/** The compose project: container, network and volume names start with it. */
export const projectName = 'o11y-lab-kit';

export const composeFile = join(repoRoot, 'stack', 'compose.yaml');
/** Rendered configs, committed: stack/compose/config/<service>/… (compose.yaml mounts them). */
export const generatedConfigDir = join(repoRoot, 'stack', 'compose', 'config');
/** The generated secrets, beside package.json, git-ignored. */
export { secretsFile as defaultEnvFile } from '../secrets.ts';

/**
 * The kit's own copy of a service's config directory (overrides.ts liveConfigVariable), under .lab/: compose
 * mounts it instead of the committed one, so that a lab can put the student's file there and ask the engine to
 * reload, without touching the repository. The driver fills it from stack/compose/config/<service>/.
 */
export const liveConfigDir = (service: string, env: NodeJS.ProcessEnv = process.env) => join(stateDir(env), 'compose', 'config', service);

/** Inside every container the same layout: config read-only under /etc/lab, the student's workspace at /workspace. */
export const containerDirs = {
  config: (service: string) => `/etc/lab/${service}`,
  // Only PostgreSQL uses a run directory (its Unix socket); the image already owns this one.
  run: '/var/run/postgresql',
  workspace: '/workspace',
  /** Service output that log shippers read (the demo apps' JSON logs): the volume logsVolume, shared by containers. */
  logs: '/var/log/lab',
  /** Images without a data directory of their own. */
  defaultData: '/data',
};

/**
 * Why a service of stack/services.ts is not in the compose stack, or undefined when it is. Every service runs in a
 * container whose image versions.yaml names: an engine's own image, or for this repository's code (source `node`)
 * the base image of our own build (stack/apps/Dockerfile). A service with no image in versions.yaml (the course
 * site, the lab agent: they serve the student's browser from the host) stays on the host.
 */
export function leftOutOfCompose(service: ServiceDefinition): string | undefined {
  if (!engineVersion(service.engine).image) return `stack/versions.yaml gives engine "${service.engine}" no image: it runs on the host only`;
  return undefined;
}

/**
 * The compose profile of the services a lab starts on demand (labOnly in services.ts: the log shipper, which runs
 * the student's own config). A plain `docker compose up` leaves them out; naming one (`up log-shipper`) starts it.
 */
export const labProfile = 'lab';

export const profilesOf = (service: ServiceDefinition): string[] | undefined => (service.labOnly ? [labProfile] : undefined);

/** The named volume at containerDirs.logs: the demo services append their JSON logs there, log shippers read them. */
export const logsVolume = 'lab-logs';

/** Every long-running service of the compose stack, in start order: services.ts first, then compose-only ones. */
export function composeServices(): ServiceDefinition[] {
  const all = [...services.filter((s) => !leftOutOfCompose(s)), ...composeOnlyServices];
  const names = all.map((s) => s.name);
  const twice = names.filter((name, i) => names.indexOf(name) !== i);
  if (twice.length > 0) {
    throw new Error(`stack/compose/overrides.ts defines ${twice.join(', ')} again: it is in stack/services.ts now, delete it from composeOnlyServices`);
  }
  return all;
}

export function overrideOf(service: string): ComposeOverride {
  const override = composeOverrides[service];
  if (!override) throw new Error(`stack/compose/overrides.ts: no entry for service "${service}" in composeOverrides`);
  return override;
}

/** Where a service's templates point inside its container. Other services are reached by their service name. */
export function composeTarget(service: string): RenderTarget {
  return {
    listen: '0.0.0.0',
    hostOf: (name) => name,
    dirs: {
      data: composeOverrides[service]?.dataDir ?? containerDirs.defaultData,
      config: containerDirs.config(service),
      run: containerDirs.run,
      workspace: containerDirs.workspace,
      logs: containerDirs.logs,
    },
  };
}

export function composeValues(service: string): RenderValues {
  return renderValues(loadVersions().values(), composeTarget(service));
}

/**
 * The URL a person on this machine uses: every port is published on 127.0.0.1 under its own number (the Docker
 * test stack publishes elsewhere, through `published`).
 */
export function hostUrl(service: ServiceDefinition, published: (port: number) => number = (port) => port): string {
  const port = engineVersion(service.engine).ports[service.url.port]!;
  return `${service.url.scheme}://127.0.0.1:${published(port)}${service.url.path ?? ''}`;
}

/**
 * A short-syntax volume, source:target[:mode]; the source may be a ${VAR:-default} holding colons itself, and so
 * may the mode (everything after the target).
 */
export function parseVolume(volume: string): { source: string; target: string; mode?: string } {
  const sourceEnd = volume.startsWith('${') ? volume.indexOf('}') + 1 : volume.indexOf(':');
  const rest = volume.slice(sourceEnd + 1);
  const targetEnd = rest.indexOf(':');
  const target = targetEnd < 0 ? rest : rest.slice(0, targetEnd);
  const mode = targetEnd < 0 ? undefined : rest.slice(targetEnd + 1);
  return { source: volume.slice(0, sourceEnd), target, ...(mode ? { mode } : {}) };
}
