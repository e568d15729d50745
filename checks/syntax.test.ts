import { describe, expect, it } from 'vitest';
import { UsageError } from '../lib/errors.ts';
import { assertQuery, checkLogQL, checkPromQL, checkQuery, checkTraceQL, type SyntaxResult } from './syntax.ts';

/** The failure part of a result, failing the test when the checker let the query through. */
function failureOf(result: SyntaxResult): { message: string; position: number } {
  if (result.ok) throw new Error('expected the query to be rejected, but the checker accepted it');
  return { message: result.message, position: result.position };
}

describe('checkPromQL', () => {
  it.each([
    'up',
    'up{job="shop"} == 1',
    'histogram_quantile(0.95, sum by (le, route) (rate(http_server_request_duration_seconds_bucket[5m])))',
    'sum by (route) (rate(http_requests_total{status=~"5.."}[5m])) / ignoring(status) sum by (route) (rate(http_requests_total[5m]))',
    'rate(http_requests_total[5m:1m] offset 1h)',
    'max_over_time(up[1h]) @ end()',
    "up{job='shop', instance!~`10\\..*`}",
    'sum(rate(x[5m])) # requests per second\n  > 0',
  ])('accepts %s', (expr) => {
    expect(checkPromQL(expr)).toEqual({ ok: true });
  });

  it.each([
    ['sum(rate(x[5m])', 15, 'unexpected end of query at column 16 ("(" opened at column 4 is never closed)'],
    ['up{job="shop"}}', 14, 'unexpected "}" at column 15'],
    ['up{job=}', 7, 'unexpected "}" at column 8'],
    ['rate(x[5m]) foo', 12, 'unexpected "foo" at column 13'],
    ['sum by (route) rate(x[5m])', 15, 'unexpected "rate" at column 16'],
    ['1 +', 3, 'unexpected end of query at column 4'],
    ['up{job="shop}', 7, 'unterminated string starting at column 8'],
    // The grammar's tokenizer accepts a string that runs to the end; Prometheus does not, and neither do we.
    ['"abc', 0, 'unterminated string starting at column 1'],
  ])('rejects %s', (expr, position, message) => {
    expect(failureOf(checkPromQL(expr))).toEqual({ position, message });
  });

  it('counts lines and columns from 1 in a query written over several lines', () => {
    const failure = failureOf(checkPromQL('sum by (route) (\n  rate(x[5m]) +\n)'));
    expect(failure.message).toBe('unexpected ")" at line 3, column 1');
    expect(failure.position).toBe(33);
  });

  it('rejects an empty query', () => {
    expect(failureOf(checkPromQL('  '))).toEqual({ message: 'the query is empty', position: 0 });
  });
});

describe('checkLogQL', () => {
  it.each([
    '{service_name="shop"} | json | level="error"',
    '{job="x"} | logfmt',
    // Structured metadata and detected fields filter like labels, right after the selector.
    '{job="x"} | level="error"',
    '{job="x"} | detected_level="error" or detected_level="warn"',
    'sum by (route) (rate({job="x"} |= "error" [5m]))',
    'sum by (route) (count_over_time({service_name="shop"} | json | status >= 500 [5m]))',
    'quantile_over_time(0.95, {job="x"} | json | unwrap duration_ms [5m]) by (route)',
    'topk(3, sum by (route) (rate({job="x"}[5m])))',
    '{job="x"} |= "a" != "b" |~ "c.*" | duration > 10ms',
    '{job="x"} | json | line_format "{{.msg}}" | __error__=""',
    '{job="x"} | pattern "<ip> - <_>" | keep ip',
    '{job="x"} | drop level | decolorize',
    '{job="x"} |= `say "hi"`',
  ])('accepts %s', (query) => {
    expect(checkLogQL(query)).toEqual({ ok: true });
  });

  it.each([
    ['{service_name="shop"', 20, 'unexpected end of query at column 21 ("{" opened at column 1 is never closed)'],
    ['{}', 1, 'unexpected "}" at column 2'],
    ['{job="x"} | ', 12, 'unexpected end of query at column 13'],
    ['{job="x"} foo', 10, 'unexpected "foo" at column 11'],
    ['{job="x"} | json | level="error', 25, 'unterminated string starting at column 26'],
    ['sum(rate({job="x"}[5m])', 23, 'unexpected end of query at column 24 ("(" opened at column 4 is never closed)'],
  ])('rejects %s', (query, position, message) => {
    expect(failureOf(checkLogQL(query))).toEqual({ position, message });
  });
});

