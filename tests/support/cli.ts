/** Runs the kit's CLI as a user would (through the launcher the npm scripts call), returning its exit code and output. */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from '../../lib/paths.ts';

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * `timeoutMs` bounds a command that hangs; a command killed at it ends with code null and says so on stderr, so a
 * failed assertion names the cut rather than a bare null. Give longer work (a lab's solution that waits for five
 * minutes of data) a longer bound.
 */
export function runCli(args: string[], env: NodeJS.ProcessEnv, timeoutMs = 300_000): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(repoRoot, 'scripts', 'run.mjs'), ...args], { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    let killed = false;
    const timer = setTimeout(() => {
      killed = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(timer);
      if (killed) stderr += `\n[runCli] killed after ${Math.round(timeoutMs / 1000)} s: ${args.join(' ')} had not ended`;
      resolve({ code, stdout, stderr });
    });
  });
}
