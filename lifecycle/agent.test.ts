/**
 * The lab agent as a process would run it, on a free port and an empty state directory: it tells which lab is
 * started (titles and points only), and it stops by itself once no service of the stack is ready — so an agent
 * whose stack was stopped some other way than lab:stop does not linger.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { labAgent } from './agent.ts';
import type { AgentProgress } from '../agent/api.ts';
import { mixedReport } from '../checks/reporters/report-fixture.ts';
import { recordReport } from './progress.ts';
import { writeSession } from './state.ts';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));

function start(idleCheckMs: number, signal?: AbortSignal) {
  const state = mkdtempSync(join(tmpdir(), 'o11y-agent-'));
  dirs.push(state);
  const env: NodeJS.ProcessEnv = { ...process.env, O11Y_LAB_STATE: state, O11Y_LAB_WORKSPACE: join(state, 'workspace'), STACK_RUNTIME: 'native' };
  const lines: string[] = [];
  const done = labAgent([], { env, port: 0, idleCheckMs, signal, log: (line) => lines.push(line) });
  const url = async () => {
    await expect.poll(() => lines.find((l) => l.startsWith('lab agent on '))).toBeDefined();
    return /http:\/\/127\.0\.0\.1:\d+/.exec(lines[0]!)![0];
  };
  return { env, lines, done, url };
}

describe('the lab agent', () => {
  it('stops by itself when no service of the stack is ready', async () => {
    const agent = start(50);
    await expect(agent.done).resolves.toBe(0);
    expect(agent.lines.at(-1)).toBe('stopping: no service of the stack is ready');
  });

  it('serves the started lab with its objectives’ titles, points, hints and last results, and nothing of the checks', async () => {
    const stop = new AbortController();
    const agent = start(60_000, stop.signal);
    const base = await agent.url();
    expect((await fetch(`${base}/api/lab`)).status).toBe(404);

    writeSession({ lab: '04-red-recording-rules', runtime: 'native', startedAt: new Date().toISOString() }, agent.env);
    recordReport('04-red-recording-rules', mixedReport, true, agent.env);
    const lab = (await (await fetch(`${base}/api/lab`)).json()) as Record<string, unknown> & { objectives: Record<string, unknown>[] };
    expect(lab).toMatchObject({ number: 4, slug: 'red-recording-rules', module: '02-metrics' });
    expect(lab.objectives[0]).toEqual({ id: 'shop-scraped', title: 'Prometheus scrapes the shop', points: 10, hint: expect.any(String), last: { outcome: 'pass', at: expect.any(String) } });
    expect(Object.keys(lab.objectives[0]!)).toEqual(['id', 'title', 'points', 'hint', 'last']);

    // Progress: lab 4 checked (in progress, its best score), every other lab not started.
    const progress = (await (await fetch(`${base}/api/progress`)).json()) as AgentProgress;
    expect(progress.labs.find((l) => l.number === 4)).toEqual({ number: 4, status: 'in-progress', score: 10, maxScore: 50, lastCheckedAt: expect.any(String) });
    expect(progress.labs.filter((l) => l.number !== 4).every((l) => l.status === 'not-started')).toBe(true);

    const stack = (await (await fetch(`${base}/api/stack`)).json()) as { runtime: string; services: { name: string; state: string }[] };
    expect(stack.runtime).toBe('native');
    // Every native service of the stack, Grafana included whether or not it is installed on this machine.
    expect(stack.services.map((s) => s.name)).toEqual(expect.arrayContaining(['prometheus', 'loki', 'tempo', 'postgres', 'redis', 'grafana']));
    // Nothing runs: every service stopped (or unavailable: its engine is not installed here).
    expect(stack.services.every((s) => s.state === 'stopped' || s.state === 'unavailable')).toBe(true);

    stop.abort();
    await expect(agent.done).resolves.toBe(0);
  });
});
