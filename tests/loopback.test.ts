/**
 * Safe by default: every socket of every engine is bound to loopback — nothing reachable from the network.
 * Read from /proc, so this checks what the processes really did, not what their configs say.
 */
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createNativeRuntime } from '../stack/native/driver.ts';
import { needsEngines } from './support/engines.ts';
import { listenersOf } from './support/listeners.ts';
import { testEnv } from './support/stack.ts';

describe.skipIf(!existsSync('/proc/self/net/tcp'))('every listener', () => {
  it('of every native engine is on 127.0.0.1 or ::1', async () => {
    // Only what runs: services whose engines are not installed here are not started (and their tests skip).
    const statuses = (await createNativeRuntime({ env: testEnv }).status()).filter((s) => s.pid !== undefined);
    const listeners = statuses.flatMap((s) => listenersOf(s.pid!).map((l) => ({ service: s.name, ...l })));
    // Each service listens on something: the test would pass vacuously otherwise.
    expect(new Set(listeners.map((l) => l.service)).size).toBe(statuses.length);
    // The decoding is right: Prometheus is found where we told it to listen.
    expect(listeners).toContainEqual({ service: 'prometheus', protocol: 'tcp', address: '127.0.0.1', port: 9090 });
    const exposed = listeners.filter((l) => l.address !== '127.0.0.1' && l.address !== '::1');
    expect(exposed).toEqual([]);
  });
});

describe.skipIf(!existsSync('/proc/self/net/tcp'))('Grafana', () => {
  // Started by the test stack where its release tree is installed; skipped, naming it, where it is not.
  needsEngines('grafana');
  it('is one of them: it runs, listening on 127.0.0.1:3000 (http_addr of grafana.ini), and on loopback only', async () => {
    const grafana = (await createNativeRuntime({ env: testEnv }).status()).find((s) => s.name === 'grafana');
    expect(grafana?.state).toBe('ready');
    const listeners = listenersOf(grafana!.pid!);
    expect(listeners).toContainEqual({ protocol: 'tcp', address: '127.0.0.1', port: 3000 });
    expect(listeners.filter((l) => l.address !== '127.0.0.1' && l.address !== '::1')).toEqual([]);
  });
});
