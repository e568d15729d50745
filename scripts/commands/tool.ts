/**
 * `npm run tool -- <promtool|amtool|k6> <args…>`: runs one of the command-line tools the labs use from the engine
 * cache, where lab:start installs them, so a student needs nothing on the PATH. It runs where the student typed
 * the command (INIT_CWD), so relative paths mean what they look like, and exits with the tool's own exit code.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { toolEngine, type Tool } from '../../labs/model.ts';
import { UsageError } from '../../lib/errors.ts';
import { binaryPath } from '../../stack/binaries.ts';
import { engineVersion } from '../../stack/versions.ts';

const tools = Object.keys(toolEngine) as Tool[];

export async function toolCommand(argv: string[]): Promise<number> {
  const args = argv[0] === '--' ? argv.slice(1) : argv;
  const [name, ...rest] = args;
  if (!name || !tools.includes(name as Tool)) throw new UsageError(name ? `no tool "${name}"` : 'tool needs the name of a tool', `Tools: ${tools.join(', ')}. Example: npm run tool -- promtool check rules workspace/prometheus/rules/red.yml`);
  const engine = toolEngine[name as Tool];
  const binary = binaryPath(engineVersion(engine), name);
  if (!existsSync(binary)) throw new UsageError(`${name} is not installed (${binary})`, `npm run engines:install -- ${engine} installs it (lab:start does too, for a lab that uses it).`);
  const child = spawn(binary, rest, { cwd: process.env.INIT_CWD ?? process.cwd(), stdio: 'inherit' });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}
