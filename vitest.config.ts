/**
 * Tests, sorted by cost (CONVENTIONS.md §9):
 *   unit        — `*.test.ts` beside the code: pure logic, real inputs, no engines.
 *   integration — `tests/**` and `*.integration.test.ts`: talk to the real engines of the native stack, which
 *                 tests/global-setup.ts starts once per run (and stops again if it started it).
 *   docker      — `*.docker.test.ts`: need a Docker engine; they skip, with that reason, where none answers.
 */
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['{lib,stack,checks,labs,lifecycle,scripts,k6,agent,course,src}/**/*.test.ts'],
          exclude: ['**/*.integration.test.ts', '**/*.docker.test.ts', '**/node_modules/**'],
        },
      },
      {
        test: {
          name: 'integration',
          include: ['tests/**/*.test.ts', '**/*.integration.test.ts'],
          exclude: ['**/node_modules/**'],
          globalSetup: ['tests/global-setup.ts'],
          // Telemetry arrives late (scrape interval, ingester flush): tests poll, within these bounds.
          testTimeout: 120_000,
          hookTimeout: 600_000,
          // One native stack, shared: test files run one after another.
          fileParallelism: false,
        },
      },
      {
        test: {
          name: 'docker',
          include: ['**/*.docker.test.ts'],
          exclude: ['**/node_modules/**'],
          testTimeout: 600_000,
        },
      },
    ],
  },
});
