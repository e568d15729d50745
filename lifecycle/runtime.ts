/**
 * Picks the stack runtime for a command: `--runtime`, then STACK_RUNTIME, then the automatic choice —
 * Docker Compose when a Docker engine answers `docker info`, the native engines otherwise.
 */
import { UsageError } from '../lib/errors.ts';
import { createComposeRuntime } from '../stack/compose/driver.ts';
import { dockerEngineAnswers, noDockerError } from '../stack/compose/docker.ts';
import { createNativeRuntime } from '../stack/native/driver.ts';
import type { StackRuntime } from '../stack/runtime.ts';

export const runtimeNames = ['native', 'compose'] as const;
export type RuntimeName = (typeof runtimeNames)[number];

/** Which runtime to use; `dockerAvailable` is asked only when the choice depends on it. */
export function chooseRuntime(flag: string | true | undefined, env: NodeJS.ProcessEnv, dockerAvailable: (env: NodeJS.ProcessEnv) => boolean = dockerEngineAnswers): RuntimeName {
  const asked = typeof flag === 'string' ? flag : env.STACK_RUNTIME || undefined;
  if (asked === undefined) return dockerAvailable(env) ? 'compose' : 'native';
  if (!(runtimeNames as readonly string[]).includes(asked)) {
    throw new UsageError(
      `unknown stack runtime "${asked}"`,
      'Use --runtime native or --runtime compose (or STACK_RUNTIME=…); leave it out to use Docker Compose when Docker runs, native engines otherwise.',
    );
  }
  if (asked === 'compose' && !dockerAvailable(env)) throw noDockerError();
  return asked as RuntimeName;
}

export function selectRuntime(flag?: string | true, env: NodeJS.ProcessEnv = process.env, dockerAvailable: (env: NodeJS.ProcessEnv) => boolean = dockerEngineAnswers): StackRuntime {
  return chooseRuntime(flag, env, dockerAvailable) === 'compose' ? createComposeRuntime({ env, dockerAvailable }) : createNativeRuntime({ env });
}
