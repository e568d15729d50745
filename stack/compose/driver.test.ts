/**
 * The compose driver's behaviour, without a Docker engine: `docker` is a recorder that answers like Compose
 * would (process spawning is passed in, CONVENTIONS.md §4). What runs for real is in compose.docker.test.ts.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { parse } from 'yaml';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { StackError, UsageError } from '../../lib/errors.ts';
import { repoRoot } from '../../lib/paths.ts';
import { silentProgress } from '../../lib/progress.ts';
import type { ExecOptions, ExecResult } from './docker.ts';
import { createComposeRuntime, type ComposeOptions } from './driver.ts';
import { setOverlay } from '../overlay.ts';
import { parseEnvFile } from '../secrets.ts';
import { engineVersion } from '../versions.ts';
import { generatedSecrets } from '../secrets.ts';

interface Call {
  args: string[];
  options?: ExecOptions;
}

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));

/** A driver over a fake `docker`: `answer` picks the reply for each call (default: success, no output). */
function setup(answer: (args: string[]) => Partial<ExecResult> = () => ({}), options: Partial<ComposeOptions> = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'o11y-compose-'));
  dirs.push(dir);
  const calls: Call[] = [];
  const envFile = join(dir, '.env');
  const env = { PATH: process.env.PATH, O11Y_LAB_WORKSPACE: join(dir, 'workspace'), O11Y_LAB_STATE: join(dir, 'state') };
  const runtime = createComposeRuntime({
    env,
    envFile,
    dockerAvailable: () => true,
    probe: async () => ({ ok: true, detail: 'HTTP 200' }),
    sleep: async () => undefined,
    exec: async (args, execOptions) => {
      calls.push({ args, options: execOptions });
      // `docker compose version --short` answers like Compose v5 unless a test says otherwise.
      return { code: 0, stdout: args[1] === 'version' ? '5.6.0\n' : '', stderr: '', ...answer(args) };
    },
    ...options,
  });
  return { runtime, calls, envFile, env, dir };
}

const psLine = (Service: string, State: string, Health = '', ExitCode = 0) => JSON.stringify({ Service, State, Health, ExitCode, Name: `o11y-lab-kit-${Service}-1` });

describe('without a Docker engine', () => {
  it('refuses every action with one error that names Docker and the way out, and runs no docker command', async () => {
    const { runtime, calls } = setup(undefined, { dockerAvailable: () => false });
    const attempt = runtime.up([], silentProgress);
    await expect(attempt).rejects.toBeInstanceOf(StackError);
    await expect(attempt).rejects.toThrow('no Docker engine answers `docker info`');
    await expect(runtime.up([], silentProgress)).rejects.toMatchObject({ fix: expect.stringMatching(/Start Docker.*STACK_RUNTIME=native/) });
    await expect(runtime.down(silentProgress)).rejects.toBeInstanceOf(StackError);
    expect(calls).toEqual([]);
  });

  it('reports every service as unavailable, with the reason', async () => {
    const { runtime } = setup(undefined, { dockerAvailable: () => false });
    const statuses = await runtime.status();
    expect(statuses.length).toBeGreaterThan(8);
    for (const s of statuses) expect(s).toMatchObject({ state: 'unavailable', detail: 'no Docker engine answers `docker info`' });
  });

  it('says so when Docker answers but no Compose plugin does', async () => {
    const { runtime } = setup((args) => (args[1] === 'version' ? { code: 1, stderr: "docker: 'compose' is not a docker command." } : {}));
    await expect(runtime.up([], silentProgress)).rejects.toThrow('needs Docker Compose v2 or later (`docker compose version` failed)');
  });

  it('accepts Compose v2 and every later major (v5 is current), and refuses v1', async () => {
    for (const short of ['2.40.3', 'v2.29.7-desktop.1', '5.6.0']) {
      const { runtime } = setup((args) => (args[1] === 'version' ? { stdout: `${short}\n` } : {}));
      await expect(runtime.up(['grafana'], silentProgress), short).resolves.toBeDefined();
    }
    const { runtime } = setup((args) => (args[1] === 'version' ? { stdout: '1.29.2\n' } : {}));
    await expect(runtime.up([], silentProgress)).rejects.toThrow('needs Docker Compose v2 or later (it is 1.29.2)');
  });
});

