/**
 * The native driver: every engine as a host process. Configs are rendered from stack/config/<engine>/ into
 * .lab/config/<engine>/, data lives in .lab/data/<engine>/, output in .lab/logs/<engine>.log and the pid in
 * .lab/run/<engine>.pid. A start is readiness-gated: it fails at once if the process exits, and after the
 * service's timeout otherwise, naming the engine, its URL and the last lines of its log.
 * What touches the machine (starting, finding and stopping processes, binding ports, probing, the clock) is passed
 * in, defaulting to the real thing, so the driver's own logic is unit-tested without starting anything.
 */
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { StackError, UsageError } from '../../lib/errors.ts';
import type { Progress } from '../../lib/progress.ts';
import { binaryPath, engineInstalled, pathVariable, resolveEngine } from '../binaries.ts';
import { runProbe, type ProbeResult } from '../probes.ts';
import { waitUntilReady } from '../readiness.ts';
import type { Endpoints, ServiceStatus, StackRuntime } from '../runtime.ts';
import { planStart, services as serviceTable, stopGraceMs, type ServiceDefinition } from '../services.ts';
import { engineVersion } from '../versions.ts';
import { putFile, renderTemplate } from '../render.ts';
import { loopback, nativePaths, nativeValues, planLaunch } from './launch.ts';
import { ensureDatabase, preparePostgres, unprivilegedUser } from './prepare.ts';
// The real processes, ports and sleep, as defaults of what is passed in (NativeOptions).
import * as host from './process.ts';
// Pid files and logs: plain files under the state directory (O11Y_LAB_STATE), which tests point elsewhere.
import { readPid, removeFile, tailFile, writePid, type PidRecord, type StartOptions } from './process.ts';

export interface NativeOptions {
  env?: NodeJS.ProcessEnv;
  /** The secrets file (default: .env beside package.json, shared with compose). */
  secretsFile?: string;
  /** The services it knows (default: stack/services.ts; it runs those marked native). Tests pass a small table. */
  services?: ServiceDefinition[];
  /** Starts a process that outlives this one (default: startDetached). */
  spawn?: (options: StartOptions) => { pid: number; exited: Promise<number | null> };
  /** Is the process of a pid file still that program? (default: asks the OS) */
  isRunning?: (record: PidRecord | undefined) => boolean;
  /** Stops a process: the signal, then KILL after the grace (default: stopProcess). */
  stopProcess?: (record: PidRecord, graceMs: number, signal: NodeJS.Signals) => Promise<unknown>;
  /** Is nothing listening on this port of 127.0.0.1? (default: tries to bind it) */
  portFree?: (port: number) => Promise<boolean>;
  /** The readiness probe (default: stack/probes.ts against 127.0.0.1). */
  probe?: (service: ServiceDefinition) => Promise<ProbeResult>;
  /** The clock and the pause of the readiness wait; tests pass a fake clock that the sleep moves on. */
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

/** How long a stop waits for the stopped service's ports to be released. */
export const portReleaseMs = 2_000;

export function createNativeRuntime(options: NativeOptions = {}): StackRuntime {
  const env = options.env ?? process.env;
  const paths = nativePaths(env);
  const services = options.services ?? serviceTable;
  const spawn = options.spawn ?? host.startDetached;
  const isRunning = options.isRunning ?? host.isRunning;
  const stopProcess = options.stopProcess ?? host.stopProcess;
  const portFree = options.portFree ?? ((port: number) => host.portFree(port, loopback));
  const now = options.now ?? (() => Date.now());
  const sleep = options.sleep ?? host.sleep;

  const nativeServices = services.filter((service) => service.native);
  const findService = (name: string) => services.find((service) => service.name === name);

  const urlOf = (service: ServiceDefinition): string => {
    const port = engineVersion(service.engine).ports[service.url.port];
    return `${service.url.scheme}://${loopback}:${port}${service.url.path ?? ''}`;
  };

  const probe =
    options.probe ?? ((service: ServiceDefinition) => runProbe(service.ready, loopback, engineVersion(service.engine).ports[service.ready.port]!));

  /** Writes the service's rendered config files into its config directory. */
  const writeConfigs = (service: ServiceDefinition, configs: Record<string, string>) => {
    mkdirSync(paths.config(service.name), { recursive: true });
    for (const [file, text] of Object.entries(configs)) {
      const target = join(paths.config(service.name), file);
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, text);
    }
  };

  const assertPortsFree = async (service: ServiceDefinition) => {
    const ports = engineVersion(service.engine).ports;
    for (const name of service.ports) {
      const port = ports[name]!;
      if (!(await portFree(port))) {
        throw new StackError(
          `${service.title} cannot start: port ${port} (${name}) on ${loopback} is already in use by another program`,
          `Stop that program (\`ss -ltnp 'sport = :${port}'\` shows which), or run npm run stack:down if it is an older lab stack.`,
        );
      }
    }
  };

