import { describe, expect, it } from 'vitest';
import { StackError, UsageError } from '../lib/errors.ts';
import { chooseRuntime, selectRuntime } from './runtime.ts';

const docker = (answers: boolean) => {
  const asked: string[] = [];
  return { asked, detect: (env: NodeJS.ProcessEnv) => (asked.push(env.STACK_RUNTIME ?? ''), answers) };
};

describe('chooseRuntime', () => {
  it('chooses Docker Compose automatically when a Docker engine answers, native otherwise', () => {
    expect(chooseRuntime(undefined, {}, docker(true).detect)).toBe('compose');
    expect(chooseRuntime(undefined, {}, docker(false).detect)).toBe('native');
    // An empty STACK_RUNTIME is no choice.
    expect(chooseRuntime(undefined, { STACK_RUNTIME: '' }, docker(true).detect)).toBe('compose');
  });

  it('follows STACK_RUNTIME, and --runtime over it, without asking Docker for native', () => {
    const d = docker(true);
    expect(chooseRuntime(undefined, { STACK_RUNTIME: 'native' }, d.detect)).toBe('native');
    expect(chooseRuntime('native', { STACK_RUNTIME: 'compose' }, d.detect)).toBe('native');
    expect(d.asked).toEqual([]);
    expect(chooseRuntime('compose', { STACK_RUNTIME: 'native' }, d.detect)).toBe('compose');
  });

  it('refuses compose without Docker with one StackError that names Docker and the fix', () => {
    const attempt = () => chooseRuntime('compose', {}, docker(false).detect);
    expect(attempt).toThrow(StackError);
    expect(attempt).toThrow('the compose runtime needs Docker, and no Docker engine answers `docker info`');
    try {
      attempt();
    } catch (error) {
      expect((error as StackError).fix).toMatch(/Start Docker/);
      expect((error as StackError).fix).toMatch(/STACK_RUNTIME=native/);
      expect((error as StackError).exitCode).toBe(3);
    }
  });

  it('refuses an unknown runtime as a usage error naming both real ones', () => {
    expect(() => chooseRuntime('docker', {}, docker(true).detect)).toThrow(UsageError);
    expect(() => chooseRuntime(undefined, { STACK_RUNTIME: 'kubernetes' }, docker(true).detect)).toThrow(/unknown stack runtime "kubernetes"/);
    expect(() => chooseRuntime('docker', {}, docker(true).detect)).toThrow(expect.objectContaining({ fix: expect.stringMatching(/--runtime native or --runtime compose/) }));
  });
});

describe('selectRuntime', () => {
  it('returns the driver it chose', () => {
    expect(selectRuntime(undefined, {}, () => true).name).toBe('compose');
    expect(selectRuntime(undefined, {}, () => false).name).toBe('native');
    expect(selectRuntime('native', {}, () => true).name).toBe('native');
  });
});
