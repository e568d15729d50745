/**
 * Lab 12's draws and definition, with no engine: every draw gives one inventory route a tail that only it
 * reaches past the truth's threshold and the other a steady delay below it (so p95 and p50 name different
 * routes), and a /checkout error rate far enough from the whole shop's that the tolerance tells them apart.
 */
import { describe, expect, it } from 'vitest';
import lab from './lab.ts';
import { drawShape, inventoryRoutes, steady, tail, tailThresholdMs } from './setup.ts';

describe.each(Array.from({ length: 25 }, (_, i) => i))('draw %i', () => {
  const { inventory, shop } = drawShape();

  it('gives one inventory route the tail and the other the steady delay, either side of the threshold', () => {
    const tailRoutes = inventoryRoutes.filter((r) => inventory[r]?.latencyShare === tail.latencyShare);
    expect(tailRoutes).toHaveLength(1);
    expect(inventory[inventoryRoutes.find((r) => r !== tailRoutes[0])!]).toEqual(steady);
    expect(tail.latencyMs).toBeGreaterThan(tailThresholdMs);
    expect(steady.latencyMs + 50).toBeLessThan(tailThresholdMs);
    // The tail is more than 5 % of the route's calls: its p95 lies in the tail.
    expect(tail.latencyShare).toBeGreaterThan(0.05);
  });

  it("draws a /checkout error rate whose whole-shop share (1 of 3.5 requests per shopper) is more than the 5-point tolerance away", () => {
    const rate = shop['/checkout']!.errorRate!;
    expect(rate).toBeGreaterThanOrEqual(0.2);
    expect(rate).toBeLessThanOrEqual(0.45);
    expect(100 * rate - (100 * rate) / 3.5).toBeGreaterThan(2 * 5);
  });
});

describe('lab 12', () => {
  it('names an existing objective in every mistake, and has at least three', () => {
    const ids = new Set(lab.objectives.map((o) => o.id));
    expect(lab.mistakes!.length).toBeGreaterThanOrEqual(3);
    for (const mistake of lab.mistakes!) for (const id of mistake.fails) expect(ids.has(id), `${mistake.id}: ${id}`).toBe(true);
  });

  it('validates every query with the real grammars', () => {
    for (const objective of lab.objectives) expect(() => objective.check.validate(), objective.id).not.toThrow();
  });
});