  /**
   * Waits (briefly) until a stopped service's ports are free. A multi-threaded engine's main thread can be gone
   * (a zombie, which is all the pid check sees) while its other threads still hold the sockets: a start right
   * after a stop then found Tempo's port 3200 taken. Bounded: after portReleaseMs the next start says which port.
   */
  const portsReleased = async (service: ServiceDefinition) => {
    const deadline = now() + portReleaseMs;
    for (const name of service.ports) {
      const port = engineVersion(service.engine).ports[name]!;
      while (!(await portFree(port)) && now() < deadline) await sleep(20);
    }
  };

  /** A service whose engine is missing (or whose own binary is broken): the three ways to provide it. */
  const notInstalled = (service: ServiceDefinition): StackError => {
    const engine = engineVersion(service.engine);
    const problem = resolveEngine(engine, env)?.problem;
    return new StackError(
      problem ? `${service.title}: ${problem}` : `${service.title} ${engine.version} is not installed`,
      `Provide it one of three ways: its release, with npm run engines:install ${engine.name} (npm run lab:start installs what its lab needs); ` +
        `a binary of your own, named in stack/engines.local.yaml or by ${pathVariable(engine.name)}; or Docker Compose (STACK_RUNTIME=compose).`,
    );
  };

  /** Starts one service unless it already runs, then waits until its probe passes. */
  const startOne = async (service: ServiceDefinition, progress: Progress): Promise<ServiceStatus> => {
    const engine = engineVersion(service.engine);
    const binary = binaryPath(engine, service.binary, env);
    const url = urlOf(service);
    const pidFile = paths.pid(service.name);
    const previous = readPid(pidFile);
    let exited: Promise<number | null> | undefined;

    if (isRunning(previous)) {
      if ((await probe(service)).ok) return { name: service.name, state: 'ready', url, pid: previous!.pid };
    } else {
      if (!engineInstalled(engine, env)) throw notInstalled(service);
      removeFile(pidFile);
      await assertPortsFree(service);
      const plan = planLaunch(service, { env, secretsFile: options.secretsFile });
      writeConfigs(service, plan.configs);
      mkdirSync(paths.data(service.name), { recursive: true });
      const runAs = unprivilegedUser(service.name);
      if (service.name === 'postgres') preparePostgres(dirname(binary), paths.data(service.name), paths.run, runAs);
      if (service.database) await ensureDatabase(urlOf(findService('postgres')!), service.database);
      const started = spawn({
        binary,
        args: plan.args,
        logFile: paths.log(service.name),
        cwd: plan.cwd,
        env: { ...env, ...plan.env },
        // The demo apps' stdout is their JSON log, which log shippers read: keep it pure JSON.
        header: engine.origin !== 'node',
        uid: runAs?.uid,
        gid: runAs?.gid,
      });
      writePid(pidFile, { pid: started.pid, binary, startedAt: new Date().toISOString() });
      exited = started.exited;
    }

    return progress.step(`waiting for ${service.title} at ${url}`, () => waitReady(service, url, exited));
  };

  /** Waits until the service's probe passes; a process that exits before that fails the start at once. */
  const waitReady = async (service: ServiceDefinition, url: string, exited?: Promise<number | null>): Promise<ServiceStatus> => {
    let exitCode: number | null | undefined;
    void exited?.then((code) => (exitCode = code));
    await waitUntilReady({
      service,
      url,
      probe: () => probe(service),
      now,
      sleep,
      logTail: () => tailFile(paths.log(service.name), 12, true),
      failFast: async () => {
        if (exitCode === undefined && isRunning(readPid(paths.pid(service.name)))) return;
        await sleep(200); // let the log catch the last words
        throw new StackError(
          `${service.title} exited${exitCode != null ? ` with code ${exitCode}` : ''} before it was ready (${url})`,
          `Read its log with npm run stack:logs ${service.name}.`,
          tailFile(paths.log(service.name), 12, true),
        );
      },
    });
    return { name: service.name, state: 'ready', url, pid: readPid(paths.pid(service.name))?.pid };
  };

  const statusOf = async (service: ServiceDefinition): Promise<ServiceStatus> => {
    const url = urlOf(service);
    const record = readPid(paths.pid(service.name));
    if (!isRunning(record)) {
      if (!record && !engineInstalled(engineVersion(service.engine), env)) {
        return { name: service.name, state: 'unavailable', url, detail: `not installed (npm run engines:install ${service.engine})` };
      }
      return { name: service.name, state: record ? 'failed' : 'stopped', url, ...(record ? { detail: 'process is gone' } : {}) };
    }
    const result = await probe(service);
    return { name: service.name, state: result.ok ? 'ready' : 'starting', url, pid: record!.pid, ...(result.ok ? {} : { detail: result.detail }) };
  };

