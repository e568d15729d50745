/**
 * The native runtime's promises: status reports what runs, `up` is idempotent and restarts what died, and a
 * port held by another program stops the start with one line naming the engine and the port.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { StackError } from '../lib/errors.ts';
import { silentProgress } from '../lib/progress.ts';
import { createNativeRuntime } from '../stack/native/driver.ts';
import { runCli } from './support/cli.ts';
import { needsEngines, startableServices } from './support/engines.ts';
import { testEnv } from './support/stack.ts';

// The services this machine can run: those whose engines are installed (the others' tests skip, naming them).
const startable = startableServices().start.map((s) => s.name);

const runtime = createNativeRuntime({ env: testEnv });

describe('stack:status', () => {
  it('prints every native service as ready, with its URL, as JSON', async () => {
    const { code, stdout } = await runCli(['stack:status', '--json'], testEnv);
    expect(code).toBe(0);
    const statuses = JSON.parse(stdout) as { name: string; state: string; url: string }[];
    expect(statuses.map((s) => s.name)).toEqual(expect.arrayContaining(['prometheus', 'loki', 'tempo', 'alertmanager', 'otelcol', 'postgres', 'redis', 'influxdb', 'node_exporter']));
    expect(startable).toEqual(expect.arrayContaining(['prometheus', 'alertmanager', 'postgres', 'redis', 'influxdb', 'node_exporter']));
    for (const status of statuses.filter((s) => startable.includes(s.name))) {
      expect(status.state, status.name).toBe('ready');
      expect(status.url).toMatch(/^(http|postgres|redis):\/\/127\.0\.0\.1:\d+/);
    }
  });
});

describe('stack:up', () => {
  needsEngines('node_exporter');
  it('is a no-op when everything already runs: same processes', async () => {
    const before = await runtime.status();
    const statuses = await runtime.up(startable, silentProgress);
    const pids = (list: typeof statuses) => Object.fromEntries(list.map((s) => [s.name, s.pid]));
    expect(pids(statuses)).toEqual(Object.fromEntries(Object.entries(pids(before)).filter(([name]) => statuses.some((s) => s.name === name))));
    expect(statuses.every((s) => s.state === 'ready')).toBe(true);
  });

  it('starts an engine again after it was killed by hand', async () => {
    const before = (await runtime.status()).find((s) => s.name === 'node_exporter')!;
    process.kill(before.pid!, 'SIGKILL');
    await expect.poll(async () => (await runtime.status()).find((s) => s.name === 'node_exporter')!.state).toBe('failed');
    const [after] = await runtime.up(['node_exporter'], silentProgress);
    expect(after!.state).toBe('ready');
    expect(after!.pid).not.toBe(before.pid);
  });
});

describe('a port already taken', () => {
  // A second checkout's stack (its own state directory) finds the ports of the running one taken.
  const otherState = mkdtempSync(join(tmpdir(), 'o11y-other-'));
  const otherEnv = { ...testEnv, O11Y_LAB_STATE: otherState };
  afterAll(() => rmSync(otherState, { recursive: true, force: true }));

  it('fails the start with an error naming the engine and the port', async () => {
    const other = createNativeRuntime({ env: otherEnv });
    const attempt = other.up(['redis'], silentProgress);
    await expect(attempt).rejects.toBeInstanceOf(StackError);
    await expect(attempt).rejects.toThrow('Redis cannot start: port 16379 (resp) on 127.0.0.1 is already in use by another program');
  });

  it('exits 3 with one line naming the engine and the port, and how to fix it, without a stack trace', async () => {
    const { code, stderr } = await runCli(['stack:up', 'prometheus'], otherEnv);
    expect(code).toBe(3);
    expect(stderr).toContain('✗ Prometheus cannot start: port 9090 (http) on 127.0.0.1 is already in use');
    expect(stderr).toMatch(/→ Stop that program/);
    expect(stderr).not.toMatch(/\n\s+at /);
  });
});

describe('usage errors', () => {
  it('exits 2 for an unknown service, listing the real ones', async () => {
    const { code, stderr } = await runCli(['stack:up', 'promethus'], testEnv);
    expect(code).toBe(2);
    expect(stderr).toContain('unknown service "promethus"');
    expect(stderr).toContain('prometheus');
  });
});
