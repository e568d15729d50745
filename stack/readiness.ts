/**
 * The readiness wait, written once for both drivers: poll a service's probe (stack/probes.ts) until it passes or
 * the service's start timeout (stack/services.ts) runs out. The native driver waits on the processes it starts,
 * the compose driver on the published ports after `up --wait`; both report a timeout with the same message.
 * The clock and the sleep are passed in (CONVENTIONS.md §4), so a test runs a 90-second timeout in no time.
 */
import { StackError } from '../lib/errors.ts';
import { formatDuration } from '../lib/progress.ts';
import type { ProbeResult } from './probes.ts';
import type { ServiceDefinition } from './services.ts';

/** The pause between two probes. */
export const probeIntervalMs = 250;

export interface ReadinessWait {
  service: Pick<ServiceDefinition, 'name' | 'title' | 'startTimeoutMs'>;
  /** Where the service answers, for the error message. */
  url: string;
  probe: () => Promise<ProbeResult>;
  now: () => number;
  sleep: (ms: number) => Promise<void>;
  /** The last lines of the service's log, shown under a timeout. */
  logTail: () => string[] | Promise<string[]>;
  /**
   * Called after each failed probe; it throws to end the wait at once. The native driver's throws when the
   * process has exited: waiting out the timeout for a process that is gone would only hide the reason.
   */
  failFast?: () => Promise<void>;
}

/** Resolves once the probe passes; throws a StackError naming the service, its URL and the last probe otherwise. */
export async function waitUntilReady(wait: ReadinessWait): Promise<void> {
  const { service } = wait;
  const started = wait.now();
  let last = 'not probed yet';
  while (wait.now() - started < service.startTimeoutMs) {
    const result = await wait.probe();
    if (result.ok) return;
    last = result.detail;
    await wait.failFast?.();
    await wait.sleep(probeIntervalMs);
  }
  throw new StackError(
    `${service.title} was not ready at ${wait.url} after ${formatDuration(service.startTimeoutMs)} (last probe: ${last})`,
    `Read its log with npm run stack:logs ${service.name}; npm run doctor checks ports and memory.`,
    await wait.logTail(),
  );
}
