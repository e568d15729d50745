/**
 * The runner's rules, with a virtual clock: poll until pass or deadline, skip what depends on a failure,
 * stop at once when an engine does not answer, and count points. The probes here are plain objects standing
 * in for the query builders; no engine API is imitated.
 */
import { describe, expect, it } from 'vitest';
import { EngineUnreachable } from './clients/http.ts';
import type { CheckEvent, Objective, Observation, Probe } from './model.ts';
import { runObjectives } from './runner.ts';

/** A probe that returns the given observations in turn (the last one repeats). */
function scripted(...observations: (Observation | Error)[]): Probe & { calls: number } {
  const probe = {
    source: 'prometheus' as const,
    query: 'up',
    calls: 0,
    validate: () => undefined,
    async observe() {
      const next = observations[Math.min(probe.calls, observations.length - 1)]!;
      probe.calls += 1;
      if (next instanceof Error) throw next;
      return next;
    },
  };
  return probe;
}

const fail: Observation = { pass: false, got: '0 series', expected: '>= 1 series' };
const pass: Observation = { pass: true, got: '1 series', expected: '>= 1 series' };
const objective = (id: string, check: Probe, extra: Partial<Objective> = {}): Objective => ({ id, title: `objective ${id}`, points: 10, hint: `hint ${id}`, check, deadlineMs: 10_000, ...extra });

function virtualClock() {
  let now = 0;
  return { now: () => now, sleep: async (ms: number) => void (now += ms) };
}

const lab = { number: 4, slug: 'red-recording-rules', title: 'RED' };
const context = { endpoints: {}, workspace: '/tmp' };

describe('runObjectives', () => {
  it('polls an objective until it passes, and scores it', async () => {
    const probe = scripted(fail, fail, pass);
    const report = await runObjectives(lab, [objective('a', probe)], context, virtualClock());
    expect(report.objectives[0]).toMatchObject({ outcome: 'pass', score: 10, attempts: 3 });
    expect(report.objectives[0]!.hint).toBeUndefined();
    expect(report).toMatchObject({ passed: true, score: 10, maxScore: 10, counts: { pass: 1, fail: 0, error: 0, skipped: 0 } });
  });

  it('fails after the deadline with the last evidence and the hint', async () => {
    const clock = virtualClock();
    const report = await runObjectives(lab, [objective('a', scripted(fail))], context, clock);
    const [result] = report.objectives;
    expect(result).toMatchObject({ outcome: 'fail', score: 0, hint: 'hint a', evidence: { source: 'prometheus', query: 'up', got: '0 series', expected: '>= 1 series' } });
    expect(clock.now()).toBeLessThanOrEqual(10_000);
    expect(clock.now()).toBeGreaterThan(5_000);
    expect(report.passed).toBe(false);
  });

  it('scales deadlines', async () => {
    const clock = virtualClock();
    await runObjectives(lab, [objective('a', scripted(fail))], context, { ...clock, deadlineScale: 0.1 });
    expect(clock.now()).toBeLessThanOrEqual(1_000);
  });

  it('skips an objective whose dependency did not pass, without running it', async () => {
    const dependent = scripted(pass);
    const report = await runObjectives(lab, [objective('a', scripted(fail)), objective('b', dependent, { needs: ['a'] })], context, virtualClock());
    expect(report.objectives[1]).toMatchObject({ outcome: 'skipped', message: 'skipped: needs "objective a" to pass first', hint: 'hint b' });
    expect(dependent.calls).toBe(0);
  });

  it('runs a dependent objective once its dependency passes', async () => {
    const report = await runObjectives(lab, [objective('b', scripted(pass), { needs: ['a'] }), objective('a', scripted(fail, pass))], context, virtualClock());
    expect(report.objectives.map((o) => o.outcome)).toEqual(['pass', 'pass']);
  });

  it('ends with error at once when an engine does not answer', async () => {
    const probe = scripted(new EngineUnreachable('Prometheus', 'http://127.0.0.1:9090', 'connection refused'));
    const report = await runObjectives(lab, [objective('a', probe)], context, virtualClock());
    expect(report.objectives[0]).toMatchObject({ outcome: 'error', cause: 'engine-unreachable', attempts: 1, message: 'Prometheus is not reachable at http://127.0.0.1:9090 (connection refused)' });
  });

  it('fails at once, without waiting for the deadline, when the observation is settled', async () => {
    const clock = virtualClock();
    const probe = scripted({ ...fail, settled: true });
    const report = await runObjectives(lab, [objective('a', probe)], context, clock);
    expect(report.objectives[0]).toMatchObject({ outcome: 'fail', cause: 'settled', attempts: 1 });
    expect(clock.now()).toBe(0);
  });

  it('gives each result that did not pass its cause: deadline, needs, engine-error', async () => {
    const report = await runObjectives(lab, [objective('a', scripted(fail)), objective('b', scripted(pass), { needs: ['a'] }), objective('c', scripted(new Error('bad query')))], context, virtualClock());
    expect(report.objectives.map((o) => o.cause)).toEqual(['deadline', 'needs', 'engine-error']);
    expect(report.objectives.every((o) => o.outcome === 'pass' || o.cause)).toBe(true);
  });

  it('says how long each waiting objective has left', async () => {
    const events: CheckEvent[] = [];
    await runObjectives(lab, [objective('a', scripted(fail))], context, { ...virtualClock(), emit: (e) => events.push(e) });
    const left = events.flatMap((e) => (e.kind === 'objective-retrying' ? [e.remainingMs] : []));
    expect(left[0]).toBeLessThanOrEqual(10_000);
    expect(left).toEqual([...left].sort((x, y) => y - x));
    expect(left.at(-1)).toBeGreaterThanOrEqual(0);
  });

  it('emits a started event, one finished event per objective, and the report last', async () => {
    const events: CheckEvent[] = [];
    await runObjectives(lab, [objective('a', scripted(pass)), objective('b', scripted(fail, pass))], context, { ...virtualClock(), emit: (e) => events.push(e) });
    expect(events[0]!.kind).toBe('run-started');
    expect(events.filter((e) => e.kind === 'objective-finished')).toHaveLength(2);
    expect(events.some((e) => e.kind === 'objective-retrying')).toBe(true);
    expect(events.at(-1)!.kind).toBe('run-finished');
  });
});
