/**
 * The stack runtime: one interface, two drivers. `native` runs every engine as a host process (what CI and
 * machines without Docker use); `compose` runs the same engines, with the same configs, in Docker Compose.
 * `STACK_RUNTIME=native|compose` (or `--runtime`) overrides the automatic choice.
 */
import type { Progress } from '../lib/progress.ts';

export type ServiceState = 'ready' | 'starting' | 'stopped' | 'failed' | 'unavailable';

export interface ServiceStatus {
  name: string;
  state: ServiceState;
  url: string;
  /** Why it is not ready, when it is not. */
  detail?: string;
  pid?: number;
}

/** service name → base URL (http://127.0.0.1:9090, postgres://127.0.0.1:15432, …). */
export type Endpoints = Record<string, string>;

export interface StackRuntime {
  readonly name: 'native' | 'compose';
  /** Starts the services (and what they need) and waits until each is ready. Idempotent. */
  up(services: string[], progress: Progress): Promise<ServiceStatus[]>;
  /** Stops everything this runtime started (or only the named services); data is kept. */
  down(progress: Progress, services?: string[]): Promise<void>;
  status(): Promise<ServiceStatus[]>;
  endpoints(): Endpoints;
  /** Deletes the data of the named services (or all): the stack must be stopped for them. */
  reset(scope: 'all' | string[], progress: Progress): Promise<void>;
  /** The last lines of a service's log. */
  logs(service: string, lines?: number): Promise<string>;
  /**
   * Writes a config file of the kit's beside a service's own (rendered for this runtime: addresses differ), or
   * removes it given undefined; true when that changed the file. The engine reads it at its next reload; a
   * restart keeps it natively and drops it in compose (the stack tour writes it again: lifecycle/tour.ts).
   */
  writeConfig(service: string, file: string, template: string | undefined): boolean;
}
