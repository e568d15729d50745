/**
 * Answer grading with a ground truth that is a plain value (standing in for a live query's result): the right
 * answer passes, a wrong or missing one fails, and the evidence never gives the true value away.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CheckContext } from '../model.ts';
import { answer, readNumber } from './answer.ts';
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
    expect(observation).toEqual({ pass: false, got: 'answer "/checkout"', expected: 'the value the live data gives', settled: true });
    expect(JSON.stringify(observation)).not.toContain('/cart');
  });

  it('reads a service as a person names it: "the inventory", "Inventory service", "inventory-service"', async () => {
    const service = answer('slow_service').equals(truth('inventory'), { as: 'service' });
    for (const given of ['the inventory', 'Inventory service', 'inventory-service', ' INVENTORY ']) expect((await service.observe(workspaceWith(`slow_service: ${given}\n`))).pass, given).toBe(true);
    for (const given of ['shop', 'inventory db', 'the shop service']) expect((await service.observe(workspaceWith(`slow_service: ${given}\n`))).pass, given).toBe(false);
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

describe('answers read as a person would read them', () => {
  const route = answer('noisiest_error_route').equals(truth('/cart'), { as: 'route' });
  const name = answer('warmest_room').equals(truth('Kitchen'));

  it.each(['/cart', 'cart', '/cart/', ' /cart ', '"/cart"', '`/cart`', '/Cart', 'cart/'])('takes the route %j', async (written) => {
    expect((await route.observe(workspaceWith(`noisiest_error_route: '${written.replaceAll("'", "''")}'\n`))).pass).toBe(true);
  });

  it.each(['/carts', '/checkout', 'GET /cart', '/cart/items', '/'])('refuses the route %j', async (written) => {
    expect((await route.observe(workspaceWith(`noisiest_error_route: '${written}'\n`))).pass).toBe(false);
  });

  it.each(['Kitchen', 'kitchen', ' KITCHEN ', "'kitchen'"])('takes the name %j', async (written) => {
    expect((await name.observe(workspaceWith(`warmest_room: "${written.replaceAll('"', '\\"')}"\n`))).pass).toBe(true);
  });

  it('refuses another name, and a name that only contains the right one', async () => {
    expect((await name.observe(workspaceWith('warmest_room: office\n'))).pass).toBe(false);
    expect((await name.observe(workspaceWith('warmest_room: kitchen 2\n'))).pass).toBe(false);
  });

  it.each([['21.5', 21.5], ['21,5', 21.5], ['21.5 °C', 21.5], ['21.5°C', 21.5], ['0.42s', 0.42], ['42 %', 42], [' -3 ', -3]])('reads the number %j as %d', (written, expected) => {
    expect(readNumber(written)).toBe(expected);
  });

  it('reads a sentence or two numbers as no number', () => {
    expect(readNumber('about 21')).toBeNaN();
    expect(readNumber('21.5 or 22')).toBeNaN();
    expect(readNumber('1,234,5')).toBeNaN();
  });

  it('passes a numeric answer written with its unit, within the tolerance', async () => {
    const probe = answer('peak_celsius').near(truth(23.4), { absolute: 0.05 });
    expect((await probe.observe(workspaceWith('peak_celsius: "23.4 °C"\n'))).pass).toBe(true);
    expect((await probe.observe(workspaceWith('peak_celsius: "23,42"\n'))).pass).toBe(true);
    expect((await probe.observe(workspaceWith('peak_celsius: "23.5 °C"\n'))).pass).toBe(false);
  });
});

describe('answers fail at once when waiting cannot help', () => {
  it('settles a missing or wrong answer, but waits while the truth is unknown', async () => {
    const probe = answer('noisiest_error_route').equals(truth('/cart'));
    expect((await probe.observe(workspaceWith(undefined))).settled).toBe(true);
    expect((await probe.observe(workspaceWith('noisiest_error_route: /checkout\n'))).settled).toBe(true);
    expect((await answer('noisiest_error_route').equals(truth(undefined)).observe(workspaceWith('noisiest_error_route: /cart\n'))).settled).toBeFalsy();
  });
});

describe('answer(…).near', () => {
  it('accepts a number within the tolerance and refuses one outside it', async () => {
    const probe = answer('p95').near(truth(0.2), { relative: 0.1 });
    expect((await probe.observe(workspaceWith('p95: 0.21\n'))).pass).toBe(true);
    expect((await probe.observe(workspaceWith('p95: 0.25\n'))).pass).toBe(false);
  });
});
