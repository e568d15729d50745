import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { CheckReport } from '../model.ts';
import { toJson } from './json.ts';
import { mixedReport, passingReport } from './report-fixture.ts';

/** The same report with every object's keys in reverse order, as a runner assembling results might leave them. */
function scrambled(report: CheckReport): CheckReport {
  const reverse = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(reverse);
    if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).reverse().map(([k, v]) => [k, reverse(v)]));
    return value;
  };
  return reverse(report) as CheckReport;
}

describe('toJson', () => {
  it('is the report itself: parsing it gives the report back', () => {
    expect(JSON.parse(toJson(mixedReport))).toEqual(mixedReport);
    expect(JSON.parse(toJson(passingReport))).toEqual(passingReport);
  });

  it('writes keys in the documented order, whatever order the report was built in', () => {
    const json = toJson(scrambled(mixedReport));
    expect(json).toBe(toJson(mixedReport));
    const parsed = JSON.parse(json);
    expect(Object.keys(parsed)).toEqual(['schemaVersion', 'lab', 'startedAt', 'durationMs', 'score', 'maxScore', 'passed', 'counts', 'objectives']);
    expect(Object.keys(parsed.lab)).toEqual(['number', 'slug', 'title']);
    expect(Object.keys(parsed.counts)).toEqual(['pass', 'fail', 'error', 'skipped']);
    expect(Object.keys(parsed.objectives[1])).toEqual(['id', 'title', 'outcome', 'points', 'score', 'evidence', 'hint', 'cause', 'attempts', 'durationMs']);
    expect(Object.keys(parsed.objectives[1].evidence)).toEqual(['source', 'query', 'got', 'expected']);
    expect(Object.keys(parsed.objectives[2])).toEqual(['id', 'title', 'outcome', 'points', 'score', 'hint', 'message', 'cause', 'attempts', 'durationMs']);
  });

  it('indents with two spaces and ends with a newline', () => {
    const json = toJson(mixedReport);
    expect(json.startsWith('{\n  "schemaVersion": 1,\n  "lab": {\n    "number": 4,\n')).toBe(true);
    expect(json.endsWith('\n}\n')).toBe(true);
  });

  it('leaves out optional fields that are not set, rather than writing null', () => {
    const json = toJson(passingReport);
    expect(json).not.toContain('"hint"');
    expect(json).not.toContain('"message"');
    expect(json).not.toContain('null');
  });

  it('keeps only the documented fields', () => {
    const withExtra = { ...mixedReport, debug: { secret: 'x' } } as CheckReport;
    expect(toJson(withExtra)).toBe(toJson(mixedReport));
  });

  it('escapes text from the engines as JSON requires', () => {
    const report: CheckReport = {
      ...mixedReport,
      objectives: [{ ...mixedReport.objectives[1]!, evidence: { ...mixedReport.objectives[1]!.evidence!, got: 'line "a"\n\u001b[31m' } }],
    };
    expect(toJson(report)).toContain('"got": "line \\"a\\"\\n\\u001b[31m"');
  });
});

describe('checks/REPORT.md', () => {
  const doc = readFileSync(new URL('../REPORT.md', import.meta.url), 'utf8');

  it('shows, as its example, exactly what toJson prints', () => {
    const example = /```json\n([\s\S]*?)```/.exec(doc)?.[1];
    expect(example).toBe(toJson(mixedReport));
  });

  it('documents every field the JSON has', () => {
    const fields = new Set<string>();
    const collect = (value: unknown): void => {
      if (Array.isArray(value)) value.forEach(collect);
      else if (value && typeof value === 'object') {
        for (const [key, inner] of Object.entries(value)) {
          fields.add(key);
          collect(inner);
        }
      }
    };
    collect(JSON.parse(toJson(mixedReport)));
    const documented = new Set([...doc.matchAll(/^\| `(\w+)` \|/gm)].map((m) => m[1]));
    expect([...fields].filter((field) => !documented.has(field))).toEqual([]);
  });
});
