/**
 * lab:start's plan, read without starting anything: which engines get installed, which starter files copied,
 * which services started, and whether the load starts or the previous lab's stops.
 */
import { describe, expect, it } from 'vitest';
import { findLab } from '../labs/catalogue.ts';
import { catalogue } from './labs.ts';
import { planStart } from './start.ts';

const labs = await catalogue();
const lab = (n: number) => findLab(labs, String(n));
const nothingInstalled = { installed: () => false, missingStarterFiles: [] };

describe('planStart', () => {
  it('installs only the native engines the lab needs that are missing', () => {
    const plan = planStart(lab(4), 'native', { ...nothingInstalled, installed: (name) => name !== 'k6' });
    expect(plan.install).toEqual(['k6']);
    expect(planStart(lab(4), 'native', nothingInstalled).install).toEqual(expect.arrayContaining(['prometheus', 'k6']));
    expect(planStart(lab(4), 'native', nothingInstalled).install).not.toContain('loki');
  });

  it("installs with Docker Compose only what runs on this machine: k6 for the load and the checks' tools", () => {
    // Lab 4: k6 for its shoppers, Prometheus's release for promtool; the engines themselves are images.
    expect(planStart(lab(4), 'compose', nothingInstalled).install.sort()).toEqual(['k6', 'prometheus']);
    // Lab 14: no load, amtool from Alertmanager's release; Alertmanager itself and the sink run in containers.
    expect(planStart(lab(14), 'compose', nothingInstalled).install).toEqual(['alertmanager']);
    expect(planStart(lab(4), 'compose', { ...nothingInstalled, installed: () => true }).install).toEqual([]);
  });

  it('starts Prometheus for a lab with load (k6 remote-writes there) and the lab load', () => {
    const plan = planStart(lab(4), 'native', nothingInstalled);
    expect(plan.services).toEqual(expect.arrayContaining(['prometheus', 'shop']));
    expect(plan.load).toEqual({ script: 'shop.ts', rate: 5 });
  });

  it("stops other labs' own services (a lab 20 log shipper would ship the shop's lines twice in lab 21), never its own", () => {
    expect(planStart(lab(21), 'native', nothingInstalled).stop).toEqual(expect.arrayContaining(['log-shipper', 'usage-job', 'alert-sink']));
    expect(planStart(lab(21), 'native', nothingInstalled).stop).not.toContain('gateway');
    expect(planStart(lab(20), 'native', nothingInstalled).stop).toEqual(expect.arrayContaining(['gateway']));
    expect(planStart(lab(20), 'native', nothingInstalled).stop).not.toContain('log-shipper');
    // Only lab-only services: the engines and demo apps a later lab may share stay up.
    expect(planStart(lab(17), 'native', nothingInstalled).stop).not.toContain('shop');
  });

  it("stops the previous lab's load when the lab has none", () => {
    const withoutLoad = labs.find((l) => !l.load)!;
    expect(planStart(withoutLoad, 'native', nothingInstalled).load).toBe('stop');
  });

  it('copies only the starter files that are missing, and resumes the same lab', () => {
    const plan = planStart(lab(4), 'native', { ...nothingInstalled, missingStarterFiles: ['prometheus/rules/red.yml'], startedLab: lab(4).id });
    expect(plan.starterFiles).toEqual(['prometheus/rules/red.yml']);
    expect(plan.resumes).toBe(true);
    expect(planStart(lab(4), 'native', { ...nothingInstalled, startedLab: lab(5).id }).resumes).toBe(false);
  });
});
