/**
 * Objectives on the student's workspace files: the file exists and is valid YAML, and (for Prometheus rule
 * files) promtool accepts it — the same check CI pipelines run on rules. A file cannot change while a check
 * runs, so each of these fails at the first look (settled) rather than at its deadline.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { parse, parseDocument, stringify } from 'yaml';
import { parseExpectation } from '../expectations.ts';
import type { CheckContext, Probe } from '../model.ts';
import { settledWhenFailing } from './probe.ts';
import { runTool } from './tool.ts';

/** Parses a YAML file; the first error with its line and column, or undefined when it is valid. */
export function yamlError(file: string): string | undefined {
  const document = parseDocument(readFileSync(file, 'utf8'));
  const [error] = document.errors;
  if (!error) return undefined;
  const position = error.linePos?.[0];
  // The parser's own message ends with " at line L, column C:" and a snippet; we say the place first instead.
  const message = error.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
  return `${position ? `line ${position.line}, column ${position.col}: ` : ''}${message}`;
}

/** Rules in a rule file: groups[].rules[] entries. */
function countRules(file: string): number {
  const document = (parse(readFileSync(file, 'utf8')) ?? {}) as { groups?: { rules?: unknown[] }[] };
  return (document.groups ?? []).reduce((n, group) => n + (group?.rules?.length ?? 0), 0);
}

