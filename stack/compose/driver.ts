/**
 * The compose driver: the lab stack in Docker Compose, from stack/compose.yaml (generated; see
 * stack/compose/build.ts). Compose starts the containers in dependency order and waits for their healthchecks
 * (`up --wait`); the driver then checks every service from this machine with the same readiness probe the
 * native driver uses, because what a student needs is the published port on 127.0.0.1 answering.
 * Data lives in named volumes (kept by `down`, removed by `reset`); secrets in a generated .env.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parse } from 'yaml';
import { StackError, UsageError } from '../../lib/errors.ts';
import { repoRoot, workspaceDir } from '../../lib/paths.ts';
import type { Progress } from '../../lib/progress.ts';
import { runProbe, type ProbeResult } from '../probes.ts';
import { waitUntilReady } from '../readiness.ts';
import type { Endpoints, ServiceStatus, StackRuntime } from '../runtime.ts';
import { planStart, type ServiceDefinition } from '../services.ts';
import { engineVersion } from '../versions.ts';
import { composeVersionSupported, dockerEngineAnswers, hostRootPropagation, noDockerError, runDocker, type DockerExec, type ExecResult } from './docker.ts';
import { ensureEnvFile } from '../secrets.ts';
import { fillLiveConfig } from './live-config.ts';
import { putFile, renderTemplate } from '../render.ts';
import { composeFile as defaultComposeFile, composeServices, composeValues, defaultEnvFile, hostUrl, labProfile, liveConfigDir, logsVolume, overrideOf, parseVolume, projectName } from './model.ts';
import { generatedSecrets } from '../secrets.ts';
import { composeJobs, hostRootPropagationVariable } from './overrides.ts';
import { containerState, parsePs } from './ps.ts';

export interface ComposeOptions {
  env?: NodeJS.ProcessEnv;
  /** Runs `docker …`; tests pass a recorder. */
  exec?: DockerExec;
  /** Does a Docker engine answer? */
  dockerAvailable?: (env: NodeJS.ProcessEnv) => boolean;
  /** The readiness probe, from this machine. */
  probe?: (service: ServiceDefinition) => Promise<ProbeResult>;
  composeFile?: string;
  /** Further compose files layered on top (the Docker test stack moves the published ports with one). */
  overrideFiles?: string[];
  /** The compose project; another name gives other containers, network and volumes. */
  project?: string;
  /** The host port a container port is published on (the same number unless an override file moves it). */
  published?: (port: number) => number;
  envFile?: string;
  /** The clock and the pause of the readiness wait; tests pass a fake clock that the sleep moves on. */
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

/** Profiles whose services `down` and `reset` must include, or their containers would be left behind. */
const allProfiles = [...new Set([...composeJobs.flatMap((job) => job.profiles), labProfile])];

const lastLines = (text: string, count: number) => text.trim().split('\n').filter(Boolean).slice(-count);

