import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createProgress } from '../lib/progress.ts';
import { lockFile, withLabLock } from './lock.ts';
import { readSession, writeSession } from './state.ts';

const root = mkdtempSync(join(tmpdir(), 'o11y-lock-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
const freshEnv = () => ({ O11Y_LAB_STATE: join(root, `state-${n++}`) });
const lines: string[] = [];
const progress = createProgress({ write: (line) => lines.push(line) });

describe('withLabLock', () => {
  it('runs the work holding the lock, and releases it after', async () => {
    const env = freshEnv();
    const inside = await withLabLock('check', async () => JSON.parse(readFileSync(lockFile(env), 'utf8')) as { pid: number; command: string }, { progress, env });
    expect(inside).toMatchObject({ pid: process.pid, command: 'check' });
    expect(existsSync(lockFile(env))).toBe(false);
  });

  it('waits for a live holder, says for whom, and gives up with the command and pid', async () => {
    const env = freshEnv();
    const holder = spawn('sleep', ['30']);
    try {
      mkdirSync(env.O11Y_LAB_STATE, { recursive: true });
      writeFileSync(lockFile(env), JSON.stringify({ pid: holder.pid, command: 'lab:start', since: '2026-12-01T10:00:00Z' }));
      lines.length = 0;
      const attempt = withLabLock('check', async () => 'ran', { progress, env, waitMs: 600, sleep: (ms) => new Promise((r) => setTimeout(r, ms)) });
      await expect(attempt).rejects.toThrow(`the lab is busy: npm run lab:start (pid ${holder.pid}) has held it since 2026-12-01T10:00:00Z`);
      expect(lines).toContain(`… waiting for npm run lab:start (pid ${holder.pid}) to finish; one lab command at a time`);
      expect(existsSync(lockFile(env))).toBe(true); // someone else's lock is left alone
    } finally {
      holder.kill();
    }
  });

  it('takes over a lock whose process is gone, and one that is unreadable', async () => {
    const env = freshEnv();
    mkdirSync(env.O11Y_LAB_STATE, { recursive: true });
    writeFileSync(lockFile(env), JSON.stringify({ pid: 2 ** 22 + 12345, command: 'lab:start', since: 'x' }));
    expect(await withLabLock('check', async () => 'ran', { progress, env, waitMs: 0 })).toBe('ran');
    writeFileSync(lockFile(env), 'garbage');
    expect(await withLabLock('check', async () => 'ran again', { progress, env, waitMs: 0 })).toBe('ran again');
  });

  it('serialises two commands of one process: the second runs after the first', async () => {
    const env = freshEnv();
    const order: string[] = [];
    // Same pid holds it, so a second taker in this process waits like another process would.
    const first = withLabLock('lab:start', async () => {
      order.push('start begins');
      await new Promise((r) => setTimeout(r, 300));
      order.push('start ends');
    }, { progress, env });
    await new Promise((r) => setTimeout(r, 50));
    const second = withLabLock('check', async () => order.push('check'), { progress, env });
    await Promise.all([first, second]);
    expect(order).toEqual(['start begins', 'start ends', 'check']);
  });
});

describe('readSession', () => {
  it('names a damaged state file and the fix, and lab:start-style recovery removes it', () => {
    const env = freshEnv();
    writeSession({ lab: '04-red-recording-rules', runtime: 'native', startedAt: 'now' }, env);
    expect(readSession(env)).toMatchObject({ lab: '04-red-recording-rules' });
    const file = join(env.O11Y_LAB_STATE, 'state.json');
    writeFileSync(file, '{"lab": 4, "runt');
    expect(() => readSession(env)).toThrow(`${file} is not a lab session the kit wrote`);
    writeFileSync(file, '{"lab": "x", "runtime": "kubernetes", "startedAt": "now"}');
    const error = (() => {
      try {
        readSession(env);
      } catch (e) {
        return e as { fix: string; exitCode: number };
      }
    })();
    expect(error?.fix).toMatch(/npm run lab:start <n> or npm run lab:stop/);
    expect(error?.exitCode).toBe(2);
    lines.length = 0;
    expect(readSession(env, progress)).toBeUndefined();
    expect(existsSync(file)).toBe(false);
    expect(lines[0]).toMatch(/was not a lab session the kit wrote \(damaged\?\): removed it/);
  });
});
