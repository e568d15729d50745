/**
 * The JUnit XML reporter, for CI systems that show test results (`npm run check -- --junit report.xml`): one
 * <testsuite> per lab, one <testcase> per objective; a fail is a <failure> with the evidence and the hint, an
 * error an <error>, a skip <skipped/>.
 *
 * Every piece of text is escaped rather than wrapped in CDATA: queries and log lines can contain `]]>`, which
 * would end a CDATA section early. Characters XML 1.0 cannot carry at all (most C0 controls, such as the escape
 * that starts a terminal colour code) are written out as `\x1b` (and U+FFFE as `\ufffe`) so the file stays well-formed.
 */
import type { CheckReport, ObjectiveResult } from '../model.ts';
import { labFolder, labNumber } from './lab-name.ts';

export function toJUnit(report: CheckReport): string {
  const { objectives } = report;
  const count = (outcome: ObjectiveResult['outcome']) => objectives.filter((o) => o.outcome === outcome).length;
  const suite = attributes({
    name: `lab ${labNumber(report.lab)} ${report.lab.slug}`,
    tests: objectives.length,
    failures: count('fail'),
    errors: count('error'),
    skipped: count('skipped'),
    time: seconds(report.durationMs),
    timestamp: report.startedAt,
  });
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuite${suite}>`,
    '  <properties>',
    property('lab.title', report.lab.title),
    property('score', String(report.score)),
    property('maxScore', String(report.maxScore)),
    '  </properties>',
    ...objectives.map((objective) => testcase(report, objective)),
    '</testsuite>',
  ];
  return `${lines.join('\n')}\n`;
}

function testcase(report: CheckReport, objective: ObjectiveResult): string {
  const open = `  <testcase${attributes({
    classname: `lab.${labFolder(report.lab)}`,
    name: `${objective.id}: ${objective.title}`,
    time: seconds(objective.durationMs),
  })}`;
  switch (objective.outcome) {
    case 'pass':
      return `${open}/>`;
    case 'fail': {
      const message = objective.evidence ? `got ${objective.evidence.got}, expected ${objective.evidence.expected}` : 'did not pass';
      return `${open}>\n    <failure${attributes({ message, type: 'fail' })}>${escapeText(body(objective))}</failure>\n  </testcase>`;
    }
    case 'error':
      return `${open}>\n    <error${attributes({ message: objective.message ?? 'could not be checked', type: 'error' })}>${escapeText(body(objective))}</error>\n  </testcase>`;
    case 'skipped':
      return `${open}>\n    <skipped${attributes({ message: objective.message ?? 'skipped' })}/>\n  </testcase>`;
  }
}

/** What a CI page shows under a failure or error: the reason, the evidence, the hint, how long it was tried. */
function body(objective: ObjectiveResult): string {
  const lines: string[] = [];
  if (objective.message) lines.push(objective.message, '');
  if (objective.evidence) {
    const { source, query, got, expected } = objective.evidence;
    lines.push(`source:   ${source}`, `query:    ${query}`, `got:      ${got}`, `expected: ${expected}`);
  }
  lines.push(`attempts: ${objective.attempts} in ${seconds(objective.durationMs)} s`);
  if (objective.hint) lines.push('', `hint: ${objective.hint}`);
  return lines.join('\n');
}

function property(name: string, value: string): string {
  return `    <property${attributes({ name, value })}/>`;
}

function attributes(values: Record<string, string | number>): string {
  return Object.entries(values)
    .map(([name, value]) => ` ${name}="${escapeAttribute(String(value))}"`)
    .join('');
}

/** Seconds with millisecond precision, as JUnit readers expect: "60.350". */
function seconds(ms: number): string {
  return (ms / 1000).toFixed(3);
}

/**
 * Characters XML 1.0 does not allow anywhere, not even as `&#…;` references: C0 controls other than tab, newline
 * and carriage return, U+FFFE, U+FFFF, and UTF-16 surrogates that are not part of a pair.
 */
const forbidden = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|\p{Cs}/gu;

function replaceForbidden(text: string): string {
  return text.replace(forbidden, (c) => {
    const code = c.charCodeAt(0);
    if (code >= 0xd800 && code <= 0xdfff) return '\ufffd';
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16)}`;
  });
}

/** Element content. Escaping `>` as well as `<` and `&` is what makes `]]>` safe. */
export function escapeText(text: string): string {
  return replaceForbidden(text)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    // A parser turns a raw CR into a newline; a reference keeps it.
    .replace(/\r/g, '&#13;');
}

/** Attribute values: also quotes, and whitespace as references, which attribute normalisation would turn into spaces. */
export function escapeAttribute(text: string): string {
  return escapeText(text)
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;')
    .replace(/\n/g, '&#10;')
    .replace(/\t/g, '&#9;');
}
