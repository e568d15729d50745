import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ensureEnvFile, generatedSecrets, parseEnvFile, randomSecret } from './secrets.ts';

const dirs: string[] = [];
const tempEnvFile = () => {
  const dir = mkdtempSync(join(tmpdir(), 'o11y-env-'));
  dirs.push(dir);
  return join(dir, '.env');
};
afterEach(() => dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));

describe('ensureEnvFile', () => {
  it('writes every generated secret on the first start, random, readable by the owner only', () => {
    const file = tempEnvFile();
    const { added, values } = ensureEnvFile(file);
    expect(added.sort()).toEqual(Object.keys(generatedSecrets).sort());
    const written = parseEnvFile(readFileSync(file, 'utf8'));
    for (const name of added) {
      expect(written.get(name)).toBe(values.get(name));
      expect(written.get(name)).toMatch(/^[A-Za-z0-9_-]{32}$/);
    }
    expect(new Set(added.map((name) => written.get(name))).size).toBe(added.length);
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('keeps an existing file as it is: a second start changes nothing', () => {
    const file = tempEnvFile();
    ensureEnvFile(file);
    const before = readFileSync(file, 'utf8');
    expect(ensureEnvFile(file).added).toEqual([]);
    expect(readFileSync(file, 'utf8')).toBe(before);
  });

  it('adds only the secrets a file lacks, keeping the student\'s own lines', () => {
    const file = tempEnvFile();
    writeFileSync(file, '# mine\nGF_SECURITY_ADMIN_PASSWORD=chosen-by-me\nOTHER=1\n');
    const { added, values } = ensureEnvFile(file, () => 'generated');
    expect(added).not.toContain('GF_SECURITY_ADMIN_PASSWORD');
    expect(added.length).toBe(Object.keys(generatedSecrets).length - 1);
    const text = readFileSync(file, 'utf8');
    expect(text.startsWith('# mine\nGF_SECURITY_ADMIN_PASSWORD=chosen-by-me\nOTHER=1\n')).toBe(true);
    expect(values.get('GF_SECURITY_ADMIN_PASSWORD')).toBe('chosen-by-me');
    expect(parseEnvFile(text).get('GF_SECURITY_SECRET_KEY')).toBe('generated');
  });
});

describe('parseEnvFile', () => {
  it('reads KEY=value lines, unquotes values, and skips comments and blanks', () => {
    expect([...parseEnvFile('# c\n\nA=1\nB = "two words"\nC=\'x\'\n  # D=4\n')]).toEqual([['A', '1'], ['B', 'two words'], ['C', 'x']]);
  });
});

describe('randomSecret', () => {
  it('is 32 URL-safe characters and different every time', () => {
    expect(randomSecret()).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(randomSecret()).not.toBe(randomSecret());
  });
});
