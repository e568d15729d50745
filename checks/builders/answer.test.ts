/**
 * Answer grading with a ground truth that is a plain value (standing in for a live query's result): the right
 * answer passes, a wrong or missing one fails, and the evidence never gives the true value away.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CheckContext } from '../model.ts';
import { answer } from './answer.ts';
import type { Truth } from './truth.ts';

const truth = (value: string | number | undefined): Truth => ({ source: 'loki', query: 'topk(1, …)', validate: () => undefined, resolve: async () => value });

function workspaceWith(answers: string | undefined): CheckContext {
  const workspace = mkdtempSync(join(tmpdir(), 'answers-'));
  if (answers !== undefined) {
    mkdirSync(join(workspace, 'answers'));
    writeFileSync(join(workspace, 'answers', '07-lab.yaml'), answers);
  }
  return { endpoints: {}, workspace, answersFile: 'answers/07-lab.yaml' };
}

describe('answer(…).equals', () => {
  const probe = answer('noisiest_error_route').equals(truth('/cart'));

  it('passes the right answer', async () => {
    expect((await probe.observe(workspaceWith('noisiest_error_route: " /cart "\n'))).pass).toBe(true);
  });

  it('fails a wrong answer without showing the true one', async () => {
    const observation = await probe.observe(workspaceWith('noisiest_error_route: /checkout\n'));
    expect(observation).toEqual({ pass: false, got: 'answer "/checkout"', expected: 'the value the live data gives' });
    expect(JSON.stringify(observation)).not.toContain('/cart');
  });

  it('fails an empty answer and a missing file, saying which', async () => {
    expect((await probe.observe(workspaceWith('noisiest_error_route: ""\n'))).got).toBe('no answer for "noisiest_error_route" yet');
    expect((await probe.observe(workspaceWith(undefined))).got).toBe('no answer file (workspace/answers/07-lab.yaml)');
  });

  it('fails while the live data gives no ground truth', async () => {
    const observation = await answer('noisiest_error_route').equals(truth(undefined)).observe(workspaceWith('noisiest_error_route: /cart\n'));
    expect(observation.pass).toBe(false);
    expect(observation.expected).toMatch(/does not give one yet/);
  });
});

describe('answer(…).near', () => {
  it('accepts a number within the tolerance and refuses one outside it', async () => {
    const probe = answer('p95').near(truth(0.2), { relative: 0.1 });
    expect((await probe.observe(workspaceWith('p95: 0.21\n'))).pass).toBe(true);
    expect((await probe.observe(workspaceWith('p95: 0.25\n'))).pass).toBe(false);
  });
});
