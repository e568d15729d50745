/**
 * Front matter the docs take from the definitions, merged over what the file says: a lab page
 * (docs/02-metrics/04-red-recording-rules.mdx) gets its title, sidebar label and description from the lab, a
 * module landing page (docs/02-metrics/index.md) from the curriculum. A lab page without a lab definition, or
 * in the wrong module folder, stops the build with the file's name.
 *
 * Docusaurus's previous/next links stay inside one sidebar, and every module has its own: so the first page of a
 * module links back to the previous built module's last page and its last page on to the next module's landing
 * page, and the course reads from start to end.
 */
import { join, relative, sep } from 'node:path';
import { repoRoot } from './load.ts';
import type { SiteData } from '../../../course/types.ts';

const docsDir = join(repoRoot, 'docs');
const labPage = /^(\d{2}-[a-z0-9-]+)\/(\d{2})-([a-z0-9-]+)\.mdx?$/;
const modulePage = /^(\d{2}-[a-z0-9-]+)\/index\.mdx?$/;

/** The module's pages in reading order, as doc ids (number prefixes stripped, as Docusaurus does). */
function modulePages(data: SiteData, moduleId: string): string[] {
  const module = data.modules.find((m) => m.id === moduleId)!;
  const slug = module.slug;
  const labs = data.labs.filter((l) => l.module === moduleId && l.path).sort((a, b) => a.number - b.number);
  return [`${slug}/index`, ...labs.map((l) => `${slug}/${l.slug}`)];
}

/** pagination_prev on a module's first page and pagination_next on its last, across to the neighbouring built modules. */
function acrossModules(data: SiteData, moduleId: string, docId: string, built: string[]): Record<string, string> {
  const order = data.modules.map((m) => m.id).filter((id) => built.includes(id));
  const at = order.indexOf(moduleId);
  const pages = modulePages(data, moduleId);
  const links: Record<string, string> = {};
  const before = order[at - 1];
  const after = order[at + 1];
  if (before && docId === pages[0]) links.pagination_prev = modulePages(data, before).at(-1)!;
  if (after && docId === pages.at(-1)) links.pagination_next = `${moduleSlugOf(data, after)}/index`;
  return links;
}

const moduleSlugOf = (data: SiteData, id: string) => data.modules.find((m) => m.id === id)!.slug;

export function frontMatterFor(filePath: string, data: SiteData, built: string[] = data.modules.map((m) => m.id)): Record<string, unknown> {
  const path = relative(docsDir, filePath).split(sep).join('/');
  const lab = labPage.exec(path);
  if (lab) {
    const [, module, number, slug] = lab as unknown as [string, string, string, string];
    const facts = data.labs.find((l) => l.number === Number(number));
    if (!facts) throw new Error(`docs/${path}: there is no lab ${Number(number)} in labs/ — a lab page needs its definition (labs/${number}-${slug}/lab.ts)`);
    if (facts.slug !== slug || facts.module !== module) throw new Error(`docs/${path}: lab ${facts.number} is ${facts.module}/${facts.slug}; name the page docs/${facts.module}/${facts.id}.mdx`);
    const across = acrossModules(data, module, `${moduleSlugOf(data, module)}/${slug}`, built);
    return { title: `Lab ${facts.number}: ${facts.title}`, sidebar_label: `Lab ${facts.number} · ${facts.title}`, description: facts.summary, ...across };
  }
  const landing = modulePage.exec(path);
  if (landing) {
    const module = data.modules.find((m) => m.id === landing[1]);
    if (!module) throw new Error(`docs/${path}: "${landing[1]}" is not a module of the curriculum (labs/curriculum.ts)`);
    // The landing page is named after its module in the sidebar and the breadcrumb, not "Overview" everywhere.
    const across = acrossModules(data, module.id, `${module.slug}/index`, built);
    return { title: `${module.id.slice(0, 2)} · ${module.title}`, sidebar_label: module.title, sidebar_position: 0, description: module.teaches, ...across };
  }
  return {};
}
