/**
 * What integration tests share: the test stack's directories and endpoints, and the clients built on them.
 * The test stack has its own state and workspace under .lab/test/, so `npm test` never touches a student's
 * workspace; it does use the same ports, so it cannot run beside a started lab (the port check says so).
 */
import { join } from 'node:path';
import { repoRoot } from '../../lib/paths.ts';

export const testStateDir = join(repoRoot, '.lab', 'test', 'state');
export const testWorkspaceDir = join(repoRoot, '.lab', 'test', 'workspace');

/** The environment every command and runtime in the tests uses. */
export const testEnv: NodeJS.ProcessEnv = {
  ...process.env,
  O11Y_LAB_STATE: testStateDir,
  O11Y_LAB_WORKSPACE: testWorkspaceDir,
  // The tests exercise the native runtime; do not ask Docker.
  STACK_RUNTIME: 'native',
};
