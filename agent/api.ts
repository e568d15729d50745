/**
 * What the lab agent's HTTP API returns, shared by the agent (agent/server.ts) and the lab page's
 * "Check my work" widget (src/components/LabCheck/). Types only: the widget runs in the browser.
 *
 *   GET  /api/health        AgentHealth
 *   GET  /api/lab           AgentLab            (404 AgentError when no lab is started)
 *   GET  /api/stack         AgentStack
 *   GET  /api/progress      AgentProgress       every lab's status and best score (.lab/progress.json)
 *   POST /api/check[?lab=n][&objective=id]
 *                           CheckReport         exactly what `npm run check -- --json` prints (one objective
 *                                               and what it needs, with objective=)
 *   GET  /api/check/progress CheckProgress      the running (or latest) check as it goes (404 before any)
 *   any failure             AgentError          with a status code: 400 bad request, 403 origin refused,
 *                                               409 no lab started, 422 workspace file malformed, 503 stack down
 */
import type { CheckReport, Outcome } from '../checks/model.ts';
import type { CheckProgress } from '../checks/reporters/progress.ts';
import type { ServiceStatus } from '../stack/runtime.ts';

export type { CheckProgress, CheckReport };

export interface AgentHealth {
  ok: true;
  version: string;
  /** So that whoever started the agent can tell it from another program on the same port. */
  pid: number;
}

/** The started lab, and what a student may see of its objectives: their hints (shown on request) and last results. */
export interface AgentLab {
  number: number;
  slug: string;
  title: string;
  module: string;
  objectives: { id: string; title: string; points: number; hint: string; last?: { outcome: Outcome; at: string } }[];
}

/** Passed once a whole check passed; in progress once started or checked (lifecycle/progress.ts). */
export type LabStatus = 'passed' | 'in-progress' | 'not-started';

/** Each lab's progress, by lab number: what the home and module pages show. */
export interface AgentProgress {
  labs: { number: number; status: LabStatus; score?: number; maxScore?: number; lastCheckedAt?: string }[];
}

export interface AgentStack {
  runtime: 'native' | 'compose';
  services: ServiceStatus[];
}

export interface AgentError {
  error: string;
  /** One sentence: what to do about it. */
  fix: string;
}
