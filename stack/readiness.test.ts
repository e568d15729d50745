/**
 * The readiness wait on a fake clock: the sleep moves time forward, so a start timeout passes instantly and the
 * test can count exactly how often the service was probed.
 */
import { describe, expect, it } from 'vitest';
import { StackError } from '../lib/errors.ts';
import type { ProbeResult } from './probes.ts';
import { probeIntervalMs, waitUntilReady, type ReadinessWait } from './readiness.ts';

const loki = { name: 'loki', title: 'Loki', startTimeoutMs: 10_000 };

/** A wait over a fake clock whose probe answers `answers` in turn (the last one from then on). */
function fakeWait(answers: ProbeResult[], extra: Partial<ReadinessWait> = {}) {
  let now = 1_000_000;
  const sleeps: number[] = [];
  let probes = 0;
  const wait: ReadinessWait = {
    service: loki,
    url: 'http://127.0.0.1:3100',
    probe: async () => answers[Math.min(probes++, answers.length - 1)]!,
    now: () => now,
    sleep: async (ms) => {
      sleeps.push(ms);
      now += ms;
    },
    logTail: () => ['level=error msg="ring not ready"'],
    ...extra,
  };
  return { wait, sleeps, probes: () => probes };
}

const refused = { ok: false, detail: 'connection refused' };
const notReady = { ok: false, detail: 'HTTP 503: Ingester not ready' };
const ready = { ok: true, detail: 'HTTP 200: ready' };

describe('waitUntilReady', () => {
  it('resolves as soon as the probe passes, pausing between probes', async () => {
    const { wait, sleeps, probes } = fakeWait([refused, notReady, ready]);
    await waitUntilReady(wait);
    expect(probes()).toBe(3);
    expect(sleeps).toEqual([probeIntervalMs, probeIntervalMs]);
  });

  it('does not sleep when the first probe passes', async () => {
    const { wait, sleeps } = fakeWait([ready]);
    await waitUntilReady(wait);
    expect(sleeps).toEqual([]);
  });

  it('gives up after the start timeout, naming the service, its URL, the time and the last probe, with its log', async () => {
    const { wait, probes } = fakeWait([refused, notReady]);
    const error = (await waitUntilReady(wait).catch((e: unknown) => e)) as StackError;
    expect(error).toBeInstanceOf(StackError);
    expect(error.message).toBe('Loki was not ready at http://127.0.0.1:3100 after 10.0s (last probe: HTTP 503: Ingester not ready)');
    expect(error.fix).toBe('Read its log with npm run stack:logs loki; npm run doctor checks ports and memory.');
    expect(error.details).toEqual(['level=error msg="ring not ready"']);
    // Probes take no time here: one every interval, for the whole timeout.
    expect(probes()).toBe(loki.startTimeoutMs / probeIntervalMs);
  });

  it('counts the time a slow probe takes against the timeout', async () => {
    let now = 0;
    let probes = 0;
    const { wait } = fakeWait([refused], {
      now: () => now,
      // Each probe takes 4 s: an engine that accepts the connection and answers slowly.
      probe: async () => {
        probes += 1;
        now += 4_000;
        return refused;
      },
      sleep: async (ms) => void (now += ms),
    });
    await expect(waitUntilReady(wait)).rejects.toThrow('Loki was not ready');
    // Probes start at 0 s, 4.25 s and 8.5 s; at 12.75 s the 10 s are over.
    expect(probes).toBe(3);
  });

  it('says "not probed yet" when the timeout passed before the first probe', async () => {
    const { wait } = fakeWait([refused], { service: { ...loki, startTimeoutMs: 0 } });
    await expect(waitUntilReady(wait)).rejects.toThrow('after 0ms (last probe: not probed yet)');
  });

  it('ends at once when failFast throws, with its error, after the failed probe and before any pause', async () => {
    const gone = new StackError('Loki exited with code 1 before it was ready (http://127.0.0.1:3100)', 'Read its log with npm run stack:logs loki.');
    let checks = 0;
    const { wait, sleeps, probes } = fakeWait([refused, refused, refused], {
      failFast: async () => {
        if (++checks === 2) throw gone;
      },
    });
    await expect(waitUntilReady(wait)).rejects.toBe(gone);
    expect(probes()).toBe(2);
    expect(sleeps).toEqual([probeIntervalMs]);
  });

  it('does not ask failFast once the probe passes', async () => {
    let checks = 0;
    const { wait } = fakeWait([refused, ready], { failFast: async () => void checks++ });
    await waitUntilReady(wait);
    expect(checks).toBe(1);
  });
});