export function workspaceFile(path: string) {
  const locate = (context: CheckContext) => join(context.workspace, path);
  return {
    /** A rule file (Prometheus or Loki shape) that parses and holds a number of rules satisfying `expectation`. */
    rules(expectation: string): Probe {
      const count = parseExpectation(expectation);
      return settledWhenFailing({
        source: 'workspace',
        query: `rules in workspace/${path}`,
        validate: () => undefined,
        async observe(context) {
          const file = locate(context);
          const expected = `valid YAML with ${count.text} rules`;
          if (!existsSync(file)) return { pass: false, got: 'no such file', expected };
          const error = yamlError(file);
          if (error) return { pass: false, got: error, expected };
          const rules = countRules(file);
          return { pass: count.test(rules), got: `${rules} rules`, expected };
        },
      });
    },
    /** The file exists and parses as YAML. */
    validYaml(): Probe {
      return settledWhenFailing({
        source: 'workspace',
        query: `workspace/${path}`,
        validate: () => undefined,
        async observe(context) {
          const file = locate(context);
          if (!existsSync(file)) return { pass: false, got: 'no such file', expected: 'a valid YAML file' };
          const error = yamlError(file);
          return { pass: !error, got: error ?? 'valid YAML', expected: 'a valid YAML file' };
        },
      });
    },
    /**
     * `promtool check rules` accepts the file (syntax, PromQL, rule names, label templates) — and, with
     * `rules`, it holds that many rules, so the starter's empty file does not pass.
     */
    promtoolAccepts(options: { rules?: string } = {}): Probe {
      const count = options.rules ? parseExpectation(options.rules) : undefined;
      const expected = `promtool: SUCCESS${count ? `, with ${count.text} rules` : ''}`;
      return settledWhenFailing({
        source: 'workspace',
        query: `promtool check rules workspace/${path}`,
        validate: () => undefined,
        async observe(context) {
          const file = locate(context);
          if (!existsSync(file)) return { pass: false, got: 'no such file', expected };
          if (count) {
            const rules = countRules(file);
            if (!count.test(rules)) return { pass: false, got: `${rules} rules`, expected };
          }
          const result = await runTool(context, 'promtool', ['check', 'rules', file], { reads: [file] });
          const summary = `${result.stdout}${result.stderr}`.trim().split('\n').filter(Boolean).slice(-3).join(' | ').replaceAll(context.workspace, 'workspace');
          return { pass: result.ok, got: summary, expected };
        },
      });
    },
    /**
     * `promtool test rules` passes on this unit-test file, and (with `alert`, one name or several) the file
     * really tests each alert: at least one alert_rule_test for it expects it to fire. An empty test file
     * cannot pass.
     */
    promtoolTestsPass(options: { alert?: string | string[] } = {}): Probe {
      const alerts = options.alert === undefined ? [] : [options.alert].flat();
      return settledWhenFailing({
        source: 'workspace',
        query: `promtool test rules workspace/${path}`,
        validate: () => undefined,
        async observe(context) {
          const file = locate(context);
          const expected = alerts.length ? `promtool: SUCCESS, with a test that expects ${alerts.join(' and ')} to fire` : 'promtool: SUCCESS';
          if (!existsSync(file)) return { pass: false, got: 'no such file', expected };
          if (alerts.length) {
            const tests = ((parse(readFileSync(file, 'utf8')) ?? {}) as { tests?: { alert_rule_test?: { alertname?: string; exp_alerts?: unknown[] }[] }[] }).tests ?? [];
            const untested = alerts.filter((alert) => !tests.flatMap((t) => t.alert_rule_test ?? []).some((t) => t.alertname === alert && (t.exp_alerts?.length ?? 0) > 0));
            if (untested.length) return { pass: false, got: `no alert_rule_test expects ${untested.join(' or ')} to fire`, expected };
          }
          // Run beside the file, so its rule_files can be relative paths.
          const result = await runTool(context, 'promtool', ['test', 'rules', basename(file)], { cwd: dirname(file) });
          const lines = `${result.stdout}${result.stderr}`.trim().split('\n').map((l) => l.trim()).filter(Boolean);
          return { pass: result.ok, got: (result.ok ? lines.slice(-1) : lines.slice(0, 4)).join(' | '), expected };
        },
      });
    },
    /**
     * The kit's own promtool unit tests (`scenarios`, a test file that ships with the lab) pass against this
     * rule file: hours of made-up series that the live lab cannot wait for, fed to the student's rules as
     * they are. The kit's file names no rule file; the student's is put in. Failing scenarios are named by
     * their test `name` (read from promtool's JUnit report), so the evidence says which behaviour is wrong.
     */
    passesScenarios(scenarios: string): Probe {
      return settledWhenFailing({
        source: 'workspace',
        query: `promtool test rules ${basename(scenarios)} (the lab's scenarios) on workspace/${path}`,
        validate: () => {
          if (!existsSync(scenarios)) throw new Error(`scenario file ${scenarios} does not exist`);
        },
        async observe(context) {
          const file = locate(context);
          const expected = 'every scenario passes';
          if (!existsSync(file)) return { pass: false, got: 'no such file', expected };
          const dir = mkdtempSync(join(tmpdir(), 'o11y-scenarios-'));
          try {
            const test = { ...(parse(readFileSync(scenarios, 'utf8')) as object), rule_files: [file] };
            writeFileSync(join(dir, 'scenarios.yml'), stringify(test));
            const result = await runTool(context, 'promtool', ['test', 'rules', `--junit=${join(dir, 'report.xml')}`, 'scenarios.yml'], { cwd: dir });
            if (result.ok) return { pass: true, got: 'promtool: SUCCESS', expected };
            const failed = existsSync(join(dir, 'report.xml')) ? failedTestNames(readFileSync(join(dir, 'report.xml'), 'utf8')) : [];
            const detail = `${result.stdout}${result.stderr}`.trim().split('\n').map((l) => l.trim()).filter(Boolean).slice(0, 4).join(' | ').replaceAll(context.workspace, 'workspace');
            return { pass: false, got: failed.length ? `failed: ${failed.map((n) => `"${n}"`).join(', ')} — ${detail}` : detail, expected };
          } finally {
            rmSync(dir, { recursive: true, force: true });
          }
        },
      });
    },
  };
}

/** The names of the failed test groups in promtool's JUnit report (`<testcase name="…"><failure>`). */
export function failedTestNames(junit: string): string[] {
  const unescape = (text: string) => text.replaceAll('&#34;', '"').replaceAll('&#39;', "'").replaceAll('&lt;', '<').replaceAll('&gt;', '>').replaceAll('&amp;', '&');
  return [...junit.matchAll(/<testcase name="([^"]*)"[^>]*>\s*<(failure|error)/g)].map((m) => unescape(m[1]!));
}
