/**
 * What the course site is built from: every lab has its page, every module its landing page, the exported
 * facts agree with the definitions they come from, and nothing a student should not see before grading (a
 * check's query, a hint) leaves the grader.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadLabs } from '../labs/catalogue.ts';
import { repoRoot } from '../lib/paths.ts';
import { loadVersions } from '../stack/versions.ts';
import { curriculum } from '../src/plugins/course-data/curriculum.ts';
import { frontMatterFor } from '../src/plugins/course-data/front-matter.ts';
import { allModules, resolveModules, selectedModules } from '../src/plugins/course-data/selection.ts';
import { commands } from './commands/index.ts';
import { checkAgainstCurriculum, collectSiteData } from './site-data.ts';
import { chooseModules } from './site.ts';

const data = await collectSiteData();
const labs = await loadLabs();

describe('the curriculum', () => {
  it('has twelve modules of two labs, numbered 1 to 24 in order', () => {
    expect(curriculum).toHaveLength(12);
    expect(curriculum.flatMap((m) => m.labs.map((l) => l.number))).toEqual(Array.from({ length: 24 }, (_, i) => i + 1));
    expect(curriculum.map((m) => Number(m.id.slice(0, 2)))).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
  });

  it('refuses a lab whose number, slug or module differs from the plan, naming its file', () => {
    const lab = { number: 4, slug: 'red-recording-rules', module: '02-metrics', id: '04-red-recording-rules' };
    expect(() => checkAgainstCurriculum([lab], curriculum)).not.toThrow();
    expect(() => checkAgainstCurriculum([{ ...lab, slug: 'red-rules' }], curriculum)).toThrow('labs/04-red-recording-rules/lab.ts: slug "red-rules" but the curriculum plans "red-recording-rules" as lab 4');
    expect(() => checkAgainstCurriculum([{ ...lab, module: '03-load-testing' }], curriculum)).toThrow(/module "03-load-testing" but the curriculum puts lab 4 in "02-metrics"/);
    expect(() => checkAgainstCurriculum([{ ...lab, number: 99 }], curriculum)).toThrow(/lab 99 is not in the curriculum/);
  });
});

describe('the docs', () => {
  it.each(curriculum.map((m) => m.id))('%s has a landing page listing its labs from the catalogue', (id) => {
    const page = join(repoRoot, 'docs', id, 'index.md');
    expect(existsSync(page), page).toBe(true);
    expect(readFileSync(page, 'utf8')).toContain(`<ModuleLabs module="${id}" />`);
  });

  it.each(labs.map((l) => [l.id, l] as const))('lab %s has its page, with its facts and the Check my work widget', (_id, lab) => {
    const page = join(repoRoot, 'docs', lab.module, `${lab.id}.mdx`);
    const fix = `write docs/${lab.module}/${lab.id}.mdx: the lesson, with <LabFacts lab={${lab.number}} /> and <LabCheck lab={${lab.number}} /> (docs/02-metrics/04-red-recording-rules.mdx is an example)`;
    expect(existsSync(page), fix).toBe(true);
    const text = readFileSync(page, 'utf8');
    expect(text).toContain(`<LabFacts lab={${lab.number}} />`);
    expect(text).toContain(`<LabCheck lab={${lab.number}} />`);
    // The title comes from the definition (through frontMatterFor), never from the page.
    expect(text).not.toMatch(/^title:/m);
    expect(frontMatterFor(page, data)).toMatchObject({ title: `Lab ${lab.number}: ${lab.title}`, description: lab.summary });
  });

  it('refuses a lab page whose lab has no definition', () => {
    expect(() => frontMatterFor(join(repoRoot, 'docs', '01-fundamentals', '01-stack-tour.mdx'), data)).toThrow(/there is no lab 1 in labs\//);
  });
});

describe('the exported site data', () => {
  it('lists every lab with its objectives’ ids, titles and points', () => {
    expect(data.labs.map((l) => l.number)).toEqual(labs.map((l) => l.number));
    for (const lab of labs) {
      const facts = data.labs.find((l) => l.number === lab.number)!;
      expect(facts.objectives).toEqual(lab.objectives.map(({ id, title, points }) => ({ id, title, points })));
      expect(facts.maxScore).toBe(lab.objectives.reduce((sum, o) => sum + o.points, 0));
      expect(facts.commands).toMatchObject({ start: `npm run lab:start ${lab.number}`, check: 'npm run check' });
      if (facts.path) expect(facts.path).toBe(`/docs/${lab.module.replace(/^\d+-/, '')}/${lab.slug}`);
    }
  });

  it('never carries a query sent to an engine, nor a hint', () => {
    const json = JSON.stringify(data);
    const inJson = (text: string) => json.includes(JSON.stringify(text).slice(1, -1));
    for (const objective of labs.flatMap((l) => l.objectives)) {
      // A file check's "query" is the path of the file to edit, which the page does show.
      if (!['workspace', 'answer'].includes(objective.check.source)) expect(inJson(objective.check.query), `${objective.id}: query`).toBe(false);
      expect(inJson(objective.hint), `${objective.id}: hint`).toBe(false);
    }
  });

  it('marks the planned labs of each module as coming soon and the others as available', () => {
    const metrics = data.modules.find((m) => m.id === '02-metrics')!;
    for (const lab of metrics.labs) expect(lab.status).toBe(labs.some((l) => l.number === lab.number) ? 'available' : 'coming-soon');
  });

  it('has every port of stack/versions.yaml once, the site and the lab agent included', () => {
    const pinned = [...loadVersions().values()].flatMap((e) => Object.values(e.ports)).sort((a, b) => a - b);
    expect(data.ports.map((p) => p.port)).toEqual(pinned);
    expect(data.agent.url).toBe(`http://127.0.0.1:${loadVersions().get('lab-agent')!.ports.http}`);
    expect(data.site.url).toBe(`http://127.0.0.1:${loadVersions().get('course-site')!.ports.http}`);
    expect(data.site.port).not.toBe(loadVersions().get('grafana')!.ports.http);
  });

  it('has the command table as the CLI runs it', () => {
    expect(data.commands).toEqual(commands.map(({ name, usage, summary }) => ({ name, usage, summary })));
    expect(data.commands.map((c) => c.name)).toEqual(expect.arrayContaining(['lab:agent', 'site:build', 'site:start']));
  });
});

describe('module selection', () => {
  it('understands a number, a folder, a name and a list', () => {
    expect(resolveModules(['02'])).toEqual(['02-metrics']);
    expect(resolveModules(['2', 'logs'])).toEqual(['02-metrics', '04-logs']);
    expect(resolveModules(['04-logs,02-metrics'])).toEqual(['02-metrics', '04-logs']);
    expect(() => resolveModules(['99'])).toThrow(/no module "99" \(modules: 01-fundamentals, 02-metrics/);
  });

  it('is every module when O11Y_SITE_MODULES is unset or empty', () => {
    expect(selectedModules({})).toEqual(allModules);
    expect(selectedModules({ O11Y_SITE_MODULES: '' })).toEqual(allModules);
    expect(selectedModules({ O11Y_SITE_MODULES: '02-metrics' })).toEqual(['02-metrics']);
  });

  it('reads repeated --module flags and refuses anything else as a usage error', () => {
    expect(chooseModules([])).toEqual(allModules);
    expect(chooseModules(['--module', '02', '--module=04'])).toEqual(['02-metrics', '04-logs']);
    expect(() => chooseModules(['--module'])).toThrow('--module needs a module');
    expect(() => chooseModules(['--modules', '02'])).toThrow('unknown argument "--modules"');
    expect(() => chooseModules(['--module', 'nope'])).toThrow(/no module "nope"/);
  });
});
