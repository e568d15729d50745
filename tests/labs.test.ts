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

describe.each(labs)('lab $number ($slug)', (lab) => {
  needsEngines(...labEngines(lab));
  it('fails on a fresh setup and passes after its solution', async () => {
    const reset = await runCli(['lab:reset', String(lab.number), '--yes'], testEnv);
    expect(reset.code, reset.stderr).toBe(0);
    const start = await runCli(['lab:start', String(lab.number)], testEnv);
    expect(start.code, start.stderr).toBe(0);

    // Fresh: the student has done nothing yet. Deadlines shortened: a failure is what we expect here.
    const before = await runCli(['check', String(lab.number), '--json', '--deadline-scale', '0.25'], testEnv);
    expect(before.code, before.stderr).toBe(1);
    const fresh = JSON.parse(before.stdout) as CheckReport;
    expect(fresh.passed).toBe(false);
    expect(fresh.objectives.some((o) => o.outcome === 'fail'), JSON.stringify(fresh.objectives.map((o) => [o.id, o.outcome]))).toBe(true);

    const solve = await runCli(['lab:solve', String(lab.number)], testEnv);
    expect(solve.code, solve.stderr).toBe(0);

    const after = await runCli(['check', String(lab.number), '--json'], testEnv);
    const solved = JSON.parse(after.stdout) as CheckReport;
    const notPassing = solved.objectives.filter((o) => o.outcome !== 'pass').map((o) => ({ id: o.id, outcome: o.outcome, evidence: o.evidence, message: o.message }));
    expect(notPassing, after.stderr).toEqual([]);
    expect(after.code).toBe(0);
    expect(solved.score).toBe(solved.maxScore);

    // Each realistic wrong solution fails the objectives it names (GRADING.md §2), on the same live data.
    for (const mistake of lab.mistakes ?? []) {
      const applied = await runCli(['lab:solve', String(lab.number), '--mistake', mistake.id], testEnv);
      expect(applied.code, applied.stderr).toBe(0);
      const graded = await runCli(['check', String(lab.number), '--json', '--deadline-scale', '0.25'], testEnv);
      const report = JSON.parse(graded.stdout) as CheckReport;
      const outcomes = Object.fromEntries(report.objectives.map((o) => [o.id, o.outcome]));
      for (const id of mistake.fails) expect(outcomes[id], `mistake "${mistake.id}" (${mistake.title}) must fail ${id}`).toBe('fail');
      expect(graded.code).toBe(1);
    }
  }, 900_000);
});
