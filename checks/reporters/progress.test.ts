import { describe, expect, it } from 'vitest';
import type { CheckEvent } from '../model.ts';
import { foldProgress, type CheckProgress } from './progress.ts';
import { mixedReport } from './report-fixture.ts';

describe('foldProgress', () => {
  const [done, waiting] = mixedReport.objectives;
  const events: CheckEvent[] = [
    { kind: 'run-started', lab: mixedReport.lab, objectives: [done!, waiting!] },
    { kind: 'objective-started', id: waiting!.id },
    { kind: 'objective-finished', result: done! },
    { kind: 'objective-retrying', id: waiting!.id, attempt: 2, observation: { pass: false, got: 'no series', expected: '>= 3 series' }, remainingMs: 12_000 },
  ];
  const progress = events.reduce<CheckProgress | undefined>(foldProgress, undefined)!;

  it('shows finished objectives with their outcome and waiting ones with what they wait for and the time left', () => {
    expect(progress.finished).toBe(false);
    expect(progress.objectives[0]).toMatchObject({ id: done!.id, state: 'finished', outcome: 'pass' });
    expect(progress.objectives[1]).toMatchObject({ id: waiting!.id, state: 'waiting', waitingFor: '>= 3 series', got: 'no series', remainingMs: 12_000 });
  });

  it('ends finished, with the waiting details gone', () => {
    const end = [...events, { kind: 'objective-finished', result: waiting! } as CheckEvent, { kind: 'run-finished', report: mixedReport } as CheckEvent].reduce<CheckProgress | undefined>(foldProgress, undefined)!;
    expect(end.finished).toBe(true);
    expect(end.objectives[1]).toMatchObject({ state: 'finished', outcome: 'fail', waitingFor: undefined });
  });
});
