/** Runs an install tool (go, apt-get, the collector builder), collecting its output for the error it may become. */
import { spawn } from 'node:child_process';
import { StackError } from '../../lib/errors.ts';

export function run(command: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.once('error', (error) =>
      reject(new StackError(`could not run ${command}: ${error.message}`, command === 'go' ? 'Install Go 1.26 or newer (https://go.dev/dl/) and try again.' : `Install ${command} and try again.`)),
    );
    child.once('close', (code) => {
      if (code === 0) resolve(output);
      else reject(new StackError(`${command} ${args.slice(0, 3).join(' ')} failed (exit ${code}) in ${options.cwd ?? process.cwd()}`, 'Read the lines above; npm run engines:install retries only what is missing.', output.trimEnd().split('\n').slice(-15)));
    });
  });
}