  return {
    name: 'native',

    async up(requested, progress) {
      // A plain `up` starts every default service; an optional one whose engine is not installed is skipped, saying so.
      const skipped = requested.length > 0 ? [] : nativeServices.filter((s) => !s.labOnly && s.optional && !engineInstalled(engineVersion(s.engine), env));
      for (const service of skipped) {
        progress.info(`  ${service.title} ${engineVersion(service.engine).version} is not installed: skipped (npm run engines:install ${service.engine}, a binary of your own in stack/engines.local.yaml, or Docker)`);
      }
      const names = requested.length > 0 ? requested : nativeServices.filter((s) => !s.labOnly && !skipped.includes(s)).map((s) => s.name);
      const { waves, unknown } = planStart(names, nativeServices);
      if (unknown.length > 0) {
        throw new UsageError(`unknown service ${unknown.map((u) => `"${u}"`).join(', ')}`, `Native services are: ${nativeServices.map((s) => s.name).join(', ')}.`);
      }
      // A service asked for (or needed) whose engine is missing fails the start before anything starts.
      const missing = waves.flat().find((s) => !isRunning(readPid(paths.pid(s.name))) && !engineInstalled(engineVersion(s.engine), env));
      if (missing) throw notInstalled(missing);
      mkdirSync(paths.run, { recursive: true });
      // Each service starts as soon as the services it needs are ready — not when a whole wave is: the shop need
      // not wait for Loki. The waves give the order, so every need is already in the map when it is looked up.
      const starts = new Map<string, Promise<ServiceStatus>>();
      for (const service of waves.flat()) {
        const needed = service.needs.map((name) => starts.get(name)).filter((start) => start !== undefined);
        starts.set(service.name, Promise.all(needed).then(() => startOne(service, progress)));
      }
      // Report the first failure in start order (the cause; what needed it fails with the same error), after every
      // start has settled, so no wait is left running.
      const results = await Promise.allSettled(starts.values());
      const failed = results.find((result) => result.status === 'rejected');
      if (failed) throw failed.reason;
      return results.map((result) => (result as PromiseFulfilledResult<ServiceStatus>).value);
    },

    async down(progress, only) {
      await Promise.all(
        nativeServices.filter((service) => !only || only.includes(service.name)).map(async (service) => {
          const record = readPid(paths.pid(service.name));
          if (!record) return;
          if (!isRunning(record)) return removeFile(paths.pid(service.name));
          const graceMs = service.stop?.graceMs ?? stopGraceMs;
          const outcome = await progress.step(`stopping ${service.title}`, () => stopProcess(record, graceMs, service.stop?.signal ?? 'SIGTERM'));
          if (outcome === 'killed' && !service.stop?.why) progress.info(`  ${service.title} did not stop within ${graceMs / 1000} s: killed`);
          removeFile(paths.pid(service.name));
          await portsReleased(service);
        }),
      );
    },

    // Lab-only services are listed once they have been started.
    status: async () => (await Promise.all(nativeServices.map(statusOf))).filter((s) => s.state !== 'stopped' || !findService(s.name)?.labOnly),

    endpoints() {
      return Object.fromEntries(services.map((service) => [service.name, urlOf(service)]));
    },

    async reset(scope, progress) {
      const targets = scope === 'all' ? nativeServices : scope.map((name) => findService(name)).filter((s): s is ServiceDefinition => !!s);
      for (const service of targets) {
        if (isRunning(readPid(paths.pid(service.name)))) {
          throw new StackError(`${service.title} is running; its data cannot be reset while it runs`, 'Run npm run lab:stop first.');
        }
      }
      for (const service of targets) {
        if (existsSync(paths.data(service.name))) progress.info(`  removing ${service.title} data`);
        rmSync(paths.data(service.name), { recursive: true, force: true });
      }
    },

    writeConfig(name, file, template) {
      const service = findService(name);
      if (!service) throw new Error(`writeConfig: unknown service "${name}"`);
      const target = join(paths.config(name), file);
      return putFile(target, template === undefined ? undefined : renderTemplate(template, nativeValues(service, env), `${file} (the kit's, for ${name})`));
    },

    async logs(name, lines = 200) {
      const service = findService(name);
      if (!service) throw new UsageError(`unknown service "${name}"`, `Services are: ${services.map((s) => s.name).join(', ')}.`);
      const file = paths.log(name);
      if (!existsSync(file)) return `(${service.title} has not written a log yet: ${file})`;
      return tailFile(file, lines).join('\n');
    },
  };
}
