/**
 * Talks to the lab agent from the browser. Every call resolves to a value, never throws: a network error means
 * the agent is not running (the widget says so and names the command that starts it).
 */
import type { AgentError, AgentLab, AgentProgress, AgentStack, CheckProgress, CheckReport } from '../../../agent/api';

export type AgentAnswer<T> = { kind: 'ok'; value: T } | { kind: 'error'; status: number; error: AgentError } | { kind: 'offline' };

async function call<T>(url: string, init: RequestInit & { timeoutMs: number }): Promise<AgentAnswer<T>> {
  let response: Response;
  try {
    // No custom headers and no body: a "simple" cross-origin request, so the browser sends no preflight.
    response = await fetch(url, { method: init.method ?? 'GET', mode: 'cors', cache: 'no-store', signal: AbortSignal.timeout(init.timeoutMs) });
  } catch {
    return { kind: 'offline' };
  }
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    body = undefined;
  }
  if (response.ok) return { kind: 'ok', value: body as T };
  const error = (body as AgentError | undefined) ?? { error: `the lab agent answered ${response.status}`, fix: 'Look at .lab/logs/agent.log.' };
  return { kind: 'error', status: response.status, error };
}

export const fetchLab = (agent: string) => call<AgentLab>(`${agent}/api/lab`, { timeoutMs: 4000 });
export const fetchProgress = (agent: string) => call<CheckProgress>(`${agent}/api/check/progress`, { timeoutMs: 2000 });
export const fetchStack = (agent: string) => call<AgentStack>(`${agent}/api/stack`, { timeoutMs: 10_000 });
export const fetchLabsProgress = (agent: string) => call<AgentProgress>(`${agent}/api/progress`, { timeoutMs: 4000 });
/**
 * The whole lab, or one objective (and what it needs). Objectives poll until their deadline (up to a minute or
 * two each, in parallel): allow a few minutes.
 */
export const runCheck = (agent: string, lab: number, objective?: string) =>
  call<CheckReport>(`${agent}/api/check?lab=${lab}${objective ? `&objective=${encodeURIComponent(objective)}` : ''}`, { method: 'POST', timeoutMs: 300_000 });
