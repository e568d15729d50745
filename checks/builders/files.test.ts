import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { workspaceFile, yamlError } from './files.ts';

const dir = mkdtempSync(join(tmpdir(), 'yaml-'));
const file = (name: string, text: string) => {
  writeFileSync(join(dir, name), text);
  return join(dir, name);
};

describe('yamlError', () => {
  it('names the line and column of the first error', () => {
    expect(yamlError(file('bad.yml', 'groups:\n  - name: broken\n    rules:\n      - record: x\n       expr: up\n'))).toBe('line 5, column 1: Sequence item without - indicator');
  });

  it('finds nothing wrong in valid YAML', () => {
    expect(yamlError(file('good.yml', 'groups: []\n'))).toBeUndefined();
  });
});

describe('workspaceFile(…).validYaml', () => {
  const context = { endpoints: {}, workspace: dir };
  it('fails a missing file and a broken one, and passes a valid one', async () => {
    expect((await workspaceFile('missing.yml').validYaml().observe(context)).got).toBe('no such file');
    expect((await workspaceFile('bad.yml').validYaml().observe(context)).pass).toBe(false);
    expect((await workspaceFile('good.yml').validYaml().observe(context)).pass).toBe(true);
  });
});

describe('workspaceFile(…).rules', () => {
  const context = { endpoints: {}, workspace: dir };
  it('counts the rules of a rule file, so an empty starter does not pass', async () => {
    file('empty-rules.yml', 'groups: []\n');
    file('two-rules.yml', 'groups:\n  - name: g\n    rules:\n      - record: a\n        expr: up\n      - alert: B\n        expr: up == 0\n');
    expect((await workspaceFile('empty-rules.yml').rules('>= 1').observe(context)).got).toBe('0 rules');
    expect((await workspaceFile('two-rules.yml').rules('>= 2').observe(context)).pass).toBe(true);
  });
});
