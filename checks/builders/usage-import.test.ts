import { describe, expect, it } from 'vitest';
import { comparableWindow, countsDiffer, currentStreak, viewProbe, type RunRecord } from './usage-import.ts';

const run = (startedAt: number, fileHash = 'b', ok = true): RunRecord => ({ startedAt, endedAt: startedAt + 500, trigger: 'interval', fileHash, ok, exitCode: ok ? 0 : 1, output: '' });

describe('currentStreak', () => {
  it("keeps only the runs since the file's content last changed, even when that content ran before", () => {
    const runs = [run(1, 'b'), run(2, 'a'), run(4, 'b'), run(3, 'b')];
    expect(currentStreak(runs, 'b').map((r) => r.startedAt)).toEqual([3, 4]);
    expect(currentStreak(runs, 'c')).toEqual([]);
  });
});

describe('comparableWindow', () => {
  const now = Date.parse('2026-12-03T10:00:00Z');
  it('covers events from the first run until the latest run could see all of them, on whole seconds', () => {
    const streak = [run(now - 200_500), run(now - 15_000)];
    // from the first run (rounded up) to the latest run less 90 s of lateness and 10 s of shipping
    expect(comparableWindow(streak, 90_000, now)).toEqual({ start: now - 200_000, end: now - 115_000 });
  });
  it('has nothing to compare until the job has run for lateness + 40 s', () => {
    expect(comparableWindow([run(now - 120_000), run(now - 1000)], 90_000, now)).toBeUndefined();
    expect(comparableWindow([], 90_000, now)).toBeUndefined();
  });
  it('starts no earlier than 25 minutes ago, which the shop still remembers', () => {
    expect(comparableWindow([run(now - 3_600_000), run(now)], 90_000, now)?.start).toBe(now - 25 * 60_000);
  });
});

describe('countsDiffer', () => {
  it('names every feature whose counts differ, missing ones included', () => {
    expect(countsDiffer({ search: 3, compare: 1 }, { search: 3, compare: 2, reviews: 1 })).toEqual(['compare', 'reviews']);
    expect(countsDiffer({ a: 1 }, { a: 1 })).toEqual([]);
  });
});

describe('viewProbe', () => {
  it('puts test events in two hours of one day and one of the next, so a per-day or per-feature-only view shows', () => {
    const probe = viewProbe('check-1');
    expect(new Set(probe.rows.map((r) => r.eventId)).size).toBe(4);
    expect(probe.expected.map((r) => r.events)).toEqual([2, 1, 1]);
    const perDay = new Map<number, number>();
    for (const row of probe.rows) perDay.set(Math.floor(row.at / 86_400_000), (perDay.get(Math.floor(row.at / 86_400_000)) ?? 0) + 1);
    expect([...perDay.values()]).not.toEqual(probe.expected.map((r) => r.events));
  });
});
