/**
 * The native driver without starting a process. On a machine without the engines (an empty engine cache, no
 * binaries of one's own): Grafana, optional, is skipped by a plain `up` with one line saying so; asked for by name
 * it fails before anything starts, naming the three ways to provide it; and the stack's status (what the lab agent
 * serves) lists it. Over a fake machine (processes, ports, probes and clock passed in, CONVENTIONS.md §4): start
 * order, readiness, fail-fast, ports in use and stop.
 */
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { LabKitError, StackError } from '../../lib/errors.ts';
import { createProgress } from '../../lib/progress.ts';
import { engineInstallDir } from '../binaries.ts';
import { findService, stopGraceMs } from '../services.ts';
import { engineVersion } from '../versions.ts';
import { createNativeRuntime, portReleaseMs, type NativeOptions } from './driver.ts';
import type { StartOptions } from './process.ts';

const root = mkdtempSync(join(tmpdir(), 'o11y-native-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const state = join(root, 'state');
// Only PATH from the real environment: no O11Y_LAB_<ENGINE>_PATH of the developer's leaks in.
const env: NodeJS.ProcessEnv = {
  PATH: process.env.PATH,
  O11Y_LAB_STATE: state,
  O11Y_LAB_WORKSPACE: join(root, 'workspace'),
  O11Y_LAB_CACHE: join(root, 'cache'),
  O11Y_LAB_ENGINES_LOCAL: join(root, 'engines.local.yaml'),
};
const runtime = createNativeRuntime({ env, secretsFile: join(root, '.env') });

function recorder() {
  const lines: string[] = [];
  return { lines, progress: createProgress({ write: (line) => lines.push(line) }) };
}

describe('Grafana, not installed', () => {
  it('asked for by name: fails before anything starts, naming the three ways to provide it', async () => {
    const { progress, lines } = recorder();
    const attempt = runtime.up(['grafana'], progress);
    await expect(attempt).rejects.toBeInstanceOf(StackError);
    const error = (await attempt.catch((e: unknown) => e)) as LabKitError;
    expect(error.message).toBe('Grafana 12.3.1 is not installed');
    expect(error.fix).toContain('npm run engines:install grafana');
    expect(error.fix).toContain('stack/engines.local.yaml');
    expect(error.fix).toContain('O11Y_LAB_GRAFANA_PATH');
    expect(error.fix).toContain('Docker Compose (STACK_RUNTIME=compose)');
    // PostgreSQL and Redis, which it needs, were not started (nor anything else) for a start that cannot succeed.
    expect(lines.filter((line) => line.startsWith('…'))).toEqual([]);
    expect(existsSync(join(state, 'run'))).toBe(false);
    expect(existsSync(join(state, 'config'))).toBe(false);
  });

  it('a plain up skips it with one line, and fails (here) only on an engine that is not optional', async () => {
    const { progress, lines } = recorder();
    const error = (await runtime.up([], progress).catch((e: unknown) => e)) as LabKitError;
    expect(lines.filter((line) => line.includes('Grafana'))).toEqual([
      '  Grafana 12.3.1 is not installed: skipped (npm run engines:install grafana, a binary of your own in stack/engines.local.yaml, or Docker)',
    ]);
    // This cache is empty, so the first engine of the table is missing too: that one is the error, not Grafana.
    expect(error).toBeInstanceOf(StackError);
    expect(error.message).not.toContain('Grafana');
    expect(existsSync(join(state, 'run'))).toBe(false);
  });

  it('is listed by the status (and so by the lab agent) as unavailable, saying how to install it', async () => {
    const grafana = (await runtime.status()).find((s) => s.name === 'grafana');
    expect(grafana).toEqual({ name: 'grafana', state: 'unavailable', url: 'http://127.0.0.1:3000', detail: 'not installed (npm run engines:install grafana)' });
  });
});

/**
 * The driver's own logic over a fake machine: engines "installed" as empty files in a cache of the test's own,
 * processes that are only numbers in a table, ports that are free unless the test says otherwise, and a clock
 * that the driver's sleeps move on. The table of services is small and made up from the real ones, so that a
 * start has two waves without PostgreSQL (whose preparation runs initdb).
 */
describe('over a fake machine', () => {
  const prometheus = findService('prometheus')!;
  const loki = findService('loki')!;
  // As if Alertmanager needed the other two: it starts in a second wave.
  const alertmanager = { ...findService('alertmanager')!, needs: ['prometheus', 'loki'] };
  const defaultTable = [prometheus, loki, alertmanager];

  const dirs: string[] = [];
  afterEach(() => dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));

  /** A driver over a fake machine; `probe` answers for each service (default: ready at once). */
  function fakeMachine(options: Partial<NativeOptions> = {}, table = defaultTable) {
    const dir = mkdtempSync(join(tmpdir(), 'o11y-native-fake-'));
    dirs.push(dir);
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      O11Y_LAB_STATE: join(dir, 'state'),
      O11Y_LAB_WORKSPACE: join(dir, 'workspace'),
      O11Y_LAB_CACHE: join(dir, 'cache'),
      O11Y_LAB_ENGINES_LOCAL: join(dir, 'engines.local.yaml'),
    };
    // Installed, as engines:install records it: every binary of the engine, here an empty file.
    for (const name of new Set(table.map((s) => s.engine))) {
      const engine = engineVersion(name);
      const installDir = engineInstallDir(engine, env);
      mkdirSync(join(installDir, 'bin'), { recursive: true });
      for (const binary of engine.binaries) writeFileSync(join(installDir, 'bin', binary), '');
      const record = { engine: name, version: engine.version, way: 'release', binaries: Object.fromEntries(engine.binaries.map((b) => [b, `bin/${b}`])), installedAt: new Date(0).toISOString() };
      writeFileSync(join(installDir, 'install.json'), JSON.stringify(record));
    }

    let clock = 0;
    let nextPid = 40_000;
    const running = new Set<number>();
    const events: string[] = [];
    const started: StartOptions[] = [];
    const stopped: number[] = [];
    const stops: { pid: number; graceMs: number; signal: NodeJS.Signals }[] = [];
    /** Makes a started process exit with this code (none: it keeps running). */
    const exits = new Map<string, number>();
    const serviceOf = (options: StartOptions) => table.find((s) => options.logFile.endsWith(`/${s.name}.log`))!.name;

    const lines: string[] = [];
    const progress = createProgress({ write: (line) => lines.push(line) });
    const runtime = createNativeRuntime({
      env,
      services: table,
      secretsFile: join(dir, '.env'),
      spawn: (start) => {
        const name = serviceOf(start);
        const pid = nextPid++;
        started.push(start);
        events.push(`start ${name}`);
        running.add(pid);
        // What the engine would have written before it failed.
        mkdirSync(dirname(start.logFile), { recursive: true });
        appendFileSync(start.logFile, `${name} starting\n${name}: level=error msg="something went wrong"\n`);
        const code = exits.get(name);
        if (code !== undefined) running.delete(pid);
        return { pid, exited: code === undefined ? new Promise<number | null>(() => undefined) : Promise.resolve(code) };
      },
      isRunning: (record) => !!record && running.has(record.pid),
      stopProcess: async (record, graceMs, signal) => {
        running.delete(record.pid);
        stopped.push(record.pid);
        stops.push({ pid: record.pid, graceMs, signal });
        return 'stopped';
      },
      portFree: async () => true,
      probe: async (service) => {
        events.push(`ready ${service.name}`);
        return { ok: true, detail: 'HTTP 200' };
      },
      now: () => clock,
      sleep: async (ms) => void (clock += ms),
      ...options,
    });
    return { runtime, env, events, started, stopped, stops, running, exits, progress, lines, clock: () => clock };
  }

  it('starts what a service needs first, the first wave together, each gated by its probe', async () => {
    // Prometheus answers only once Loki has started too: a driver that started one service after the other would
    // wait on Prometheus forever (here, until its timeout).
    const { runtime, events, started, lines, progress } = fakeMachine({
      probe: async (service) => {
        if (service.name === 'prometheus' && !events.includes('start loki')) return { ok: false, detail: 'connection refused' };
        events.push(`ready ${service.name}`);
        return { ok: true, detail: 'HTTP 200' };
      },
    });
    const statuses = await runtime.up(['alertmanager'], progress);
    expect(statuses.map((s) => [s.name, s.state, s.url])).toEqual([
      ['prometheus', 'ready', 'http://127.0.0.1:9090'],
      ['loki', 'ready', 'http://127.0.0.1:3100'],
      ['alertmanager', 'ready', 'http://127.0.0.1:9093'],
    ]);
    expect(statuses.map((s) => s.pid)).toEqual([40_000, 40_001, 40_002]);
    // Alertmanager starts only once both of the first wave answer.
    expect(events.indexOf('start alertmanager')).toBeGreaterThan(events.indexOf('ready prometheus'));
    expect(events.indexOf('start alertmanager')).toBeGreaterThan(events.indexOf('ready loki'));
    // Each with its binary, its rendered flags and a log of its own.
    expect(started[0]).toMatchObject({ binary: expect.stringMatching(/\/bin\/prometheus$/), logFile: expect.stringMatching(/\/logs\/prometheus\.log$/), header: true });
    expect(started[0]!.args).toContain('--web.listen-address=127.0.0.1:9090');
    // The progress the user sees: one step per service.
    expect(lines.filter((line) => line.startsWith('…'))).toEqual([
      '… waiting for Prometheus at http://127.0.0.1:9090',
      '… waiting for Loki at http://127.0.0.1:3100',
      '… waiting for Alertmanager at http://127.0.0.1:9093',
    ]);
  });

  it('starts a service as soon as what it needs is ready, not when every service started before it is', async () => {
    // Loki answers only once Alertmanager has started: a driver that waited for all of Prometheus and Loki (a
    // "wave") before starting Alertmanager would wait on Loki until its timeout.
    const onlyPrometheus = { ...alertmanager, needs: ['prometheus'] };
    const { runtime, events, progress } = fakeMachine(
      {
        probe: async (service) => {
          if (service.name === 'loki' && !events.includes('start alertmanager')) return { ok: false, detail: 'connection refused' };
          events.push(`ready ${service.name}`);
          return { ok: true, detail: 'HTTP 200' };
        },
      },
      [prometheus, loki, onlyPrometheus],
    );
    const statuses = await runtime.up([], progress);
    expect(statuses.map((s) => [s.name, s.state])).toEqual([['prometheus', 'ready'], ['loki', 'ready'], ['alertmanager', 'ready']]);
    expect(events.indexOf('start alertmanager')).toBeGreaterThan(events.indexOf('ready prometheus'));
    expect(events.indexOf('start alertmanager')).toBeLessThan(events.indexOf('ready loki'));
  });

  it('starts what a service only calls along with it, without waiting for it', async () => {
    const caller = { ...alertmanager, needs: [], calls: ['loki'] };
    const { runtime, events, progress } = fakeMachine(
      {
        probe: async (service) => {
          if (service.name === 'loki' && !events.includes('ready alertmanager')) return { ok: false, detail: 'connection refused' };
          events.push(`ready ${service.name}`);
          return { ok: true, detail: 'HTTP 200' };
        },
      },
      [loki, caller],
    );
    const statuses = await runtime.up(['alertmanager'], progress);
    expect(statuses.map((s) => s.name).sort()).toEqual(['alertmanager', 'loki']);
    expect(events.indexOf('ready alertmanager')).toBeLessThan(events.indexOf('ready loki'));
  });

  it('stops each service with its own signal and grace (PostgreSQL fast, Tempo killed after a second), others with the default', async () => {
    const postgresLike = { ...loki, stop: { signal: 'SIGINT' as const } };
    const tempoLike = { ...alertmanager, needs: [], stop: { graceMs: 1_000, why: 'a hard-coded shutdown sleep' } };
    const { runtime, progress, stops } = fakeMachine({}, [prometheus, postgresLike, tempoLike]);
    await runtime.up([], progress);
    await runtime.down(progress);
    // Which pid is which depends on the order the starts reach spawn: compare what each stop was given.
    const given = stops.map(({ graceMs, signal }) => `${signal} ${graceMs}`).sort();
    expect(given).toEqual([`SIGINT ${stopGraceMs}`, 'SIGTERM 1000', `SIGTERM ${stopGraceMs}`].sort());
    expect(findService('postgres')!.stop?.signal).toBe('SIGINT');
    expect(findService('tempo')!.stop?.graceMs).toBeLessThanOrEqual(1_000);
  });

  it("returns from a stop only once the service's ports are free (a process can be gone while its sockets are not), for a bounded time", async () => {
    let busyLooks = 3;
    const looked: number[] = [];
    const { runtime, progress, clock } = fakeMachine({
      portFree: async (port) => {
        looked.push(port);
        return busyLooks-- <= 0;
      },
    }, [prometheus]);
    busyLooks = 0;
    await runtime.up([], progress);
    busyLooks = 3;
    looked.length = 0;
    const before = clock();
    await runtime.down(progress);
    expect(looked).toEqual(Array(4).fill(engineVersion('prometheus').ports.http));
    expect(clock() - before).toBe(60);

    // A port that never frees does not hang the stop: it gives up after portReleaseMs.
    busyLooks = 0;
    await runtime.up([], progress);
    busyLooks = Number.POSITIVE_INFINITY;
    const start = clock();
    await runtime.down(progress);
    expect(clock() - start).toBeGreaterThanOrEqual(portReleaseMs);
    expect(clock() - start).toBeLessThan(portReleaseMs + 100);
  });

  it('is idempotent: a service that runs and answers is not started again', async () => {
    const { runtime, started, progress } = fakeMachine();
    await runtime.up(['prometheus'], progress);
    const again = await runtime.up(['prometheus'], progress);
    expect(started).toHaveLength(1);
    expect(again).toEqual([{ name: 'prometheus', state: 'ready', url: 'http://127.0.0.1:9090', pid: 40_000 }]);
  });

  it('fails after the start timeout when a service never answers, naming it, its URL, the wait and the last probe, with its log', async () => {
    const { runtime, progress, clock } = fakeMachine({ probe: async () => ({ ok: false, detail: 'connection refused' }) });
    const error = (await runtime.up(['prometheus'], progress).catch((e: unknown) => e)) as LabKitError;
    expect(error).toBeInstanceOf(StackError);
    expect(error.message).toBe('Prometheus was not ready at http://127.0.0.1:9090 after 1m00s (last probe: connection refused)');
    expect(error.fix).toBe('Read its log with npm run stack:logs prometheus; npm run doctor checks ports and memory.');
    expect(error.details).toEqual(['prometheus starting', 'prometheus: level=error msg="something went wrong"']);
    expect(clock()).toBeGreaterThanOrEqual(prometheus.startTimeoutMs);
    expect(clock()).toBeLessThan(prometheus.startTimeoutMs + 1000);
  });

  it('fails at once when the process exits before it is ready, with its exit code and its log', async () => {
    const { runtime, progress, exits, clock } = fakeMachine({ probe: async () => ({ ok: false, detail: 'connection refused' }) });
    exits.set('loki', 1);
    const error = (await runtime.up(['loki'], progress).catch((e: unknown) => e)) as LabKitError;
    expect(error.message).toBe('Loki exited with code 1 before it was ready (http://127.0.0.1:3100)');
    expect(error.fix).toBe('Read its log with npm run stack:logs loki.');
    expect(error.details).toEqual(['loki starting', 'loki: level=error msg="something went wrong"']);
    // No waiting out the 90 s: one probe, then the pause that lets the log catch up.
    expect(clock()).toBeLessThan(1000);
  });

  it('refuses to start a service whose port another program holds, before starting it', async () => {
    const { runtime, progress, started } = fakeMachine({ portFree: async (port) => port !== 9090 });
    const error = (await runtime.up(['prometheus'], progress).catch((e: unknown) => e)) as LabKitError;
    expect(error).toBeInstanceOf(StackError);
    expect(error.message).toBe('Prometheus cannot start: port 9090 (http) on 127.0.0.1 is already in use by another program');
    expect(error.fix).toContain("ss -ltnp 'sport = :9090'");
    expect(started).toEqual([]);
  });

  it('does not start the second wave when the first fails', async () => {
    const { runtime, progress, events } = fakeMachine({ portFree: async (port) => port !== 3100 });
    await expect(runtime.up(['alertmanager'], progress)).rejects.toThrow('Loki cannot start: port 3100');
    expect(events).not.toContain('start alertmanager');
  });

  it('stops what it started (only the services named, when named), removes their pid files and reports them stopped', async () => {
    const { runtime, progress, stopped, lines, env } = fakeMachine();
    await runtime.up(['alertmanager'], progress);
    await runtime.down(progress, ['loki']);
    expect(stopped).toEqual([40_001]);
    expect(existsSync(join(env.O11Y_LAB_STATE!, 'run', 'loki.pid'))).toBe(false);
    expect(existsSync(join(env.O11Y_LAB_STATE!, 'run', 'prometheus.pid'))).toBe(true);
    await runtime.down(progress);
    expect(stopped.sort()).toEqual([40_000, 40_001, 40_002]);
    expect(lines.filter((line) => line.startsWith('… stopping')).sort()).toEqual(['… stopping Alertmanager', '… stopping Loki', '… stopping Prometheus']);
    expect((await runtime.status()).map((s) => [s.name, s.state])).toEqual([
      ['prometheus', 'stopped'],
      ['loki', 'stopped'],
      ['alertmanager', 'stopped'],
    ]);
  });
});
