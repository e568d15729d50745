/**
 * Syntax checks for objective queries, with the grammars the engines' own editors use (the lezer parsers behind
 * Prometheus's and Grafana's query editors). A malformed query is a definition error: it is reported when the lab
 * loads, with the place and the column, instead of as an opaque 400 from the engine halfway through a check run.
 *
 * Lezer never throws: it recovers from bad input and marks the damage with error nodes ("⚠"). We report the first
 * one. Lezer's tokenizers also accept a string that runs to the end of the query, so unterminated strings and
 * unclosed brackets are found by a small scan of our own, which also explains the common "ends too early" error.
 */
import { createRequire } from 'node:module';
import type { LRParser } from '@lezer/lr';
import { UsageError } from '../lib/errors.ts';

// Each grammar is loaded the first time a query of its language is checked, not when this module is imported:
// a command that checks no query (a lab validated once under the compiled build, see labs/catalogue.ts) never
// pays for them. require() because the check is synchronous (a definition error is thrown where it is built);
// each grammar package ships a CommonJS build beside its ES one.
const loadPackage = createRequire(import.meta.url);
const parsers: Record<QueryLanguage, () => LRParser> = {
  promql: () => (loadPackage('@prometheus-io/lezer-promql') as typeof import('@prometheus-io/lezer-promql')).parser,
  logql: () => (loadPackage('@grafana/lezer-logql') as typeof import('@grafana/lezer-logql')).parser,
  traceql: () => (loadPackage('@grafana/lezer-traceql') as typeof import('@grafana/lezer-traceql')).parser,
};

export type QueryLanguage = 'promql' | 'logql' | 'traceql';

export type SyntaxResult =
  | { ok: true }
  | {
      ok: false;
      /** What is wrong and where, for people: `unexpected "}" at column 14`. */
      message: string;
      /** 0-based offset into the query (UTF-16 units, as JavaScript indexes strings). */
      position: number;
    };

interface Grammar {
  /** The name people know the language by, for messages. */
  name: string;
  /** Characters that open a string literal (each closes with itself; backticks are raw, the others take `\` escapes). */
  quotes: string;
  /** Whether `#` starts a comment that runs to the end of the line. */
  hashComments: boolean;
  docs: string;
}

const grammars: Record<QueryLanguage, Grammar> = {
  promql: {
    name: 'PromQL',
    quotes: '"\'`',
    hashComments: true,
    docs: 'https://prometheus.io/docs/prometheus/latest/querying/basics/',
  },
  logql: {
    name: 'LogQL',
    quotes: '"`',
    hashComments: true,
    docs: 'https://grafana.com/docs/loki/latest/query/',
  },
  traceql: {
    name: 'TraceQL',
    quotes: '"`',
    hashComments: false,
    docs: 'https://grafana.com/docs/tempo/latest/traceql/',
  },
};

export function languageName(language: QueryLanguage): string {
  return grammars[language].name;
}

export function checkPromQL(expr: string): SyntaxResult {
  return checkQuery('promql', expr);
}

export function checkLogQL(query: string): SyntaxResult {
  return checkQuery('logql', query);
}

export function checkTraceQL(query: string): SyntaxResult {
  return checkQuery('traceql', query);
}

export function checkQuery(language: QueryLanguage, query: string): SyntaxResult {
  const grammar = grammars[language];
  if (query.trim() === '') return { ok: false, message: 'the query is empty', position: 0 };

  const errorAt = firstErrorPosition(parsers[language](), query);
  const unclosed = findUnclosed(query, grammar);

  // A string running to the end explains any error after its opening quote better than the grammar can; and it
  // is wrong even where the grammar accepts it (PromQL's tokenizer takes `"abc` as a string).
  if (unclosed?.kind === 'string' && (errorAt === undefined || errorAt >= unclosed.position)) {
    return { ok: false, message: `unterminated string starting at ${where(query, unclosed.position)}`, position: unclosed.position };
  }
  if (errorAt === undefined) return { ok: true };

  const position = skipSpaces(query, errorAt);
  if (position >= query.length) {
    const why = unclosed ? ` (${quote(unclosed.char)} opened at ${where(query, unclosed.position)} is never closed)` : '';
    return { ok: false, message: `unexpected end of query at ${where(query, query.length)}${why}`, position: query.length };
  }
  return { ok: false, message: `unexpected ${quote(tokenAt(query, position))} at ${where(query, position)}`, position };
}

