/**
 * The native driver on a machine without the engines (an empty engine cache, no binaries of one's own): Grafana,
 * optional, is skipped by a plain `up` with one line saying so; asked for by name it fails before anything
 * starts, naming the three ways to provide it; and the stack's status (what the lab agent serves) lists it.
 * Nothing here starts a process.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LabKitError, StackError } from '../../lib/errors.ts';
import { createProgress } from '../../lib/progress.ts';
import { createNativeRuntime } from './driver.ts';

const root = mkdtempSync(join(tmpdir(), 'o11y-native-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const state = join(root, 'state');
// Only PATH from the real environment: no O11Y_LAB_<ENGINE>_PATH of the developer's leaks in.
const env: NodeJS.ProcessEnv = {
  PATH: process.env.PATH,
  O11Y_LAB_STATE: state,
  O11Y_LAB_WORKSPACE: join(root, 'workspace'),
  O11Y_LAB_CACHE: join(root, 'cache'),
  O11Y_LAB_ENGINES_LOCAL: join(root, 'engines.local.yaml'),
};
const runtime = createNativeRuntime({ env, secretsFile: join(root, '.env') });

function recorder() {
  const lines: string[] = [];
  return { lines, progress: createProgress({ write: (line) => lines.push(line) }) };
}

describe('Grafana, not installed', () => {
  it('asked for by name: fails before anything starts, naming the three ways to provide it', async () => {
    const { progress, lines } = recorder();
    const attempt = runtime.up(['grafana'], progress);
    await expect(attempt).rejects.toBeInstanceOf(StackError);
    const error = (await attempt.catch((e: unknown) => e)) as LabKitError;
    expect(error.message).toBe('Grafana 12.3.1 is not installed');
    expect(error.fix).toContain('npm run engines:install grafana');
    expect(error.fix).toContain('stack/engines.local.yaml');
    expect(error.fix).toContain('O11Y_LAB_GRAFANA_PATH');
    expect(error.fix).toContain('Docker Compose (STACK_RUNTIME=compose)');
    // PostgreSQL and Redis, which it needs, were not started (nor anything else) for a start that cannot succeed.
    expect(lines.filter((line) => line.startsWith('…'))).toEqual([]);
    expect(existsSync(join(state, 'run'))).toBe(false);
    expect(existsSync(join(state, 'config'))).toBe(false);
  });

  it('a plain up skips it with one line, and fails (here) only on an engine that is not optional', async () => {
    const { progress, lines } = recorder();
    const error = (await runtime.up([], progress).catch((e: unknown) => e)) as LabKitError;
    expect(lines.filter((line) => line.includes('Grafana'))).toEqual([
      '  Grafana 12.3.1 is not installed: skipped (npm run engines:install grafana, a binary of your own in stack/engines.local.yaml, or Docker)',
    ]);
    // This cache is empty, so the first engine of the table is missing too: that one is the error, not Grafana.
    expect(error).toBeInstanceOf(StackError);
    expect(error.message).not.toContain('Grafana');
    expect(existsSync(join(state, 'run'))).toBe(false);
  });

  it('is listed by the status (and so by the lab agent) as unavailable, saying how to install it', async () => {
    const grafana = (await runtime.status()).find((s) => s.name === 'grafana');
    expect(grafana).toEqual({ name: 'grafana', state: 'unavailable', url: 'http://127.0.0.1:3000', detail: 'not installed (npm run engines:install grafana)' });
  });
});
