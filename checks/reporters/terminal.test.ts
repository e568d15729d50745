import { describe, expect, it } from 'vitest';
import type { CheckEvent, CheckReport } from '../model.ts';
import { mixedReport, passingReport } from './report-fixture.ts';
import { formatTerminalEvent, formatTerminalReport, scoreLine } from './terminal.ts';

const plain = { verbose: false, color: false };

describe('formatTerminalReport', () => {
  it('prints a table, what to look at next for each objective that did not pass, and the score', () => {
    expect(formatTerminalReport(mixedReport, plain)).toBe(
      [
        'Lab 04 — RED recording rules',
        '',
        '  ✓  Prometheus scrapes the shop                                10/10',
        '  ✗  The p95 latency is recorded for every route of the shop     0/15',
        '  !  Checkout errors are logged with their route                 0/10',
        '  –  The recorded p95 agrees with a direct query (within 35 %)   0/15',
        '',
        'What to look at next',
        '  ✗ The p95 latency is recorded for every route of the shop',
        '    got       no series',
        '    expected  >= 3 series',
        '    hint      Record service_route:http_server_request_duration_seconds:p95_1m with histogram_quantile(0.95, …) over the _bucket series, summed by (service, route, le).',
        '  ! Checkout errors are logged with their route',
        '    error  Loki is not reachable at http://127.0.0.1:3100 (connection refused)',
        '    hint   Log each failed checkout as JSON with a route field.',
        '  – The recorded p95 agrees with a direct query (within 35 %)',
        '    why   skipped: needs "The p95 latency is recorded for every route of the shop" to pass first',
        '    hint  Keep le in the sum before histogram_quantile, and use the same 1m window as the direct query.',
        '',
        'Score 10/50 — 1 of 4 objectives pass (1 could not be checked, 1 skipped)',
      ].join('\n'),
    );
  });

  it('with verbose, shows the evidence under every objective instead of repeating it with the hints', () => {
    const text = formatTerminalReport(mixedReport, { verbose: true, color: false });
    expect(text).toContain(
      [
        '  ✗  The p95 latency is recorded for every route of the shop     0/15',
        '       source    prometheus',
        '       query     service_route:http_server_request_duration_seconds:p95_1m{service="shop"}',
        '       got       no series',
        '       expected  >= 3 series',
        '       checked   14 times in 1m00s',
        '  !  Checkout errors are logged with their route                 0/10',
        '       checked  1 time in 3ms',
        '  –  The recorded p95 agrees with a direct query (within 35 %)   0/15',
        '       checked  not run',
      ].join('\n'),
    );
    expect(text).toContain(['  ✗ The p95 latency is recorded for every route of the shop', '    hint  Record'].join('\n'));
    // The passing objective's evidence is shown too: it is what "verbose" is for.
    expect(text).toContain('       got       1 series: up{instance="127.0.0.1:8080", job="shop"} 1');
  });

  it('congratulates when everything passes, and lists no next steps', () => {
    const text = formatTerminalReport(passingReport, plain);
    expect(text).not.toContain('What to look at next');
    expect(text.split('\n').slice(-2)).toEqual(['Score 50/50 — 4 of 4 objectives pass', 'Every objective passes: lab 04 is complete. Well done!']);
  });

  it('does not congratulate a run with no objectives', () => {
    const empty: CheckReport = { ...passingReport, score: 0, maxScore: 0, counts: { pass: 0, fail: 0, error: 0, skipped: 0 }, objectives: [] };
    expect(formatTerminalReport(empty, plain)).toBe(['Lab 04 — RED recording rules', '', '', 'Score 0/0 — 0 of 0 objectives pass'].join('\n'));
  });

  it('colours the symbols only when asked', () => {
    expect(formatTerminalReport(mixedReport, plain)).not.toContain('\u001b[');
    const coloured = formatTerminalReport(mixedReport, { verbose: false, color: true });
    expect(coloured).toContain('\u001b[32m✓\u001b[0m  Prometheus scrapes the shop');
    expect(coloured).toContain('\u001b[31m✗\u001b[0m  The p95 latency');
    // Colour codes do not count towards the column widths.
    const stripped = coloured.replace(/\u001b\[\d+m/g, '');
    expect(stripped).toBe(formatTerminalReport(mixedReport, plain));
  });

  it('shows control characters from the engines instead of sending them to the terminal, and keeps rows on one line', () => {
    const hostile: CheckReport = {
      ...mixedReport,
      objectives: [
        {
          ...mixedReport.objectives[1]!,
          title: 'Errors are\nlogged',
          evidence: { ...mixedReport.objectives[1]!.evidence!, got: '1 line: \u001b[31mboom\u001b[0m\nsecond line' },
        },
      ],
    };
    const text = formatTerminalReport(hostile, plain);
    expect(text).not.toContain('\u001b');
    expect(text).toContain('  ✗  Errors are logged  0/15');
    expect(text).toContain(['    got       1 line: \\x1b[31mboom\\x1b[0m', '              second line'].join('\n'));
  });
});

describe('scoreLine', () => {
  it('says "objective passes" for a lab of one objective', () => {
    expect(scoreLine({ ...passingReport, score: 10, maxScore: 10, objectives: [passingReport.objectives[0]!] })).toBe('Score 10/10 — 1 of 1 objective passes');
  });
});

describe('formatTerminalEvent', () => {
  const [pass, fail, error, skipped] = mixedReport.objectives;
  const events: [CheckEvent, string | undefined][] = [
    [{ kind: 'run-started', lab: mixedReport.lab, objectives: mixedReport.objectives }, 'Lab 04-red-recording-rules: checking 4 objectives (50 points)'],
    [{ kind: 'objective-started', id: 'p95-recorded' }, undefined],
    [
      { kind: 'objective-retrying', id: 'p95-recorded', attempt: 3, observation: { pass: false, got: 'no series', expected: '>= 3 series' }, remainingMs: 14_200 },
      '  … p95-recorded: waiting for >= 3 series (now no series), 15 s left',
    ],
    [{ kind: 'objective-finished', result: pass! }, '  ✓ Prometheus scrapes the shop  10/10'],
    [{ kind: 'objective-finished', result: fail! }, '  ✗ The p95 latency is recorded for every route of the shop  0/15'],
    [{ kind: 'objective-finished', result: error! }, '  ! Checkout errors are logged with their route  0/10 — Loki is not reachable at http://127.0.0.1:3100 (connection refused)'],
    [
      { kind: 'objective-finished', result: skipped! },
      '  – The recorded p95 agrees with a direct query (within 35 %)  0/15 — skipped: needs "The p95 latency is recorded for every route of the shop" to pass first',
    ],
    [{ kind: 'run-finished', report: mixedReport }, undefined],
  ];

  it.each(events)('formats %j', (event, expected) => {
    expect(formatTerminalEvent(event)).toBe(expected);
  });

  it('says "objective" for one', () => {
    expect(formatTerminalEvent({ kind: 'run-started', lab: mixedReport.lab, objectives: [{ id: 'a', title: 'A', points: 5 }] })).toBe(
      'Lab 04-red-recording-rules: checking 1 objective (5 points)',
    );
  });

  it('refuses an event of a kind it does not know, rather than dropping it silently', () => {
    // Only reachable from untyped callers: the compiler rejects a new kind at the switch's `never`.
    expect(() => formatTerminalEvent({ kind: 'objective-exploded' } as unknown as CheckEvent)).toThrow('no format for event');
  });
});
