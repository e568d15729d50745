/**
 * The terminal reporter: a table of objectives with points, then what to look at next for each one that did not
 * pass, then the score. Pure: the caller decides where the text goes and whether it may be coloured.
 */
import { formatDuration } from '../../lib/progress.ts';
import type { CheckEvent, CheckReport, Evidence, ObjectiveResult, Outcome } from '../model.ts';
import { labFolder, labNumber } from './lab-name.ts';

export interface TerminalOptions {
  /** Show the evidence (source, query, what came back, what was expected) under every objective. */
  verbose: boolean;
  /** ANSI colours; only when writing to a terminal. */
  color: boolean;
}

const symbols: Record<Outcome, string> = { pass: '✓', fail: '✗', error: '!', skipped: '–' };

const ansi = { green: 32, red: 31, yellow: 33, dim: 2, bold: 1 } as const;
type Style = keyof typeof ansi;
const outcomeStyles: Record<Outcome, Style> = { pass: 'green', fail: 'red', error: 'yellow', skipped: 'dim' };

type Paint = (style: Style, text: string) => string;
const painter = (color: boolean): Paint => (color ? (style, text) => `\u001b[${ansi[style]}m${text}\u001b[0m` : (_style, text) => text);

export function formatTerminalReport(report: CheckReport, options: TerminalOptions): string {
  const paint = painter(options.color);
  const lines = [paint('bold', `Lab ${labNumber(report.lab)} — ${line(report.lab.title)}`), ''];

  const titleWidth = Math.max(0, ...report.objectives.map((o) => width(line(o.title))));
  const pointsWidth = Math.max(0, ...report.objectives.map((o) => points(o).length));
  for (const objective of report.objectives) {
    const title = line(objective.title);
    const symbol = paint(outcomeStyles[objective.outcome], symbols[objective.outcome]);
    lines.push(`  ${symbol}  ${title}${' '.repeat(titleWidth - width(title))}  ${points(objective).padStart(pointsWidth)}`);
    if (options.verbose) lines.push(...verboseDetails(objective, paint));
  }

  const notPassing = report.objectives.filter((o) => o.outcome !== 'pass');
  if (notPassing.length > 0) {
    lines.push('', paint('bold', 'What to look at next'));
    for (const objective of notPassing) lines.push(...nextSteps(objective, options.verbose, paint));
  }

  lines.push('', paint('bold', scoreLine(report)));
  if (report.passed && report.objectives.length > 0) {
    lines.push(paint('green', `Every objective passes: lab ${labNumber(report.lab)} is complete. Well done!`));
  }
  return lines.join('\n');
}

/** "Score 20/30 — 2 of 3 objectives pass", with errors and skips counted when there are any. */
export function scoreLine(report: CheckReport): string {
  const total = report.objectives.length;
  const passing = report.objectives.filter((o) => o.outcome === 'pass').length;
  const errors = report.objectives.filter((o) => o.outcome === 'error').length;
  const skipped = report.objectives.filter((o) => o.outcome === 'skipped').length;
  const others = [errors ? `${errors} could not be checked` : '', skipped ? `${skipped} skipped` : ''].filter(Boolean);
  const noun = total === 1 ? 'objective passes' : 'objectives pass';
  return `Score ${report.score}/${report.maxScore} — ${passing} of ${total} ${noun}${others.length ? ` (${others.join(', ')})` : ''}`;
}

/**
 * One progress line per event, or undefined when an event needs none. Every kind is handled here: adding a kind
 * to CheckEvent without a case fails to compile at the `never` below.
 */
export function formatTerminalEvent(event: CheckEvent): string | undefined {
  switch (event.kind) {
    case 'run-started': {
      const total = event.objectives.reduce((sum, o) => sum + o.points, 0);
      const count = event.objectives.length;
      return `Lab ${labFolder(event.lab)}: checking ${count} objective${count === 1 ? '' : 's'} (${total} points)`;
    }
    case 'objective-started':
      // Objectives run in parallel and most finish within a second: a start line each would only be noise.
      return undefined;
    case 'objective-retrying':
      // Telemetry arrives late; showing what the last look saw tells the student the check is alive and why.
      return `  … ${event.id}: waiting for ${line(event.observation.expected)} (now ${line(event.observation.got)}), ${Math.ceil(event.remainingMs / 1000)} s left`;
    case 'objective-finished': {
      const { result } = event;
      const why = result.outcome === 'error' || result.outcome === 'skipped' ? ` — ${line(result.message ?? result.outcome)}` : '';
      return `  ${symbols[result.outcome]} ${line(result.title)}  ${points(result)}${why}`;
    }
    case 'run-finished':
      // The caller prints formatTerminalReport(event.report) next; a line here would repeat its score.
      return undefined;
    default: {
      const unhandled: never = event;
      throw new Error(`formatTerminalEvent: no format for event ${JSON.stringify(unhandled)}`);
    }
  }
}

function points(result: ObjectiveResult): string {
  return `${result.score}/${result.points}`;
}

function verboseDetails(objective: ObjectiveResult, paint: Paint): string[] {
  const rows: [string, string][] = [];
  if (objective.evidence) rows.push(...evidenceRows(objective.evidence));
  const { attempts, durationMs } = objective;
  rows.push(['checked', attempts === 0 ? 'not run' : `${attempts} time${attempts === 1 ? '' : 's'} in ${formatDuration(durationMs)}`]);
  return labelled(rows, '       ', paint);
}

function evidenceRows(evidence: Evidence): [string, string][] {
  return [
    ['source', evidence.source],
    ['query', evidence.query],
    ['got', evidence.got],
    ['expected', evidence.expected],
  ];
}

/** For an objective that did not pass: why (the reason, or what came back), then the hint. */
function nextSteps(objective: ObjectiveResult, verbose: boolean, paint: Paint): string[] {
  const lines = [`  ${paint(outcomeStyles[objective.outcome], symbols[objective.outcome])} ${line(objective.title)}`];
  const rows: [string, string][] = [];
  if (objective.message) rows.push([objective.outcome === 'skipped' ? 'why' : 'error', objective.message]);
  // Verbose output already showed the evidence in the table.
  if (objective.outcome === 'fail' && objective.evidence && !verbose) {
    rows.push(['got', objective.evidence.got], ['expected', objective.evidence.expected]);
  }
  if (objective.hint) rows.push(['hint', objective.hint]);
  lines.push(...labelled(rows, '    ', paint));
  return lines;
}

/** "label  value" rows with the values aligned; a value over several lines keeps that alignment. */
function labelled(rows: [string, string][], indent: string, paint: Paint): string[] {
  const labelWidth = Math.max(0, ...rows.map(([label]) => label.length));
  return rows.map(([label, value]) => {
    const continuation = `\n${indent}${' '.repeat(labelWidth + 2)}`;
    return `${indent}${paint('dim', label.padEnd(labelWidth))}  ${clean(value).split('\n').join(continuation)}`;
  });
}

/**
 * Text from the engines (log lines, label values) may hold control characters; written raw, an escape sequence
 * would restyle or move the student's terminal. They are shown as `\x1b` instead. Newlines stay.
 */
function clean(text: string): string {
  return text.replace(/\r\n?/g, '\n').replace(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/g, (c) => {
    if (c === '\t') return '  ';
    return `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`;
  });
}

/** For places that hold one line: a table row, a progress line. */
function line(text: string): string {
  return clean(text).replace(/\s*\n\s*/g, ' ');
}

/** Columns a string takes in a terminal, counting characters rather than UTF-16 units. */
function width(text: string): number {
  return [...text].length;
}
