/**
 * The course plan fixes the lab numbers: `npm run lab:start 7` means the same lab in every copy of the kit.
 */
import { describe, expect, it } from 'vitest';
import { curriculum } from './curriculum.ts';

describe('the curriculum', () => {
  it('has twelve modules of two labs, numbered 1 to 24 in order', () => {
    expect(curriculum).toHaveLength(12);
    expect(curriculum.flatMap((m) => m.labs.map((l) => l.number))).toEqual(Array.from({ length: 24 }, (_, i) => i + 1));
    expect(curriculum.map((m) => Number(m.id.slice(0, 2)))).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
  });
});