describe('checkTraceQL', () => {
  it.each([
    '{ resource.service.name = "shop" && span.http.route = "/checkout" && duration > 500ms }',
    '{ status = error } | count() > 2',
    '{ .http.status_code >= 500 } | rate() by (resource.service.name)',
    '{ span.http.route = "/checkout" } >> { resource.service.name = "inventory" }',
    '{ kind = server && name =~ "GET.*" }',
    '{ event.exception.message != nil }',
    '{ trace:rootService = "shop" } | select(span.http.route)',
    '{ } | quantile_over_time(duration, 0.95) by (span.http.route)',
  ])('accepts %s', (query) => {
    expect(checkTraceQL(query)).toEqual({ ok: true });
  });

  it.each([
    ['{ span.a = }', 11, 'unexpected "}" at column 12'],
    ['{ span.a = 1 } }', 15, 'unexpected "}" at column 16'],
    ['{ span.a = 1 ', 13, 'unexpected end of query at column 14 ("{" opened at column 1 is never closed)'],
    ['{ span.a = "x }', 11, 'unterminated string starting at column 12'],
    ['span.a = 1', 0, 'unexpected "span.a" at column 1'],
  ])('rejects %s', (query, position, message) => {
    expect(failureOf(checkTraceQL(query))).toEqual({ position, message });
  });
});

describe('the grammars are not interchangeable', () => {
  // If one language's checker accepted everything, these would pass: each query is valid in one language only.
  it('rejects a LogQL pipeline as PromQL and a PromQL range as TraceQL', () => {
    expect(checkQuery('logql', '{job="x"} | json').ok).toBe(true);
    expect(checkQuery('promql', '{job="x"} | json').ok).toBe(false);
    expect(checkQuery('promql', 'rate(x[5m])').ok).toBe(true);
    expect(checkQuery('traceql', 'rate(x[5m])').ok).toBe(false);
    expect(checkQuery('traceql', '{ duration > 1s }').ok).toBe(true);
    expect(checkQuery('logql', '{ duration > 1s }').ok).toBe(false);
  });
});

describe('assertQuery', () => {
  const where = 'labs/04-red-recording-rules/lab.ts: objective "rate-recorded"';

  it('returns quietly for a valid query', () => {
    expect(() => assertQuery('promql', 'sum(rate(x[5m]))', where)).not.toThrow();
  });

  it('throws a UsageError naming the place, the language, the column and the query, with a pointer', () => {
    let thrown: unknown;
    try {
      assertQuery('promql', 'sum(rate(x[5m])', where);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(UsageError);
    const error = thrown as UsageError;
    expect(error.exitCode).toBe(2);
    expect(error.message).toBe(
      'labs/04-red-recording-rules/lab.ts: objective "rate-recorded": invalid PromQL query: ' +
        'unexpected end of query at column 16 ("(" opened at column 4 is never closed) in `sum(rate(x[5m])`',
    );
    expect(error.details).toEqual(['sum(rate(x[5m])', '               ^']);
    expect(error.fix).toContain('PromQL');
  });

  it('points into the right line of a multi-line query, keeping tabs so the caret lines up', () => {
    let thrown: unknown;
    try {
      assertQuery('logql', '{job="x"}\n\t| level=="error"', 'lab.ts: objective "x"');
    } catch (error) {
      thrown = error;
    }
    const error = thrown as UsageError;
    expect(error.message).toContain('invalid LogQL query: unexpected \'"\' at line 2, column 11');
    expect(error.message).toContain('in `{job="x"} | level=="error"`');
    expect(error.details).toEqual(['\t| level=="error"', '\t         ^']);
  });

  it('names TraceQL for TraceQL', () => {
    expect(() => assertQuery('traceql', '{ span.a = }', 'w')).toThrow(/^w: invalid TraceQL query: unexpected "}" at column 12 in `\{ span\.a = \}`$/);
  });
});
