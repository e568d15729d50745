/**
 * The catalogue finds every lab and refuses a broken definition with the file and the field named; a command
 * about one lab loads that lab only. Fixture labs are written to a temporary folder on the fly.
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../lib/paths.ts';
import { services } from '../stack/services.ts';
import { findLab, labFolders, loadLab, loadLabs } from './catalogue.ts';

const api = join(repoRoot, 'labs', 'api.ts');

function fixtureLab(folder: string, body: string, dir = mkdtempSync(join(tmpdir(), 'labs-'))): string {
  mkdirSync(join(dir, folder));
  writeFileSync(
    join(dir, folder, 'lab.ts'),
    `import { defineLab, promql } from ${JSON.stringify(api)};
const noop = async () => {};
export default defineLab({
  number: 4, slug: 'red-recording-rules', module: '02-metrics', title: 'T', summary: 'S',
  services: ['prometheus'], workspace: { yaml: [], reload: [] }, setup: noop, solution: noop,
  objectives: [{ id: 'up', title: 'It is up', points: 1, hint: 'h', check: promql('up').value('> 0') }],
  ${body}
});
`,
  );
  return dir;
}

describe('loadLabs', () => {
  it('finds the labs of the repository, in number order, with their starter files', async () => {
    const labs = await loadLabs({ knownServices: services.map((s) => s.name) });
    expect(labs.map((l) => l.number)).toEqual([...labs.map((l) => l.number)].sort((a, b) => a - b));
    const lab4 = findLab(labs, '4');
    expect(lab4.id).toBe('04-red-recording-rules');
    expect(lab4.starterFiles).toContain('prometheus/rules/red.yml');
    expect(findLab(labs, 'red-recording-rules')).toBe(lab4);
  });

  it('names the file and field of an unknown service', async () => {
    const dir = fixtureLab('04-red-recording-rules', "services: ['prometheus', 'tempoo'],");
    await expect(loadLabs({ dir, knownServices: ['prometheus', 'tempo'] })).rejects.toThrow(/04-red-recording-rules\/lab\.ts: services\[1\]: unknown service "tempoo"/);
  });

  it('refuses a malformed PromQL query as a definition error', async () => {
    const dir = fixtureLab('04-red-recording-rules', "objectives: [{ id: 'up', title: 'It is up', points: 1, hint: 'h', check: promql('sum(rate(x[5m])').value('> 0') }],");
    await expect(loadLabs({ dir })).rejects.toThrow(/objectives\[0\] "up".*PromQL/s);
  });

  it('refuses a number that disagrees with the folder', async () => {
    const dir = fixtureLab('05-red-recording-rules', '');
    await expect(loadLabs({ dir })).rejects.toThrow(/number: is 4 but the folder says 5/);
  });

  it('refuses a mistake that names an objective the lab does not have', async () => {
    const dir = fixtureLab('04-red-recording-rules', "mistakes: [{ id: 'wrong', title: 'does it wrong', fails: ['upp'], apply: noop }],");
    await expect(loadLabs({ dir })).rejects.toThrow(/mistakes\[0\]\.fails: "upp" is not an objective of this lab/);
  });

  it('refuses an objective without a hint', async () => {
    const dir = fixtureLab('04-red-recording-rules', "objectives: [{ id: 'up', title: 'It is up', points: 1, hint: '', check: promql('up').value('> 0') }],");
    await expect(loadLabs({ dir })).rejects.toThrow(/objectives\[0\]\.hint: every objective needs a hint/);
  });
});

describe('labFolders', () => {
  it('reads the labs from the folder names alone, in number order', () => {
    const dir = mkdtempSync(join(tmpdir(), 'labs-'));
    for (const name of ['10-later', '04-red-recording-rules', 'starter', '5-no-pad']) mkdirSync(join(dir, name));
    writeFileSync(join(dir, '07-a-file'), '');
    expect(labFolders(dir)).toEqual([
      { id: '04-red-recording-rules', number: 4, slug: 'red-recording-rules' },
      { id: '10-later', number: 10, slug: 'later' },
    ]);
  });

  it('refuses two folders with one number', () => {
    const dir = mkdtempSync(join(tmpdir(), 'labs-'));
    for (const name of ['04-one', '04-two']) mkdirSync(join(dir, name));
    expect(() => labFolders(dir)).toThrow('labs: number 4 is used by both 04-one and 04-two');
  });

  it('agrees with the loaded catalogue', async () => {
    const labs = await loadLabs();
    expect(labFolders()).toEqual(labs.map(({ id, number, slug }) => ({ id, number, slug })));
  });
});

describe('loadLab', () => {
  // Beside lab 4, a lab whose definition cannot even be loaded: loading lab 4 must not touch it.
  const dir = fixtureLab('04-red-recording-rules', '');
  mkdirSync(join(dir, '05-broken'));
  writeFileSync(join(dir, '05-broken', 'lab.ts'), 'export default {;\n');

  it('finds a lab by number, padded number, slug or folder, loading only that one', async () => {
    for (const key of ['4', '04', 'red-recording-rules', '04-red-recording-rules']) {
      const lab = await loadLab(key, { dir });
      expect(lab).toMatchObject({ number: 4, id: '04-red-recording-rules', dir: join(dir, '04-red-recording-rules') });
    }
    await expect(loadLab('5', { dir })).rejects.toThrow(/05-broken\/lab\.ts: cannot be loaded/);
  });

  it('validates the lab it loads, naming the file and the field', async () => {
    const broken = fixtureLab('04-red-recording-rules', "services: ['prometheus', 'tempoo'],");
    await expect(loadLab('4', { dir: broken, knownServices: ['prometheus'] })).rejects.toThrow(/04-red-recording-rules\/lab\.ts: services\[1\]: unknown service "tempoo"/);
  });

  it('lists the labs that exist when the key names none', async () => {
    await expect(loadLab('99', { dir })).rejects.toThrow(expect.objectContaining({ message: 'no lab "99"', exitCode: 2, fix: expect.stringContaining('Labs: 4 red-recording-rules, 5 broken') }));
  });

  it('loads the repository\'s labs as the catalogue does', async () => {
    const lab = await loadLab('red-recording-rules', { knownServices: services.map((s) => s.name) });
    const inCatalogue = findLab(await loadLabs(), '4');
    expect(lab.id).toBe(inCatalogue.id);
    expect(lab.starterFiles).toEqual(inCatalogue.starterFiles);
    expect(lab.objectives.map((o) => o.id)).toEqual(inCatalogue.objectives.map((o) => o.id));
  });
});

describe('findLab', () => {
  it('lists the labs when the key matches none', async () => {
    const labs = await loadLabs();
    expect(() => findLab(labs, '99')).toThrow('no lab "99"');
  });
});

describe('lab 8 starter', () => {
  it("ships lab 7's reference shipper, unchanged, for a student who starts lab 8 first (the log shipper runs that file)", () => {
    const read = (path: string) => readFileSync(new URL(path, import.meta.url), 'utf8');
    expect(read('./08-logql-metrics/starter/otelcol/log-shipper.yaml')).toBe(read('./07-ship-structured-logs/reference-log-shipper.yaml'));
  });
});

describe('tools', () => {
  // A check gets only the tools its lab declares (lifecycle/grade.ts), and with Docker lab:start installs only
  // those: a lab whose objectives run one must say so. The builders that run each tool, by the calls in lab.ts.
  const runsTool: Record<string, RegExp> = {
    promtool: /\.(promtoolAccepts|promtoolTestsPass|passesScenarios)\(/,
    amtool: /\balertmanagerConfig\(/,
    k6: /\bk6Script\(/,
  };
  it('every lab declares the tools its checks run', async () => {
    const labs = await loadLabs({ knownServices: services.map((s) => s.name) });
    for (const lab of labs) {
      const source = readFileSync(join(repoRoot, 'labs', lab.id, 'lab.ts'), 'utf8');
      for (const [tool, call] of Object.entries(runsTool)) {
        if (call.test(source)) expect(lab.tools ?? [], `${lab.id} runs ${tool} in a check`).toContain(tool);
      }
    }
    expect(labs.filter((l) => l.tools?.length).length).toBeGreaterThanOrEqual(6);
  });
});
