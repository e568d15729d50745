/**
 * Talking to Docker: is an engine there (`docker info`), and running `docker …` commands with their output
 * captured. The driver gets a `DockerExec` passed in, so its logic is tested without a Docker engine.
 */
import { spawn, spawnSync } from 'node:child_process';
import { StackError } from '../../lib/errors.ts';

export interface ExecResult {
  /** Exit code; 127 when `docker` itself is missing, null when killed by the timeout. */
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface ExecOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  timeoutMs?: number;
}

/** Runs `docker <args>`. */
export type DockerExec = (args: string[], options?: ExecOptions) => Promise<ExecResult>;

/** How long `docker info` may take before we decide no engine answers. */
export const dockerInfoTimeoutMs = 5000;

/**
 * Does a Docker engine answer? `docker info` asks the engine itself, not only the client, so a client without
 * a running engine (or without permission on its socket) answers false. Synchronous: the runtime is chosen
 * before anything else happens, and a test file decides at load time whether to skip.
 */
export function dockerEngineAnswers(env: NodeJS.ProcessEnv = process.env): boolean {
  const result = spawnSync('docker', ['info', '--format', '{{.ServerVersion}}'], { env, timeout: dockerInfoTimeoutMs, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  return result.status === 0 && result.stdout.trim().length > 0;
}

/** The error for "compose was asked for, but there is no Docker engine". */
export function noDockerError(): StackError {
  return new StackError(
    'the compose runtime needs Docker, and no Docker engine answers `docker info`',
    'Start Docker (Docker Desktop, or `sudo systemctl start docker`) and try again — or run the stack without Docker: STACK_RUNTIME=native (or --runtime native) after npm run engines:install.',
  );
}

/** The real `docker` command. */
export const runDocker: DockerExec = (args, options = {}) =>
  new Promise((resolve) => {
    const child = spawn('docker', args, { env: options.env ?? process.env, cwd: options.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = options.timeoutMs ? setTimeout(() => child.kill('SIGTERM'), options.timeoutMs) : undefined;
    child.once('error', (error: NodeJS.ErrnoException) => {
      if (timer) clearTimeout(timer);
      resolve({ code: error.code === 'ENOENT' ? 127 : 1, stdout, stderr: stderr || `docker: ${error.message}` });
    });
    child.once('close', (code) => {
      if (timer) clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
