import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readConfig } from './config.ts';
import { createLogger, logWriter } from './log.ts';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'o11y-applog-'));
  dirs.push(dir);
  return dir;
};

describe('readConfig', () => {
  it('takes LOG_FILE from the environment, and leaves it unset natively', () => {
    expect(readConfig('shop', { LOG_FILE: '/var/log/lab/shop.log' }).logFile).toBe('/var/log/lab/shop.log');
    expect(readConfig('shop', {}).logFile).toBeUndefined();
    expect(readConfig('shop', { LOG_FILE: '' }).logFile).toBeUndefined();
  });
});

describe('logWriter', () => {
  it('writes to stdout only when no log file is given', () => {
    const out: string[] = [];
    logWriter(undefined, (line) => out.push(line))('{"msg":"a"}\n');
    expect(out).toEqual(['{"msg":"a"}\n']);
  });

  it('appends every line to the log file as well, after what was there', () => {
    const file = join(tempDir(), 'shop.log');
    const out: string[] = [];
    const first = logWriter(file, (line) => out.push(line));
    first('{"msg":"one"}\n');
    // A restarted service appends: the shipper's read position stays valid.
    const second = logWriter(file, (line) => out.push(line));
    second('{"msg":"two"}\n');
    expect(readFileSync(file, 'utf8')).toBe('{"msg":"one"}\n{"msg":"two"}\n');
    expect(out).toEqual(['{"msg":"one"}\n', '{"msg":"two"}\n']);
  });

  it('gives the logger whole JSON lines, the same in the file as on stdout', () => {
    const file = join(tempDir(), 'shop.log');
    const out: string[] = [];
    const log = createLogger('shop', logWriter(file, (line) => out.push(line)));
    log('error', '/cart failed', { route: '/cart', status_code: 500 });
    const lines = readFileSync(file, 'utf8').split('\n').filter(Boolean);
    expect(lines).toEqual(out.map((l) => l.trimEnd()));
    expect(JSON.parse(lines[0]!)).toMatchObject({ level: 'error', service: 'shop', msg: '/cart failed', route: '/cart', status_code: 500 });
  });

  it.skipIf(process.getuid?.() === 0)('fails at once, naming the file, when it cannot be opened', () => {
    const dir = tempDir();
    chmodSync(dir, 0o500);
    expect(() => logWriter(join(dir, 'shop.log'))).toThrow(`cannot open LOG_FILE ${join(dir, 'shop.log')} for appending`);
  });

  it('fails at once, naming the file, when its directory does not exist or is not one', () => {
    expect(() => logWriter(join(tempDir(), 'missing', 'shop.log'))).toThrow('for appending: ENOENT');
    const blocker = join(tempDir(), 'not-a-dir');
    writeFileSync(blocker, '');
    expect(() => logWriter(join(blocker, 'shop.log'))).toThrow(`cannot open LOG_FILE ${join(blocker, 'shop.log')} for appending`);
  });
});
