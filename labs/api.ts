/**
 * The public API for lab definitions: `defineLab` and the objective builders. A lab.ts imports from here
 * and nothing else, so a lab reads on its own.
 */
export { defineLab, type LabContext, type LabDefinition, type Mistake } from './model.ts';
export * from '../checks/index.ts';
export { eventually } from '../lib/poll.ts';
export { slip } from './slip.ts';
