/**
 * Reads `docker compose ps --all --format json` and turns a container's state into the kit's ServiceState.
 * Compose prints one JSON object per line since v2.21 and a single JSON array before that; both are accepted.
 * Reference: https://docs.docker.com/reference/cli/docker/compose/ps/
 */
import type { ServiceState } from '../runtime.ts';

export interface ComposeContainer {
  Service: string;
  /** created | running | paused | restarting | removing | exited | dead */
  State: string;
  /** healthy | unhealthy | starting | '' (no healthcheck) */
  Health: string;
  ExitCode: number;
  Name?: string;
  Status?: string;
}

export function parsePs(output: string): ComposeContainer[] {
  const text = output.trim();
  if (!text) return [];
  const raw: unknown[] = text.startsWith('[') ? (JSON.parse(text) as unknown[]) : text.split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l) as unknown);
  return raw.map((entry) => {
    const c = entry as Partial<ComposeContainer>;
    return { Service: String(c.Service ?? ''), State: String(c.State ?? ''), Health: String(c.Health ?? ''), ExitCode: Number(c.ExitCode ?? 0), Name: c.Name, Status: c.Status };
  });
}

/**
 * What the container alone says about a service. 'ready' needs the host probe too (the driver runs it): a
 * healthy container whose published port does not answer is not ready for a student.
 */
export function containerState(container: ComposeContainer | undefined): { state: ServiceState | 'running'; detail?: string } {
  if (!container) return { state: 'stopped' };
  switch (container.State) {
    case 'running':
      if (container.Health === 'unhealthy') return { state: 'failed', detail: 'its healthcheck fails (unhealthy)' };
      if (container.Health === 'starting') return { state: 'starting', detail: 'healthcheck not passed yet' };
      return { state: 'running' };
    case 'restarting':
      return { state: 'failed', detail: 'it keeps exiting and restarting' };
    case 'exited':
    case 'dead':
      return container.ExitCode === 0 ? { state: 'stopped' } : { state: 'failed', detail: `exited with code ${container.ExitCode}` };
    default:
      // created, paused, removing: not serving.
      return { state: 'stopped', detail: container.State || undefined };
  }
}
