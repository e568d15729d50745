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

/**
 * Is this `docker compose version --short` Compose v2 or later? v1 was the Python `docker-compose`; the Go plugin
 * went from v2 straight to v5 (v5.x is current), and every major from 2 on reads compose.yaml the same way.
 * Accepts "2.40.3", "v2.40.3", "2.29.7-desktop.1", "5.6.0".
 */
export function composeVersionSupported(short: string): boolean {
  const major = Number(/^v?(\d+)\.\d+/.exec(short.trim())?.[1]);
  return Number.isInteger(major) && major >= 2;
}

/**
 * The mount propagation for node_exporter's view of the host root (compose.yaml reads it from
 * O11Y_LAB_HOST_ROOT_PROPAGATION, see overrides.ts). Docker Desktop (macOS, Windows, and Desktop on Linux) runs its
 * engine in a Linux VM, and refuses `rslave` on / there ("path / is mounted on / but it is not a shared or slave
 * mount", prometheus/node_exporter#2742): rprivate, Docker's own default, mounts the VM's root, which is what
 * node_exporter then measures. Docker Desktop names itself in `docker version` ("Server: Docker Desktop 4.26.0",
 * the server's Platform.Name). A value the person set in the environment wins.
 */
export async function hostRootPropagation(exec: DockerExec, env: NodeJS.ProcessEnv, variable: string): Promise<string> {
  if (env[variable]) return env[variable]!;
  const version = await exec(['version', '--format', '{{.Server.Platform.Name}}'], { env, timeoutMs: 10_000 });
  return version.code === 0 && /docker desktop/i.test(version.stdout) ? 'rprivate' : 'rslave';
}