describe('up', () => {
  it("asks Docker whether it is Docker Desktop, and has compose mount node_exporter's host root rprivate there, rslave elsewhere", async () => {
    const desktop = setup((args) => (args[0] === 'version' ? { stdout: 'Docker Desktop 4.50.0 (209931)\n' } : {}));
    await desktop.runtime.up(['node_exporter'], silentProgress);
    const up = desktop.calls.find((c) => c.args.includes('up'))!;
    expect(up.options?.env?.O11Y_LAB_HOST_ROOT_PROPAGATION).toBe('rprivate');
    const linux = setup((args) => (args[0] === 'version' ? { stdout: 'Docker Engine - Community\n' } : {}));
    await linux.runtime.up(['node_exporter'], silentProgress);
    expect(linux.calls.find((c) => c.args.includes('up'))!.options?.env?.O11Y_LAB_HOST_ROOT_PROPAGATION).toBe('rslave');
    // Asked once, for every compose command alike (a different mount would make compose recreate the container).
    expect(linux.calls.filter((c) => c.args[0] === 'version')).toHaveLength(1);
  });

  it('writes .env, creates the workspace, and runs compose up --wait for the services asked for', async () => {
    const { runtime, calls, envFile, env } = setup();
    const statuses = await runtime.up(['grafana'], silentProgress);
    const up = calls.find((c) => c.args.includes('up'))!;
    expect(up.args).toEqual(['compose', '-f', 'stack/compose.yaml', '--env-file', expect.any(String), 'up', '-d', '--wait', 'grafana']);
    expect(resolve(repoRoot, up.args[4]!)).toBe(envFile);
    expect(up.options?.cwd).toBe(repoRoot);
    // Compose mounts the kit's workspace, which exists before compose could create it as root.
    expect(up.options?.env?.O11Y_LAB_WORKSPACE).toBe(env.O11Y_LAB_WORKSPACE);
    expect(existsSync(env.O11Y_LAB_WORKSPACE)).toBe(true);
    expect([...parseEnvFile(readFileSync(envFile, 'utf8')).keys()].sort()).toEqual(Object.keys(generatedSecrets).sort());
    // Grafana and what it needs, each checked from this machine.
    expect(statuses.map((s) => [s.name, s.state, s.url]).sort()).toEqual([
      ['grafana', 'ready', 'http://127.0.0.1:3000'],
      ['postgres', 'ready', 'postgres://127.0.0.1:15432'],
      ['redis', 'ready', 'redis://127.0.0.1:16379'],
    ]);
  });

  it('starts every compose service when none is named', async () => {
    const { runtime, calls } = setup();
    const statuses = await runtime.up([], silentProgress);
    const up = calls.find((c) => c.args.includes('up'))!;
    expect(up.args.slice(up.args.indexOf('--wait') + 1).sort()).toEqual(statuses.map((s) => s.name).sort());
    expect(up.args).toContain('cadvisor');
    expect(up.args).toContain('shop');
    expect(up.args).not.toContain('k6');
    // The log shipper runs the student's config: only a lab starts it, as natively.
    expect(up.args).not.toContain('log-shipper');
  });

  it('starts the lab-only log shipper when it is named, with no --profile: compose enables the profile of a named service', async () => {
    const { runtime, calls } = setup();
    const statuses = await runtime.up(['log-shipper'], silentProgress);
    const up = calls.find((c) => c.args.includes('up'))!;
    expect(up.args.slice(up.args.indexOf('up'))).toEqual(['up', '-d', '--wait', 'log-shipper']);
    expect(up.args).not.toContain('--profile');
    expect(statuses.map((s) => [s.name, s.url])).toEqual([['log-shipper', 'http://127.0.0.1:13134']]);
  });

  it('starts the shop with what it needs, the inventory service and PostgreSQL, each probed from this machine', async () => {
    const { runtime } = setup();
    const statuses = await runtime.up(['shop'], silentProgress);
    expect(statuses.map((s) => s.name).sort()).toEqual(['inventory', 'postgres', 'shop']);
    expect(statuses.find((s) => s.name === 'shop')!.url).toBe('http://127.0.0.1:8080');
  });

  it('refuses an unknown service before running anything, listing the real ones', async () => {
    const { runtime, calls } = setup();
    const attempt = runtime.up(['promethus'], silentProgress);
    await expect(attempt).rejects.toBeInstanceOf(UsageError);
    await expect(attempt).rejects.toThrow('unknown service "promethus"');
    expect(calls.some((c) => c.args.includes('up'))).toBe(false);
  });

  it('names the engine and the port when a port is taken', async () => {
    const { runtime } = setup((args) =>
      args.includes('up') ? { code: 1, stderr: 'Error response from daemon: driver failed programming external connectivity on endpoint o11y-lab-kit-loki-1: Bind for 127.0.0.1:3100 failed: port is already allocated' } : {},
    );
    await expect(runtime.up(['loki'], silentProgress)).rejects.toThrow('Loki cannot start: port 3100 on 127.0.0.1 is already in use by another program');
  });

  it('names the service that failed its healthcheck, with the last lines of its log', async () => {
    const { runtime } = setup((args) => {
      if (args.includes('up')) return { code: 1, stderr: 'dependency failed to start: container o11y-lab-kit-postgres-1 is unhealthy' };
      if (args.includes('ps')) return { stdout: [psLine('postgres', 'running', 'unhealthy'), psLine('redis', 'running', 'healthy')].join('\n') };
      if (args.includes('logs')) return { stdout: 'FATAL:  could not open file "/etc/lab/postgres/postgresql.conf"\n' };
      return {};
    });
    const attempt = runtime.up(['grafana'], silentProgress);
    await expect(attempt).rejects.toThrow('PostgreSQL did not start in Docker Compose (its healthcheck fails (unhealthy); postgres://127.0.0.1:15432)');
    await expect(attempt).rejects.toMatchObject({ details: ['FATAL:  could not open file "/etc/lab/postgres/postgresql.conf"'], fix: 'Read its log with npm run stack:logs postgres.' });
  });

  it('fails after the start timeout when a service never answers from this machine', async () => {
    let now = 0;
    const { runtime } = setup(undefined, {
      probe: async () => ({ ok: false, detail: 'connection refused' }),
      now: () => now,
      sleep: async (ms) => void (now += ms),
    });
    await expect(runtime.up(['redis'], silentProgress)).rejects.toThrow('Redis was not ready at redis://127.0.0.1:16379 after 20.0s (last probe: connection refused)');
  });
});

