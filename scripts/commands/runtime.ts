/** Picks the stack runtime for a command: --runtime, then STACK_RUNTIME, then native. */
import { UsageError } from '../../lib/errors.ts';
import { createNativeRuntime } from '../../stack/native/driver.ts';
import type { StackRuntime } from '../../stack/runtime.ts';

export function selectRuntime(flag?: string | true, env: NodeJS.ProcessEnv = process.env): StackRuntime {
  const choice = typeof flag === 'string' ? flag : env.STACK_RUNTIME ?? 'native';
  if (choice === 'native') return createNativeRuntime({ env });
  throw new UsageError(`unknown stack runtime "${choice}"`, 'Use --runtime native (the compose runtime is not available in this version).');
}
