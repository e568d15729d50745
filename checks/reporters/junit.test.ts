import { SaxesParser } from 'saxes';
import { describe, expect, it } from 'vitest';
import type { CheckReport } from '../model.ts';
import { escapeAttribute, escapeText, toJUnit } from './junit.ts';
import { mixedReport, passingReport } from './report-fixture.ts';

interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  text: string;
}

/**
 * Parses with saxes, a strict XML 1.0 parser: it rejects what a lenient one lets through (a raw `<` in an
 * attribute, `]]>` in text, control characters), so a document it accepts is well-formed. Throws on the first error.
 */
function parseXml(xml: string): XmlElement {
  const parser = new SaxesParser();
  const root: XmlElement = { name: '#document', attributes: {}, children: [], text: '' };
  const stack = [root];
  let failure: Error | undefined;
  parser.on('error', (error) => {
    failure ??= error;
  });
  parser.on('opentag', (tag) => {
    const element: XmlElement = { name: tag.name, attributes: tag.attributes as Record<string, string>, children: [], text: '' };
    stack.at(-1)!.children.push(element);
    stack.push(element);
  });
  parser.on('closetag', () => void stack.pop());
  parser.on('text', (text) => {
    stack.at(-1)!.text += text;
  });
  parser.write(xml).close();
  if (failure) throw failure;
  expect(root.children).toHaveLength(1);
  return root.children[0]!;
}

const child = (element: XmlElement, name: string) => element.children.find((c) => c.name === name);

describe('toJUnit', () => {
  it('writes one well-formed testsuite with the counts and time of the run', () => {
    const xml = toJUnit(mixedReport);
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<testsuite ')).toBe(true);
    expect(xml.endsWith('</testsuite>\n')).toBe(true);
    const suite = parseXml(xml);
    expect(suite.name).toBe('testsuite');
    expect(suite.attributes).toEqual({
      name: 'lab 04 red-recording-rules',
      tests: '4',
      failures: '1',
      errors: '1',
      skipped: '1',
      time: '60.412',
      timestamp: '2025-03-14T09:26:53.589Z',
    });
    const properties = child(suite, 'properties')!.children.map((p) => [p.attributes.name, p.attributes.value]);
    expect(properties).toEqual([
      ['lab.title', 'RED recording rules'],
      ['score', '10'],
      ['maxScore', '50'],
    ]);
  });

  it('writes one testcase per objective, named by id and title, with what happened inside', () => {
    const cases = parseXml(toJUnit(mixedReport)).children.filter((c) => c.name === 'testcase');
    expect(cases.map((c) => c.attributes)).toEqual([
      { classname: 'lab.04-red-recording-rules', name: 'shop-scraped: Prometheus scrapes the shop', time: '0.042' },
      { classname: 'lab.04-red-recording-rules', name: 'p95-recorded: The p95 latency is recorded for every route of the shop', time: '60.350' },
      { classname: 'lab.04-red-recording-rules', name: 'errors-logged: Checkout errors are logged with their route', time: '0.003' },
      { classname: 'lab.04-red-recording-rules', name: 'p95-agrees: The recorded p95 agrees with a direct query (within 35 %)', time: '0.000' },
    ]);
    const [pass, fail, error, skipped] = cases;
    expect(pass!.children).toEqual([]);

    const failure = child(fail!, 'failure')!;
    expect(failure.attributes).toEqual({ message: 'got no series, expected >= 3 series', type: 'fail' });
    expect(failure.text).toBe(
      [
        'source:   prometheus',
        'query:    service_route:http_server_request_duration_seconds:p95_1m{service="shop"}',
        'got:      no series',
        'expected: >= 3 series',
        'attempts: 14 in 60.350 s',
        '',
        'hint: Record service_route:http_server_request_duration_seconds:p95_1m with histogram_quantile(0.95, …) over the _bucket series, summed by (service, route, le).',
      ].join('\n'),
    );

    const err = child(error!, 'error')!;
    expect(err.attributes).toEqual({ message: 'Loki is not reachable at http://127.0.0.1:3100 (connection refused)', type: 'error' });
    expect(err.text).toContain('hint: Log each failed checkout as JSON with a route field.');

    expect(skipped!.children.map((c) => c.name)).toEqual(['skipped']);
    expect(child(skipped!, 'skipped')!.attributes.message).toContain('skipped: needs "The p95 latency');
  });

  it('counts nothing as failed when everything passes', () => {
    const suite = parseXml(toJUnit(passingReport));
    expect(suite.attributes).toMatchObject({ tests: '4', failures: '0', errors: '0', skipped: '0', time: '8.020' });
    expect(suite.children.filter((c) => c.name === 'testcase').every((c) => c.children.length === 0)).toBe(true);
  });

  it('stays well-formed and loses nothing with markup characters, "]]>", newlines and control characters in the text', () => {
    const hostile: CheckReport = {
      ...mixedReport,
      lab: { ...mixedReport.lab, title: 'Tom & Jerry\'s <lab> "one"' },
      objectives: [
        {
          ...mixedReport.objectives[1]!,
          title: 'Errors <&> are "logged" with \'route\'',
          evidence: {
            source: 'loki',
            query: '{service_name="shop"} |= "]]>" |~ "a<b>&c"',
            got: '1 line: \u001b[31m]]> boom\u001b[0m\r\nnext\tline',
            expected: '>= 1 lines',
          },
          hint: 'Look for "]]>" & <b>friends</b>',
        },
        { ...mixedReport.objectives[2]!, message: 'engine said: ]]> <error code="1"/>\nsecond line\u0000' },
      ],
    };
    const xml = toJUnit(hostile);
    expect(xml).not.toContain('CDATA');
    const suite = parseXml(xml);
    expect(child(suite, 'properties')!.children[0]!.attributes.value).toBe('Tom & Jerry\'s <lab> "one"');

    const [fail, error] = suite.children.filter((c) => c.name === 'testcase');
    expect(fail!.attributes.name).toBe('p95-recorded: Errors <&> are "logged" with \'route\'');
    const failure = child(fail!, 'failure')!;
    // The carriage return survives, and the escape character is shown rather than dropped.
    expect(failure.attributes.message).toBe('got 1 line: \\x1b[31m]]> boom\\x1b[0m\r\nnext\tline, expected >= 1 lines');
    expect(failure.text).toContain('query:    {service_name="shop"} |= "]]>" |~ "a<b>&c"');
    expect(failure.text).toContain('hint: Look for "]]>" & <b>friends</b>');

    const err = child(error!, 'error')!;
    expect(err.attributes.message).toBe('engine said: ]]> <error code="1"/>\nsecond line\\x00');
    expect(err.children).toEqual([]);
  });
});

describe('escaping', () => {
  it('escapes element text so that "]]>" cannot appear', () => {
    expect(escapeText('a ]]> b < c & d')).toBe('a ]]&gt; b &lt; c &amp; d');
  });

  it('escapes quotes and whitespace in attribute values', () => {
    expect(escapeAttribute('say "hi"\n\tit\'s')).toBe('say &quot;hi&quot;&#10;&#9;it&apos;s');
  });

  it('replaces characters XML cannot carry, keeps those it can', () => {
    expect(escapeText('\u0000\u0008\u000b\u001f\ufffe')).toBe('\\x00\\x08\\x0b\\x1f\\ufffe');
    expect(escapeText('lone \ud800 surrogate')).toBe('lone \ufffd surrogate');
    expect(escapeText('emoji 😀, tab\t, newline\n, é')).toBe('emoji 😀, tab\t, newline\n, é');
  });
});
