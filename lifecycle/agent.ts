/**
 * The lab agent: what lets the course site's "Check my work" button grade a lab. `npm run lab:start` starts it in
 * the background (pid in .lab/run/agent.pid, log in .lab/logs/agent.log) and `npm run lab:stop` stops it;
 * `npm run lab:agent` runs it in the foreground. It serves the API of agent/server.ts on 127.0.0.1 and
 * grades with the same gradeLab() as `npm run check`, so the page shows exactly the report the terminal would.
 *
 * It lives as long as the lab's stack: when no service of the stack has been ready for a minute (the stack was
 * stopped some other way than lab:stop), it exits by itself rather than linger.
 */
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { toJson } from '../checks/reporters/json.ts';
import { foldProgress, type CheckProgress } from '../checks/reporters/progress.ts';
import { StackError } from '../lib/errors.ts';
import { repoRoot } from '../lib/paths.ts';
import type { Progress } from '../lib/progress.ts';
import { engineVersion, port } from '../stack/versions.ts';
import type { AgentHealth, AgentLab, AgentProgress } from '../agent/api.ts';
import { allowedOrigins, createAgentServer } from '../agent/server.ts';
import { backgroundProcess } from './background.ts';
import { gradeLab } from './grade.ts';
import { catalogue, labFromArgs } from './labs.ts';
import { labStatus, readProgress } from './progress.ts';
import { selectRuntime } from './runtime.ts';
import { readSession } from './state.ts';

const agentProcess = (env: NodeJS.ProcessEnv) => backgroundProcess('agent', env);
export const agentUrl = () => `http://127.0.0.1:${port('lab-agent', 'http')}`;

/**
 * The started lab as the page may see it: objectives with their titles, points, hints (the page shows one on
 * request) and last recorded result — nothing of the checks themselves.
 */
async function startedLab(env: NodeJS.ProcessEnv): Promise<AgentLab | undefined> {
  const session = readSession(env);
  if (!session) return undefined;
  const lab = (await catalogue()).find((l) => l.id === session.lab);
  if (!lab) return undefined;
  const recorded = readProgress(env)[lab.id]?.objectives ?? {};
  return {
    number: lab.number,
    slug: lab.slug,
    title: lab.title,
    module: lab.module,
    objectives: lab.objectives.map(({ id, title, points, hint }) => {
      const last = recorded[id];
      return { id, title, points, hint, ...(last ? { last: { outcome: last.outcome, at: last.at } } : {}) };
    }),
  };
}

/** Every lab's status: passed, in progress (started or checked) or not started, with its best score. */
async function labsProgress(env: NodeJS.ProcessEnv): Promise<AgentProgress> {
  const records = readProgress(env);
  const started = readSession(env)?.lab;
  return {
    labs: (await catalogue()).map((lab) => {
      const record = records[lab.id];
      const status = labStatus(record, started === lab.id);
      return { number: lab.number, status, ...(record ? { score: record.best.score, maxScore: record.best.maxScore, lastCheckedAt: record.lastCheckedAt } : {}) };
    }),
  };
}

export interface AgentOptions {
  env?: NodeJS.ProcessEnv;
  /** Default: the lab-agent port of stack/versions.yaml; 0 picks a free one (tests). */
  port?: number;
  /** How often to look whether the stack is still there. */
  idleCheckMs?: number;
  log?: (line: string) => void;
  /** Stops the agent like TERM does (tests). */
  signal?: AbortSignal;
}

