/**
 * Re-checking one objective grades it with every objective it needs (transitively), in the lab's order, and
 * names the lab's objectives when the id is not one of them.
 */
import { describe, expect, it } from 'vitest';
import { UsageError } from '../lib/errors.ts';
import { withNeeds } from './grade.ts';
import { catalogue } from './labs.ts';

const labs = await catalogue();

describe('withNeeds', () => {
  it('is the objective alone when it needs nothing', () => {
    for (const lab of labs) {
      for (const objective of lab.objectives.filter((o) => !o.needs?.length)) expect(withNeeds(lab, objective.id)).toEqual([objective]);
    }
  });

  it('brings every objective an objective needs, and theirs, in the lab’s order', () => {
    const lab = labs.find((l) => l.objectives.some((o) => o.needs?.some((need) => l.objectives.find((n) => n.id === need)?.needs?.length)));
    const target = lab?.objectives.find((o) => o.needs?.some((need) => lab.objectives.find((n) => n.id === need)?.needs?.length));
    if (!lab || !target) throw new Error('no lab has an objective that needs one with needs of its own');
    const ids = withNeeds(lab, target.id).map((o) => o.id);
    for (const need of target.needs ?? []) expect(ids).toContain(need);
    expect(ids.at(-1) === target.id || ids.indexOf(target.id) > ids.indexOf(target.needs![0]!)).toBe(true);
    expect(ids).toEqual(lab.objectives.map((o) => o.id).filter((id) => ids.includes(id)));
    expect(ids.length).toBeGreaterThan(2);
  });

  it('refuses an id the lab does not have, naming the ones it has', () => {
    const lab = labs[0]!;
    expect(() => withNeeds(lab, 'no-such-objective')).toThrow(UsageError);
    expect(() => withNeeds(lab, 'no-such-objective')).toThrow(/no objective "no-such-objective"/);
  });
});