describe("Alertmanager's live config directory", () => {
  const live = (dir: string) => join(dir, 'state', 'compose', 'config', 'alertmanager', 'alertmanager.yml');
  const committed = readFileSync(join(repoRoot, 'stack', 'compose', 'config', 'alertmanager', 'alertmanager.yml'), 'utf8');

  it('is named to every compose command, and filled with the default when Alertmanager starts', async () => {
    const { runtime, calls, dir } = setup();
    await runtime.up(['alertmanager'], silentProgress);
    expect(readFileSync(live(dir), 'utf8')).toBe(committed);
    for (const call of calls.filter((c) => c.args[0] === 'compose' && c.args[1] !== 'version')) {
      expect(call.options?.env?.O11Y_LAB_ALERTMANAGER_CONFIG, call.args.join(' ')).toBe(join(dir, 'state', 'compose', 'config', 'alertmanager'));
    }
  });

  it("keeps what a lab applied while Alertmanager runs, and gives the default back once it is not running", async () => {
    let state = 'running';
    const { runtime, dir } = setup((args) => (args.includes('ps') ? { stdout: psLine('alertmanager', state, 'healthy') } : {}));
    await runtime.up(['alertmanager'], silentProgress);
    writeFileSync(live(dir), '# the student applied this\n');
    await runtime.up(['alertmanager', 'alert-sink'], silentProgress);
    expect(readFileSync(live(dir), 'utf8')).toBe('# the student applied this\n');
    state = 'exited';
    await runtime.up(['alertmanager'], silentProgress);
    expect(readFileSync(live(dir), 'utf8')).toBe(committed);
  });
});

