/**
 * The public API for lab definitions: `defineLab` and the objective builders. A lab.ts imports from here
 * and nothing else, so a lab reads on its own.
 */
import { join } from 'node:path';
import { labsDir } from './catalogue.ts';

export { defineLab, type LabContext, type LabDefinition, type Mistake } from './model.ts';
export * from '../checks/index.ts';
export { eventually } from '../lib/poll.ts';
export { slip } from './slip.ts';
export { scrapeShopUnlessScraped } from './shop-scrape.ts';
export { silenceOnly } from './silences.ts';

/**
 * A file that ships beside a lab's definition, labs/<folder>/<name>, found from the checkout root — never from
 * the lab module's own import.meta.url: the kit runs a compiled copy of its modules (scripts/compiled.mjs).
 */
export function labFile(folder: string, name: string): string {
  return join(labsDir, folder, name);
}