/** `npm run lab:agent`: serves until stopped (TERM or Ctrl-C), or until the stack has been down for a while. */
export async function labAgent(_argv: string[], options: AgentOptions = {}): Promise<number> {
  const env = options.env ?? process.env;
  const agentPort = options.port ?? port('lab-agent', 'http');
  const origins = allowedOrigins(port('course-site', 'http'), env.O11Y_AGENT_ORIGINS);
  const log = options.log ?? ((line: string) => process.stdout.write(`${new Date().toISOString()} ${line}\n`));
  const runtime = () => selectRuntime(readSession(env)?.runtime, env);
  // The running (or latest) check as it goes, for the lab page's waiting lines.
  let progress: CheckProgress | undefined;
  const server = createAgentServer({
    origins,
    version: engineVersion('lab-agent').version,
    log,
    handlers: {
      lab: () => startedLab(env),
      stack: async () => {
        const current = runtime();
        return { runtime: current.name, services: await current.status() };
      },
      progress: () => labsProgress(env),
      // Grading reads the workspace of this process's environment, as `npm run check` does.
      check: async (number, objective) =>
        gradeLab(await labFromArgs(number === undefined ? undefined : String(number), env), runtime(), { env, only: objective, onEvent: (event) => (progress = foldProgress(progress, event)) }),
      checkProgress: () => progress,
      toJson,
    },
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      reject(
        error.code === 'EADDRINUSE'
          ? new StackError(`the lab agent cannot listen on 127.0.0.1:${agentPort}: the port is taken`, 'Another lab agent may be running (npm run lab:stop stops it); `ss -ltnp` shows which program holds the port.')
          : error,
      );
    });
    server.listen(agentPort, '127.0.0.1', resolve);
  });
  log(`lab agent on http://127.0.0.1:${(server.address() as AddressInfo).port}, answering ${origins.join(', ')}`);

  return new Promise((resolve) => {
    let downChecks = 0;
    let stopping = false;
    const stop = (why: string) => {
      if (stopping) return;
      stopping = true;
      clearInterval(idle);
      log(`stopping: ${why}`);
      server.close(() => resolve(0));
      server.closeAllConnections();
    };
    // Two looks in a row with nothing ready: the stack is gone, and so is the reason to run.
    const idle = setInterval(() => {
      runtime()
        .status()
        .then((services) => {
          downChecks = services.some((s) => s.state === 'ready') ? 0 : downChecks + 1;
          if (downChecks >= 2) stop('no service of the stack is ready');
        })
        .catch(() => undefined);
    }, options.idleCheckMs ?? 30_000);
    const onSignal = (signal: NodeJS.Signals) => stop(signal);
    process.once('SIGTERM', onSignal);
    process.once('SIGINT', onSignal);
    options.signal?.addEventListener('abort', () => stop('aborted'), { once: true });
    server.once('close', () => {
      process.off('SIGTERM', onSignal);
      process.off('SIGINT', onSignal);
    });
  });
}

/**
 * Starts the agent in the background unless it already runs. A failure is not the lab's failure (the terminal's
 * `npm run check` works without the agent): it is reported as a warning line.
 */
export async function startAgent(progress: Progress, env: NodeJS.ProcessEnv = process.env): Promise<'started' | 'running' | 'failed'> {
  const agent = agentProcess(env);
  if (agent.isRunning()) return 'running';
  const started = agent.start({ binary: process.execPath, args: [join(repoRoot, 'scripts', 'run.mjs'), 'lab:agent'], cwd: repoRoot, env });
  let exited: number | null | undefined;
  void started.exited.then((code) => (exited = code));
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline && exited === undefined) {
    if ((await healthPid()) === started.pid) {
      progress.info(`✓ lab agent on ${agentUrl()}: the lab pages' "Check my work" button talks to it`);
      return 'started';
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  agent.forget();
  const why = exited === undefined ? 'it did not answer within 15 s' : `it exited (code ${exited})`;
  progress.info(`! the lab agent did not start (${why}); "Check my work" on the lab pages will not work, npm run check does.`);
  for (const line of agent.tail(5)) progress.info(`    ${line}`);
  return 'failed';
}

/** The pid of the agent answering on the agent's port, if one does. */
async function healthPid(): Promise<number | undefined> {
  try {
    const response = await fetch(`${agentUrl()}/api/health`, { signal: AbortSignal.timeout(1000) });
    return response.ok ? ((await response.json()) as AgentHealth).pid : undefined;
  } catch {
    return undefined;
  }
}

export function stopAgent(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  return agentProcess(env).stop(5000);
}