describe("Tempo's live config directory (lab 12's overlay)", () => {
  it("holds the default, with the student's overlay merged over tempo.yaml while a lab applies it", async () => {
    const { runtime, dir, env } = setup();
    const live = join(dir, 'state', 'compose', 'config', 'tempo', 'tempo.yaml');
    await runtime.up(['tempo'], silentProgress);
    expect(readFileSync(live, 'utf8')).toBe(readFileSync(join(repoRoot, 'stack', 'compose', 'config', 'tempo', 'tempo.yaml'), 'utf8'));

    mkdirSync(join(dir, 'workspace', 'tempo'), { recursive: true });
    writeFileSync(join(dir, 'workspace', 'tempo', 'metrics-generator.yaml'), 'metrics_generator:\n  storage:\n    remote_write:\n      - url: http://{{ addr.prometheus.http }}/api/v1/write?from=overlay\n        send_exemplars: true\n');
    setOverlay('tempo', true, env);
    await runtime.up(['tempo'], silentProgress);
    const merged = parse(readFileSync(live, 'utf8')) as { server?: unknown; metrics_generator: { storage: { remote_write: { url: string; send_exemplars: boolean }[] } } };
    // The student's part, rendered with the container's addresses, and the kit's own keys kept.
    expect(merged.metrics_generator.storage.remote_write).toEqual([{ url: `http://prometheus:${engineVersion('prometheus').ports.http}/api/v1/write?from=overlay`, send_exemplars: true }]);
    expect(merged.server).toBeDefined();

    setOverlay('tempo', false, env);
    await runtime.up(['tempo'], silentProgress);
    expect(readFileSync(live, 'utf8')).not.toContain('from=overlay');
  });
});

describe('status', () => {
  it('combines the containers compose reports with the probe from this machine', async () => {
    const { runtime } = setup(
      (args) => (args.includes('ps') ? { stdout: [psLine('prometheus', 'running', 'healthy'), psLine('loki', 'exited', '', 1), psLine('tempo', 'running', 'starting')].join('\n') } : {}),
      { probe: async (service) => (service.name === 'tempo' ? { ok: false, detail: 'HTTP 503: Ingester not ready' } : { ok: true, detail: 'HTTP 200' }) },
    );
    const byName = Object.fromEntries((await runtime.status()).map((s) => [s.name, s]));
    expect(byName.prometheus).toMatchObject({ state: 'ready', url: 'http://127.0.0.1:9090' });
    expect(byName.loki).toMatchObject({ state: 'failed', detail: expect.stringContaining('exited with code 1') });
    expect(byName.tempo).toMatchObject({ state: 'starting', detail: 'HTTP 503: Ingester not ready' });
    expect(byName.grafana).toMatchObject({ state: 'stopped' });
    // Lab-only services appear once started, as natively.
    expect(byName['log-shipper']).toBeUndefined();
  });

  it('lists the log shipper while its container exists', async () => {
    const { runtime } = setup((args) => (args.includes('ps') ? { stdout: psLine('log-shipper', 'running') } : {}));
    expect((await runtime.status()).find((s) => s.name === 'log-shipper')).toMatchObject({ state: 'ready', url: 'http://127.0.0.1:13134' });
  });

  it('works before the first start: no .env yet, so placeholders stand in for the secrets and none is written', async () => {
    const { runtime, calls, envFile } = setup();
    await runtime.status();
    const ps = calls.find((c) => c.args.includes('ps'))!;
    expect(ps.args).not.toContain('--env-file');
    for (const name of Object.keys(generatedSecrets)) expect(ps.options?.env?.[name]).toBe('not-generated-yet');
    expect(existsSync(envFile)).toBe(false);
  });
});

