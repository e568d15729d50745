/**
 * Starts the native stack once for the whole integration run and stops it afterwards — unless it was already
 * running (a developer's `npm run test:stack`), in which case it is left as it was.
 * It starts every service whose engines are installed (`.ci/run` installs what it can first); the tests that
 * need a missing engine skip, naming it (tests/support/engines.ts).
 */
import type {} from 'vitest';
import type { TestProject } from 'vitest/node';
import { createProgress } from '../lib/progress.ts';
import { createNativeRuntime } from '../stack/native/driver.ts';
import { stopAgent } from '../lifecycle/agent.ts';
import { stopLoad } from '../lifecycle/load.ts';
import { startableServices } from './support/engines.ts';
import { testEnv } from './support/stack.ts';

export default async function setup(project: TestProject) {
  const runtime = createNativeRuntime({ env: testEnv });
  const { start, skipped } = startableServices();
  const before = await runtime.status();
  const alreadyUp = start.every((service) => before.find((s) => s.name === service.name)?.state === 'ready');
  const progress = createProgress({ write: (line) => process.stderr.write(`[test stack] ${line}\n`) });
  for (const line of skipped) progress.info(`not started, its tests skip: ${line}`);
  const started = Date.now();
  await runtime.up(start.map((s) => s.name), progress);
  process.stderr.write(`[test stack] all services ready in ${((Date.now() - started) / 1000).toFixed(1)}s\n`);
  project.provide('endpoints', runtime.endpoints());
  return async () => {
    if (alreadyUp || process.env.O11Y_KEEP_STACK) return;
    // Lab tests started the background load and the lab agent: stop them with the stack.
    await stopLoad(testEnv);
    await stopAgent(testEnv);
    await runtime.down(progress);
  };
}

declare module 'vitest' {
  export interface ProvidedContext {
    endpoints: Record<string, string>;
  }
}
