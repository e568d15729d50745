import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { binaryPath } from '../../stack/binaries.ts';
import { engineVersion } from '../../stack/versions.ts';
import { failedTestNames, workspaceFile, yamlError } from './files.ts';

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

describe('failedTestNames', () => {
  it("reads the failed test groups from promtool's JUnit report, unescaped", () => {
    const junit = '<testsuites><testsuite name="s.yml" tests="2" failures="1"><testcase name="a &#34;blip&#34; pages no one"><failure>    expr: x</failure></testcase><testcase name="fine"></testcase></testsuite></testsuites>';
    expect(failedTestNames(junit)).toEqual(['a "blip" pages no one']);
  });
});

const promtool = binaryPath(engineVersion('prometheus'), 'promtool');

describe.skipIf(!existsSync(promtool))('workspaceFile(…).passesScenarios', () => {
  const context = { endpoints: {}, workspace: dir, tools: { promtool } };
  const scenarios = file(
    'scenarios.yml',
    `evaluation_interval: 1m
tests:
  - name: down is alerted
    interval: 1m
    input_series:
      - series: 'up{job="x"}'
        values: '0x10'
    promql_expr_test:
      - expr: count(ALERTS{alertname="Down", alertstate="firing"}) or vector(0)
        eval_time: 5m
        exp_samples: [{ value: 1 }]
`,
  );
  it("runs the kit's scenarios on the student's rule file, and names the scenario that fails", async () => {
    file('alerts-right.yml', 'groups:\n  - name: g\n    rules:\n      - alert: Down\n        expr: up == 0\n');
    file('alerts-wrong.yml', 'groups:\n  - name: g\n    rules:\n      - alert: Down\n        expr: up == 1\n');
    expect(await workspaceFile('alerts-right.yml').passesScenarios(scenarios).observe(context)).toMatchObject({ pass: true });
    const wrong = await workspaceFile('alerts-wrong.yml').passesScenarios(scenarios).observe(context);
    expect(wrong).toMatchObject({ pass: false, settled: true });
    expect(wrong.got).toMatch(/^failed: "down is alerted"/);
  });
});