describe('down, reset and logs', () => {
  it('down removes the containers of every profile and keeps the volumes', async () => {
    const { runtime, calls } = setup();
    await runtime.down(silentProgress);
    const args = calls.find((c) => c.args.includes('down'))!.args;
    // Without its profile, `down` would leave the log shipper's container behind.
    expect(args.slice(args.indexOf('--profile'))).toEqual(['--profile', 'load', '--profile', 'lab', 'down', '--remove-orphans']);
  });

  it('down with service names stops only those', async () => {
    const { runtime, calls } = setup();
    await runtime.down(silentProgress, ['loki', 'tempo']);
    const args = calls.find((c) => c.args.includes('stop'))!.args;
    expect(args.slice(args.indexOf('stop'))).toEqual(['stop', 'loki', 'tempo']);
    expect(calls.some((c) => c.args.includes('down'))).toBe(false);
    await expect(runtime.down(silentProgress, ['lokki'])).rejects.toBeInstanceOf(UsageError);
  });

  it('reset refuses while a service runs', async () => {
    const { runtime } = setup((args) => (args.includes('ps') ? { stdout: psLine('prometheus', 'running', 'healthy') } : {}));
    await expect(runtime.reset(['prometheus'], silentProgress)).rejects.toThrow('Prometheus is running; its data cannot be reset while it runs');
  });

  it('reset of one service removes its container and its named volume only', async () => {
    const { runtime, calls } = setup((args) => (args.includes('ps') ? { stdout: psLine('prometheus', 'exited', '', 0) } : {}));
    await runtime.reset(['prometheus'], silentProgress);
    expect(calls.find((c) => c.args.includes('rm'))!.args.slice(-3)).toEqual(['rm', '--force', 'prometheus']);
    expect(calls.find((c) => c.args[0] === 'volume')!.args).toEqual(['volume', 'rm', 'o11y-lab-kit_prometheus-data']);
  });

  it("reset of the shop leaves the logs volume it shares with the log shipper (it holds no data of the shop's)", async () => {
    const { runtime, calls } = setup((args) => (args.includes('ps') ? { stdout: psLine('shop', 'exited', '', 0) } : {}));
    await runtime.reset(['shop'], silentProgress);
    expect(calls.some((c) => c.args[0] === 'volume')).toBe(false);
  });

  it('reset of everything takes the stack down with its volumes', async () => {
    const { runtime, calls } = setup();
    await runtime.reset('all', silentProgress);
    const down = calls.find((c) => c.args.includes('down'))!.args;
    expect(down.slice(down.indexOf('down'))).toEqual(['down', '--volumes', '--remove-orphans']);
  });

  it('logs prints the tail of a service, and refuses a service that does not exist', async () => {
    const { runtime, calls } = setup((args) => (args.includes('logs') ? { stdout: 'level=warn msg="one"\nlevel=warn msg="two"\n' } : {}));
    expect(await runtime.logs('loki', 50)).toBe('level=warn msg="one"\nlevel=warn msg="two"');
    expect(calls.find((c) => c.args.includes('logs'))!.args.slice(-6)).toEqual(['logs', '--no-color', '--no-log-prefix', '--tail', '50', 'loki']);
    await expect(runtime.logs('lokki')).rejects.toBeInstanceOf(UsageError);
  });
});

describe('endpoints', () => {
  it('are 127.0.0.1 URLs, Grafana and cAdvisor included', () => {
    const { runtime } = setup();
    const endpoints = runtime.endpoints();
    expect(endpoints.grafana).toBe('http://127.0.0.1:3000');
    expect(endpoints.cadvisor).toBe('http://127.0.0.1:8085/metrics');
    for (const url of Object.values(endpoints)) expect(url).toMatch(/^(http|postgres|redis):\/\/127\.0\.0\.1:\d+/);
  });
});
