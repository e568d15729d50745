/**
 * Which modules a site build includes: what a person types on the command line, and what Docusaurus reads back
 * from O11Y_SITE_MODULES.
 */
import { describe, expect, it } from 'vitest';
import { allModules, resolveModules, selectedModules } from './modules.ts';

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
});
