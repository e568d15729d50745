/**
 * Every lab is proven on the real engines: on a fresh setup at least one objective fails, and after the
 * lab's reference solution every objective passes — through the same commands a student and an instructor use.
 */
import { describe, expect, it } from 'vitest';
import type { CheckReport } from '../checks/model.ts';
import { catalogue, labEngines } from '../lifecycle/labs.ts';
import { runCli } from './support/cli.ts';
import { needsEngines } from './support/engines.ts';
import { testEnv } from './support/stack.ts';

const labs = await catalogue();

/** Each step of a lab's proof with the seconds it took, as it ends: a proof runs for minutes (and CI has a budget). */
async function step<T>(lab: number, what: string, run: () => Promise<T>): Promise<T> {
  const started = Date.now();
  const result = await run();
  console.log(`[lab ${lab}] ${what}: ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return result;
}

/**
 * A solution may wait for minutes of live data (lab 3 waits until five minutes of scrapes fill its queries' window,
 * and bounds that wait at eight): its command gets more than that bound, so a slow machine is not a failed lab.
 */
const solveTimeoutMs = 12 * 60_000;

describe.each(labs)('lab $number ($slug)', (lab) => {
  needsEngines(...labEngines(lab));
  it('fails on a fresh setup and passes after its solution', async () => {
    const reset = await step(lab.number, 'reset', () => runCli(['lab:reset', String(lab.number), '--yes'], testEnv));
    expect(reset.code, reset.stderr).toBe(0);
    const start = await step(lab.number, 'start', () => runCli(['lab:start', String(lab.number)], testEnv));
    expect(start.code, start.stderr).toBe(0);

    // Fresh: the student has done nothing yet. Deadlines shortened: a failure is what we expect here.
    const before = await step(lab.number, 'check, fresh', () => runCli(['check', String(lab.number), '--json', '--deadline-scale', '0.25'], testEnv));
    expect(before.code, before.stderr).toBe(1);
    const fresh = JSON.parse(before.stdout) as CheckReport;
    expect(fresh.passed).toBe(false);
    expect(fresh.objectives.some((o) => o.outcome === 'fail'), JSON.stringify(fresh.objectives.map((o) => [o.id, o.outcome]))).toBe(true);

    const solve = await step(lab.number, 'solution', () => runCli(['lab:solve', String(lab.number)], testEnv, solveTimeoutMs));
    expect(solve.code, solve.stderr).toBe(0);

    const after = await step(lab.number, 'check, solved', () => runCli(['check', String(lab.number), '--json'], testEnv));
    const solved = JSON.parse(after.stdout) as CheckReport;
    const notPassing = solved.objectives.filter((o) => o.outcome !== 'pass').map((o) => ({ id: o.id, outcome: o.outcome, evidence: o.evidence, message: o.message }));
    expect(notPassing, after.stderr).toEqual([]);
    expect(after.code).toBe(0);
    expect(solved.score).toBe(solved.maxScore);

    // Each realistic wrong solution fails the objectives it names (GRADING.md §2), on the same live data, with
    // the deadlines a student gets: a failure must come from what the check saw, not from a cut-short wait.
    for (const mistake of lab.mistakes ?? []) {
      const applied = await step(lab.number, `mistake ${mistake.id}`, () => runCli(['lab:solve', String(lab.number), '--mistake', mistake.id], testEnv, solveTimeoutMs));
      expect(applied.code, applied.stderr).toBe(0);
      const graded = await step(lab.number, `check, mistake ${mistake.id}`, () => runCli(['check', String(lab.number), '--json'], testEnv));
      const report = JSON.parse(graded.stdout) as CheckReport;
      for (const id of mistake.fails) {
        const result = report.objectives.find((o) => o.id === id);
        expect(result?.outcome, `mistake "${mistake.id}" (${mistake.title}) must fail ${id}: ${JSON.stringify(result?.evidence)}`).toBe('fail');
        expect(result?.evidence?.got, `mistake "${mistake.id}" must fail ${id} on what it saw, not while still waiting`).not.toMatch(/waiting for their first evaluation|collecting (lines|traces) since|in the window so far/);
      }
      expect(graded.code).toBe(1);
    }

    // Fixing the work counts at once: after the mistakes, the reference solution passes again (old series,
    // lines and runs of the wrong work are not held against it).
    if (lab.mistakes?.length) {
      const again = await step(lab.number, 'solution again', () => runCli(['lab:solve', String(lab.number)], testEnv, solveTimeoutMs));
      expect(again.code, again.stderr).toBe(0);
      const fixed = JSON.parse((await step(lab.number, 'check, solved again', () => runCli(['check', String(lab.number), '--json'], testEnv))).stdout) as CheckReport;
      expect(fixed.objectives.filter((o) => o.outcome !== 'pass').map((o) => ({ id: o.id, evidence: o.evidence, message: o.message }))).toEqual([]);
    }
  }, 1_800_000);
});
