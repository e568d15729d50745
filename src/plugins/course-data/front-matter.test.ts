/**
 * The docs the site is built from: every module has its landing page, every lab its page, and a page's title
 * and description come from the definitions (through frontMatterFor), never from the page. The facts are read
 * the way the site reads them: course/site-data.ts, run in its own process.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { frontMatterFor } from './front-matter.ts';
import { loadSiteData, repoRoot } from './load.ts';

const data = loadSiteData();

describe('the docs', () => {
  it.each(data.modules.map((m) => m.id))('%s has a landing page listing its labs from the catalogue', (id) => {
    const page = join(repoRoot, 'docs', id, 'index.md');
    expect(existsSync(page), page).toBe(true);
    expect(readFileSync(page, 'utf8')).toContain(`<ModuleLabs module="${id}" />`);
  });

  it.each(data.labs.map((l) => [l.id, l] as const))('lab %s has its page, with its facts and the Check my work widget', (_id, lab) => {
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

  it('names a landing page after its module and links across module boundaries, to built modules only', () => {
    const landing = (id: string) => join(repoRoot, 'docs', id, 'index.md');
    const metrics = frontMatterFor(landing('02-metrics'), data);
    expect(metrics).toMatchObject({ sidebar_label: data.modules.find((m) => m.id === '02-metrics')!.title, pagination_prev: 'fundamentals/index' });
    // Lab 4 is the last page of 02-metrics: it leads on to 03's landing page; lab 3, in the middle, does not.
    expect(frontMatterFor(join(repoRoot, 'docs', '02-metrics', '04-red-recording-rules.mdx'), data)).toMatchObject({ pagination_next: 'load-testing/index' });
    expect(frontMatterFor(join(repoRoot, 'docs', '02-metrics', '03-scrape-and-query.mdx'), data)).not.toHaveProperty('pagination_next');
    // A module without labs leads on from its landing page; a one-module build has no neighbours to link to.
    expect(frontMatterFor(landing('08-dashboards'), data)).toMatchObject({ pagination_next: 'influxdb/index' });
    expect(frontMatterFor(landing('02-metrics'), data, ['02-metrics'])).not.toHaveProperty('pagination_prev');
  });

  it('refuses a lab page whose lab has no definition', () => {
    expect(() => frontMatterFor(join(repoRoot, 'docs', '01-fundamentals', '01-stack-tour.mdx'), data)).toThrow(/there is no lab 1 in labs\//);
  });
});
