/**
 * Progress records what checks found, in a state directory of the test's own: the best whole-check score, the
 * first whole pass (kept when later checks fail), each objective's last outcome; a re-check of one objective
 * never passes the lab; a damaged file counts as no progress; reset forgets.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { CheckReport } from '../checks/model.ts';
import { mixedReport, passingReport } from '../checks/reporters/report-fixture.ts';
import { forgetProgress, labStatus, progressFile, readProgress, recordReport } from './progress.ts';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));
function freshEnv(): NodeJS.ProcessEnv {
  const state = mkdtempSync(join(tmpdir(), 'o11y-progress-'));
  dirs.push(state);
  return { O11Y_LAB_STATE: state };
}
const lab = '04-red-recording-rules';
const later = (report: CheckReport, minutes: number): CheckReport => ({ ...report, startedAt: new Date(Date.parse(report.startedAt) + minutes * 60_000).toISOString() });

describe('progress', () => {
  it('is empty, and the lab not started, before any check', () => {
    const env = freshEnv();
    expect(readProgress(env)).toEqual({});
    expect(labStatus(undefined, false)).toBe('not-started');
    expect(labStatus(undefined, true)).toBe('in-progress');
  });

  it('keeps the best score and the first pass when a later check does worse', () => {
    const env = freshEnv();
    recordReport(lab, mixedReport, true, env);
    expect(labStatus(readProgress(env)[lab], false)).toBe('in-progress');
    const passed = recordReport(lab, later(passingReport, 5), true, env);
    expect(passed.passedAt).toBeDefined();
    const after = recordReport(lab, later(mixedReport, 10), true, env);
    expect(after.best.score).toBe(passingReport.score);
    expect(after.passedAt).toBe(passed.passedAt);
    expect(after.objectives['p95-recorded']).toMatchObject({ outcome: 'fail', passedAt: passed.passedAt });
    expect(labStatus(after, false)).toBe('passed');
  });

  it('lets a re-check of one objective update that objective, never the best score or the lab’s pass', () => {
    const env = freshEnv();
    recordReport(lab, mixedReport, true, env);
    const one = passingReport.objectives.filter((o) => o.id === 'p95-recorded');
    const record = recordReport(lab, { ...later(passingReport, 1), objectives: one, score: 15, maxScore: 15, passed: true }, false, env);
    expect(record.objectives['p95-recorded']?.outcome).toBe('pass');
    expect(record.best.score).toBe(mixedReport.score);
    expect(record.passedAt).toBeUndefined();
  });

  it('does not let a skipped objective overwrite what was last seen of it', () => {
    const env = freshEnv();
    recordReport(lab, passingReport, true, env);
    const record = recordReport(lab, later(mixedReport, 1), true, env);
    expect(record.objectives['p95-agrees']?.outcome).toBe('pass');
  });

  it('counts a damaged file as no progress, and the next check replaces it', () => {
    const env = freshEnv();
    writeFileSync(progressFile(env), '{ not json');
    expect(readProgress(env)).toEqual({});
    recordReport(lab, mixedReport, true, env);
    expect(Object.keys(readProgress(env))).toEqual([lab]);
  });

  it('forgets one lab on reset, and everything on reset --all', () => {
    const env = freshEnv();
    recordReport(lab, mixedReport, true, env);
    recordReport('03-scrape-and-query', mixedReport, true, env);
    forgetProgress(lab, env);
    expect(Object.keys(readProgress(env))).toEqual(['03-scrape-and-query']);
    forgetProgress('all', env);
    expect(readProgress(env)).toEqual({});
  });
});
