/**
 * Front matter the docs take from the definitions, merged over what the file says: a lab page
 * (docs/02-metrics/04-red-recording-rules.mdx) gets its title, sidebar label and description from the lab, a
 * module landing page (docs/02-metrics/index.md) from the curriculum. A lab page without a lab definition, or
 * in the wrong module folder, stops the build with the file's name.
 */
import { join, relative, sep } from 'node:path';
import { repoRoot } from './load.ts';
import type { SiteData } from '../../../course/types.ts';

const docsDir = join(repoRoot, 'docs');
const labPage = /^(\d{2}-[a-z0-9-]+)\/(\d{2})-([a-z0-9-]+)\.mdx?$/;
const modulePage = /^(\d{2}-[a-z0-9-]+)\/index\.mdx?$/;

export function frontMatterFor(filePath: string, data: SiteData): Record<string, unknown> {
  const path = relative(docsDir, filePath).split(sep).join('/');
  const lab = labPage.exec(path);
  if (lab) {
    const [, module, number, slug] = lab as unknown as [string, string, string, string];
    const facts = data.labs.find((l) => l.number === Number(number));
    if (!facts) throw new Error(`docs/${path}: there is no lab ${Number(number)} in labs/ — a lab page needs its definition (labs/${number}-${slug}/lab.ts)`);
    if (facts.slug !== slug || facts.module !== module) throw new Error(`docs/${path}: lab ${facts.number} is ${facts.module}/${facts.slug}; name the page docs/${facts.module}/${facts.id}.mdx`);
    return { title: `Lab ${facts.number}: ${facts.title}`, sidebar_label: `Lab ${facts.number} · ${facts.title}`, description: facts.summary };
  }
  const landing = modulePage.exec(path);
  if (landing) {
    const module = data.modules.find((m) => m.id === landing[1]);
    if (!module) throw new Error(`docs/${path}: "${landing[1]}" is not a module of the curriculum (labs/curriculum.ts)`);
    return { title: `${module.id.slice(0, 2)} · ${module.title}`, sidebar_label: 'Overview', sidebar_position: 0, description: module.teaches };
  }
  return {};
}