export function createComposeRuntime(options: ComposeOptions = {}): StackRuntime {
  const env = options.env ?? process.env;
  const exec = options.exec ?? runDocker;
  const dockerAvailable = options.dockerAvailable ?? dockerEngineAnswers;
  const file = options.composeFile ?? defaultComposeFile;
  const envFile = options.envFile ?? defaultEnvFile;
  const project = options.project ?? projectName;
  const published = options.published ?? ((port: number) => port);
  const urlOf = (service: ServiceDefinition) => hostUrl(service, published);
  const now = options.now ?? (() => Date.now());
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const probe =
    options.probe ?? ((service: ServiceDefinition) => runProbe(service.ready, '127.0.0.1', published(engineVersion(service.engine).ports[service.ready.port]!)));
  const all = composeServices();
  // Services whose config directory is the kit's own copy (overrides.ts liveConfigVariable): every compose command
  // names the same directory, or compose would see a changed service and recreate it.
  const liveConfigs = all.flatMap((s) => {
    const variable = overrideOf(s.name).liveConfigVariable;
    return variable ? [{ service: s.name, variable, dir: liveConfigDir(s.name, env) }] : [];
  });

  // Asked of Docker once, on the first compose command: every command must render the same node_exporter mount,
  // or compose would see a changed service and recreate it.
  let propagation: Promise<string> | undefined;

  /** `docker compose -f stack/compose.yaml --env-file .env …`, run from the repository root. */
  const compose = async (args: string[]): Promise<ExecResult> => {
    propagation ??= hostRootPropagation(exec, env, hostRootPropagationVariable);
    const fileArgs = [file, ...(options.overrideFiles ?? [])].flatMap((f) => ['-f', relative(repoRoot, f) || f]);
    const projectArgs = project === projectName ? [] : ['-p', project];
    // Only `up` writes .env. The other commands still need every ${NAME:?} to have a value, so that compose can
    // read the file at all; placeholders do, since they create nothing.
    const envArgs = existsSync(envFile) ? ['--env-file', relative(repoRoot, envFile)] : [];
    const placeholders = existsSync(envFile) ? {} : Object.fromEntries(Object.keys(generatedSecrets).map((name) => [name, env[name] ?? 'not-generated-yet']));
    return exec(['compose', ...fileArgs, ...projectArgs, ...envArgs, ...args], {
      cwd: repoRoot,
      env: {
        ...env,
        ...placeholders,
        O11Y_LAB_WORKSPACE: workspaceDir(env),
        [hostRootPropagationVariable]: await propagation,
        ...Object.fromEntries(liveConfigs.map((c) => [c.variable, c.dir])),
      },
    });
  };

  const requireDocker = async () => {
    if (!dockerAvailable(env)) throw noDockerError();
    const version = await exec(['compose', 'version', '--short'], { env, timeoutMs: 10_000 });
    if (version.code !== 0 || !composeVersionSupported(version.stdout)) {
      const what = version.code !== 0 ? '`docker compose version` failed' : `it is ${version.stdout.trim() || 'of no known version'}`;
      throw new StackError(
        `Docker answers, but the compose runtime needs Docker Compose v2 or later (${what})`,
        'Install the Compose plugin (Docker Desktop includes it; on Linux the docker-compose-plugin package), or use STACK_RUNTIME=native.',
        lastLines(version.stderr, 3),
      );
    }
  };

  const find = (name: string) => all.find((s) => s.name === name);
  const titleOf = (name: string) => find(name)?.title ?? composeJobs.find((j) => j.name === name)?.title ?? name;

  const containers = async () => {
    const result = await compose(['ps', '--all', '--format', 'json']);
    if (result.code !== 0) throw new StackError(`docker compose ps failed: ${lastLines(result.stderr, 1)[0] ?? `exit code ${result.code}`}`, 'Check that Docker runs (docker info).');
    return parsePs(result.stdout);
  };

  const statusOf = async (service: ServiceDefinition, found: ReturnType<typeof parsePs>): Promise<ServiceStatus> => {
    const url = urlOf(service);
    const container = containerState(found.find((c) => c.Service === service.name));
    if (container.state === 'stopped') return { name: service.name, state: 'stopped', url, ...(container.detail ? { detail: container.detail } : {}) };
    const result = await probe(service);
    if (container.state === 'failed') return { name: service.name, state: 'failed', url, detail: `${container.detail}; ${result.detail}` };
    return result.ok ? { name: service.name, state: 'ready', url } : { name: service.name, state: 'starting', url, detail: result.detail };
  };

  const logTail = async (name: string, lines: number) => {
    const result = await compose(['logs', '--no-color', '--no-log-prefix', '--tail', String(lines), name]);
    // The container's output is compose's stdout; compose's own warnings (stderr) matter only when it failed.
    return lastLines(result.code === 0 ? result.stdout : `${result.stdout}\n${result.stderr}`, lines);
  };

  /** Polls the host probe until the service answers, or its start timeout passes. */
  const waitReady = async (service: ServiceDefinition): Promise<ServiceStatus> => {
    const url = urlOf(service);
    await waitUntilReady({ service, url, probe: () => probe(service), now, sleep, logTail: () => logTail(service.name, 12) });
    return { name: service.name, state: 'ready', url };
  };

  /** Turns a failed `up` into one message naming the service (or the port) and the fix. */
  const startFailure = async (result: ExecResult, planned: ServiceDefinition[]): Promise<StackError> => {
    const output = `${result.stdout}\n${result.stderr}`;
    const port = /(?:Bind for|listen tcp4?) [\d.]*:(\d+)[: ].*(?:already allocated|address already in use)/i.exec(output)?.[1];
    if (port) {
      const owner = all.find((s) => Object.values(engineVersion(s.engine).ports).includes(Number(port)));
      return new StackError(
        `${owner?.title ?? 'a service'} cannot start: port ${port} on 127.0.0.1 is already in use by another program`,
        `Stop that program (\`ss -ltnp 'sport = :${port}'\` shows which); if it is the native lab stack, run STACK_RUNTIME=native npm run stack:down.`,
      );
    }
    const found = await containers().catch(() => []);
    for (const service of planned) {
      const container = containerState(found.find((c) => c.Service === service.name));
      if (container.state === 'failed') {
        return new StackError(
          `${service.title} did not start in Docker Compose (${container.detail}; ${urlOf(service)})`,
          `Read its log with npm run stack:logs ${service.name}.`,
          await logTail(service.name, 12),
        );
      }
    }
    return new StackError(
      `docker compose up failed: ${lastLines(result.stderr, 1)[0] ?? `exit code ${result.code}`}`,
      'Read the lines below; npm run doctor checks Docker, ports and memory.',
      lastLines(output, 12),
    );
  };

  /**
   * The named volumes that hold a service's own data, as compose.yaml declares them. The logs volume is shared
   * between services (and holds output, not data): only a reset of everything removes it.
   */
  const volumesOf = (service: string): string[] => {
    const doc = parse(readFileSync(file, 'utf8')) as { services: Record<string, { volumes?: string[] }>; volumes?: Record<string, unknown> };
    const named = new Set(Object.keys(doc.volumes ?? {}));
    return (doc.services[service]?.volumes ?? []).map((v) => parseVolume(v).source).filter((source) => named.has(source) && source !== logsVolume);
  };

  /**
   * A service that starts gets the kit's config again, as natively (where a start renders it): the default, with
   * the student's overlay while a lab applies one (live-config.ts). What a lab wrote into a running one's
   * directory (Alertmanager's routing file) lasts while it runs. A running one keeps its files.
   */
  const refreshLiveConfigs = async (starting: string[]) => {
    const wanted = liveConfigs.filter((c) => starting.includes(c.service));
    if (wanted.length === 0) return;
    const found = await containers();
    for (const { service, dir } of wanted) {
      const running = found.some((c) => c.Service === service && c.State === 'running');
      if (running && existsSync(dir)) continue;
      fillLiveConfig(service, env);
    }
  };

  return {
    name: 'compose',

    async up(requested, progress) {
      await requireDocker();
      // Lab-only services (the log shipper) start when a lab names them, never with the whole stack: as natively.
      // Naming a service in a profile is enough for compose to start it.
      const names = requested.length > 0 ? requested : all.filter((s) => !s.labOnly).map((s) => s.name);
      const { waves, unknown } = planStart(names, all);
      if (unknown.length > 0) {
        throw new UsageError(`unknown service ${unknown.map((u) => `"${u}"`).join(', ')}`, `Compose services are: ${all.map((s) => s.name).join(', ')}.`);
      }
      const { added } = ensureEnvFile(envFile);
      if (added.length > 0) progress.info(`  wrote ${relative(repoRoot, envFile)} with new secrets (${added.join(', ')}); it is git-ignored — keep it`);
      // Compose would create a missing bind-mount source as root; make the workspace ours first.
      mkdirSync(workspaceDir(env), { recursive: true });
      await refreshLiveConfigs(waves.flat().map((s) => s.name));
      const result = await progress.step(`starting ${names.join(', ')} with Docker Compose (the first start downloads the images)`, () =>
        compose(['up', '-d', '--wait', ...names]),
      );
      const planned = waves.flat();
      if (result.code !== 0) throw await startFailure(result, planned);
      return Promise.all(planned.map((service) => progress.step(`waiting for ${service.title} at ${urlOf(service)}`, () => waitReady(service))));
    },

    async down(progress, only) {
      await requireDocker();
      const unknown = (only ?? []).filter((name) => !find(name));
      if (unknown.length > 0) throw new UsageError(`unknown service ${unknown.map((u) => `"${u}"`).join(', ')}`, `Compose services are: ${all.map((s) => s.name).join(', ')}.`);
      // Named services are only stopped (their containers stay, for `up` to start again); everything is taken down.
      const result = only?.length
        ? await progress.step(`stopping ${only.join(', ')}`, () => compose(['stop', ...only]))
        : await progress.step('stopping the compose stack (data volumes are kept)', () => compose([...allProfiles.flatMap((p) => ['--profile', p]), 'down', '--remove-orphans']));
      if (result.code !== 0) throw new StackError(`docker compose down failed: ${lastLines(result.stderr, 1)[0] ?? ''}`, 'Check that Docker runs (docker info).', lastLines(result.stderr, 8));
    },

    async status() {
      if (!dockerAvailable(env)) {
        return all.map((service) => ({ name: service.name, state: 'unavailable' as const, url: urlOf(service), detail: 'no Docker engine answers `docker info`' }));
      }
      const found = await containers();
      // Lab-only services are listed once they have been started, as natively.
      return (await Promise.all(all.map((service) => statusOf(service, found)))).filter((s) => s.state !== 'stopped' || !find(s.name)?.labOnly);
    },

    endpoints(): Endpoints {
      return Object.fromEntries(all.map((service) => [service.name, urlOf(service)]));
    },

    async reset(scope, progress) {
      const unknown = scope === 'all' ? [] : scope.filter((name) => !find(name));
      if (unknown.length > 0) throw new UsageError(`unknown service ${unknown.map((u) => `"${u}"`).join(', ')}`, `Compose services are: ${all.map((s) => s.name).join(', ')}.`);
      await requireDocker();
      const targets = scope === 'all' ? all.map((s) => s.name) : scope;
      const found = await containers();
      for (const name of targets) {
        const container = found.find((c) => c.Service === name);
        if (container && (container.State === 'running' || container.State === 'restarting')) {
          throw new StackError(`${titleOf(name)} is running; its data cannot be reset while it runs`, 'Run npm run lab:stop first.');
        }
      }
      if (scope === 'all') {
        const result = await progress.step('removing the compose stack and its data volumes', () =>
          compose([...allProfiles.flatMap((p) => ['--profile', p]), 'down', '--volumes', '--remove-orphans']),
        );
        if (result.code !== 0) throw new StackError(`docker compose down --volumes failed: ${lastLines(result.stderr, 1)[0] ?? ''}`, 'Check that Docker runs (docker info).');
        return;
      }
      for (const name of targets) {
        const volumes = volumesOf(name);
        if (volumes.length === 0) continue;
        progress.info(`  removing ${titleOf(name)} data`);
        // A stopped container still holds its volumes: remove it first (up creates it again).
        await compose(['rm', '--force', name]);
        const removed = await exec(['volume', 'rm', ...volumes.map((v) => `${project}_${v}`)], { env });
        if (removed.code !== 0 && !/no such volume/i.test(removed.stderr)) {
          throw new StackError(`could not remove the data of ${titleOf(name)}: ${lastLines(removed.stderr, 1)[0] ?? ''}`, 'Run npm run lab:stop, then try again.');
        }
      }
    },

    writeConfig(name, file, template) {
      // Only a service whose config directory is the kit's live copy can be given a file while it runs.
      if (!liveConfigs.some((c) => c.service === name)) throw new Error(`writeConfig: ${name} has no live config directory in compose (overrides.ts liveConfigVariable)`);
      const target = join(liveConfigDir(name, env), file);
      return putFile(target, template === undefined ? undefined : renderTemplate(template, composeValues(name), `${file} (the kit's, for ${name})`));
    },

    async logs(name, lines = 200) {
      if (!find(name) && !composeJobs.some((j) => j.name === name)) {
        throw new UsageError(`unknown service "${name}"`, `Services are: ${[...all.map((s) => s.name), ...composeJobs.map((j) => j.name)].join(', ')}.`);
      }
      await requireDocker();
      const tail = await logTail(name, lines);
      return tail.length > 0 ? tail.join('\n') : `(${titleOf(name)} has not written a log yet)`;
    },
  };
}