/**
 * Throws a UsageError unless `query` is valid in `language`. `where` names the definition, for example
 * `labs/04-red-recording-rules/lab.ts: objective "rate-recorded"`.
 */
export function assertQuery(language: QueryLanguage, query: string, where: string): void {
  const result = checkQuery(language, query);
  if (result.ok) return;
  const grammar = grammars[language];
  throw new UsageError(
    `${where}: invalid ${grammar.name} query: ${result.message} in \`${oneLine(query)}\``,
    `Correct the ${grammar.name} query (syntax: ${grammar.docs}).`,
    pointAt(query, result.position),
  );
}

/** Offset of the first error node in document order, or undefined when the parse is clean. */
function firstErrorPosition(parser: LRParser, query: string): number | undefined {
  let first: number | undefined;
  parser.parse(query).iterate({
    enter(node) {
      if (first !== undefined && node.from >= first) return false;
      if (node.type.isError) first = first === undefined ? node.from : Math.min(first, node.from);
      return undefined;
    },
  });
  return first;
}

interface Unclosed {
  kind: 'string' | 'bracket';
  /** The opening quote or bracket. */
  char: string;
  position: number;
}

/**
 * The innermost string or bracket that is still open at the end of the query. Brackets are matched leniently
 * (a stray closer is left to the grammar to report); strings and comments hide the brackets inside them.
 */
function findUnclosed(query: string, grammar: Grammar): Unclosed | undefined {
  const open: Unclosed[] = [];
  const closers: Record<string, string> = { ')': '(', ']': '[', '}': '{' };
  for (let i = 0; i < query.length; i++) {
    const c = query[i]!;
    if (grammar.quotes.includes(c)) {
      const end = stringEnd(query, i);
      if (end === undefined) return { kind: 'string', char: c, position: i };
      i = end;
    } else if (c === '#' && grammar.hashComments) {
      const newline = query.indexOf('\n', i);
      if (newline < 0) break;
      i = newline;
    } else if (c === '(' || c === '[' || c === '{') {
      open.push({ kind: 'bracket', char: c, position: i });
    } else if (c in closers && open.at(-1)?.char === closers[c]) {
      open.pop();
    }
  }
  return open.at(-1);
}

/** Offset of the quote that closes the string opened at `start`, or undefined if none does. */
function stringEnd(query: string, start: number): number | undefined {
  const quote = query[start];
  for (let i = start + 1; i < query.length; i++) {
    if (query[i] === '\\' && quote !== '`') i++;
    else if (query[i] === quote) return i;
  }
  return undefined;
}

function skipSpaces(query: string, from: number): number {
  let i = from;
  while (i < query.length && /\s/.test(query[i]!)) i++;
  return i;
}

/** The token starting at `position`, as far as a reader needs it to recognise the spot. */
function tokenAt(query: string, position: number): string {
  const rest = query.slice(position);
  const match = /^[\p{L}\p{N}_.:]+/u.exec(rest) ?? /^[=!<>~|&+\-*/%^]+/.exec(rest);
  const token = match ? match[0] : String.fromCodePoint(rest.codePointAt(0)!);
  return token.length > 24 ? `${token.slice(0, 24)}…` : token;
}

/** Quotes a token for a message, with whichever quote it does not contain. */
function quote(token: string): string {
  return token.includes('"') ? `'${token}'` : `"${token}"`;
}

/** "column 14", or "line 2, column 3" in a query written over several lines. Columns count characters, from 1. */
function where(query: string, position: number): string {
  const { line, column } = lineAndColumn(query, position);
  return query.includes('\n') ? `line ${line}, column ${column}` : `column ${column}`;
}

function lineAndColumn(query: string, position: number): { line: number; column: number; lineStart: number } {
  const before = query.slice(0, position);
  const lineStart = before.lastIndexOf('\n') + 1;
  const line = before.split('\n').length;
  return { line, column: [...before.slice(lineStart)].length + 1, lineStart };
}

function oneLine(query: string): string {
  return query.replace(/\s*\n\s*/g, ' ');
}

/** The line holding `position` and a caret under it (tabs kept, so the caret lines up in a terminal). */
function pointAt(query: string, position: number): string[] {
  const { lineStart } = lineAndColumn(query, position);
  const lineEnd = query.indexOf('\n', lineStart);
  const line = query.slice(lineStart, lineEnd < 0 ? undefined : lineEnd);
  const pad = [...query.slice(lineStart, position)].map((c) => (c === '\t' ? '\t' : ' ')).join('');
  return [line, `${pad}^`];
}
