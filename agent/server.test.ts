/**
 * The lab agent's HTTP contract, over real HTTP on an ephemeral loopback port: only the course site's origins get
 * CORS headers, any other Origin (and any other Host) is refused before a handler runs, a check answers exactly
 * the JSON of `npm run check -- --json`, and errors carry a message and a fix.
 */
import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mixedReport } from '../checks/reporters/report-fixture.ts';
import { toJson } from '../checks/reporters/json.ts';
import type { CheckReport } from '../checks/model.ts';
import { StackError, UsageError } from '../lib/errors.ts';
import type { AgentLab, AgentProgress, CheckProgress } from './api.ts';
import { allowedOrigins, createAgentServer, type AgentHandlers } from './server.ts';

const site = 'http://127.0.0.1:3030';
const started: AgentLab = { number: 4, slug: 'red-recording-rules', title: 'RED recording rules', module: '02-metrics', objectives: [{ id: 'shop-scraped', title: 'Prometheus scrapes the shop', points: 10, hint: 'Add a scrape job.', last: { outcome: 'fail', at: '2026-12-04T10:00:00.000Z' } }] };
const labsProgress: AgentProgress = { labs: [{ number: 3, status: 'passed', score: 40, maxScore: 40, lastCheckedAt: '2026-12-04T09:00:00.000Z' }, { number: 4, status: 'in-progress' }, { number: 5, status: 'not-started' }] };

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A raw HTTP request, so that the test controls Origin and Host as a browser (or an attacker's page) would. */
function send(port: number, method: string, path: string, headers: Record<string, string> = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method, path, headers }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.once('error', reject);
    req.end();
  });
}

describe('the lab agent server', () => {
  let server: Server;
  let port: number;
  let checks = 0;
  let next: () => Promise<CheckReport> = async () => mixedReport;
  let lab: AgentLab | undefined = started;
  const asked: { lab?: number; objective?: string }[] = [];
  const handlers: AgentHandlers = {
    lab: async () => lab,
    stack: async () => ({ runtime: 'native', services: [{ name: 'prometheus', state: 'ready', url: 'http://127.0.0.1:9090' }] }),
    progress: async () => labsProgress,
    check: async (number, objective) => {
      checks++;
      asked.push({ lab: number, objective });
      return next();
    },
    checkProgress: () => progress,
    toJson,
  };
  let progress: CheckProgress | undefined;

  beforeAll(async () => {
    server = createAgentServer({ origins: allowedOrigins(3030, 'http://127.0.0.1:41234/'), version: '1.0.0', handlers });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('answers the course site, naming its origin in Access-Control-Allow-Origin', async () => {
    const reply = await send(port, 'GET', '/api/lab', { origin: site });
    expect(reply.status).toBe(200);
    expect(reply.headers['access-control-allow-origin']).toBe(site);
    expect(JSON.parse(reply.body)).toEqual(started);
  });

  it('answers localhost and the extra origins of O11Y_AGENT_ORIGINS too', async () => {
    for (const origin of ['http://localhost:3030', 'http://127.0.0.1:41234']) {
      const reply = await send(port, 'GET', '/api/stack', { origin });
      expect(reply.status, origin).toBe(200);
      expect(reply.headers['access-control-allow-origin']).toBe(origin);
    }
  });

  it.each(['https://evil.example', 'http://127.0.0.1:3031', 'http://localhost:3000', 'null'])('refuses origin %s with 403 and runs nothing', async (origin) => {
    const before = checks;
    const reply = await send(port, 'POST', '/api/check', { origin });
    expect(reply.status).toBe(403);
    expect(reply.headers['access-control-allow-origin']).toBeUndefined();
    expect(JSON.parse(reply.body)).toMatchObject({ error: `origin ${origin} may not use the lab agent` });
    expect(checks).toBe(before);
  });

  it('refuses a preflight from another origin, and allows one from the site', async () => {
    const preflight = { 'access-control-request-method': 'POST' };
    expect((await send(port, 'OPTIONS', '/api/check', { origin: 'https://evil.example', ...preflight })).status).toBe(403);
    const allowed = await send(port, 'OPTIONS', '/api/check', { origin: site, ...preflight });
    expect(allowed.status).toBe(204);
    expect(allowed.headers['access-control-allow-origin']).toBe(site);
    expect(allowed.headers['access-control-allow-methods']).toContain('POST');
  });

  it('refuses a request for another Host name (a DNS-rebinding page)', async () => {
    const reply = await send(port, 'GET', '/api/lab', { host: `attacker.example:${port}` });
    expect(reply.status).toBe(403);
  });

  it('serves tools on this machine, which send no Origin, without CORS headers', async () => {
    const reply = await send(port, 'GET', '/api/health');
    expect(reply.status).toBe(200);
    expect(reply.headers['access-control-allow-origin']).toBeUndefined();
    expect(JSON.parse(reply.body)).toEqual({ ok: true, version: '1.0.0', pid: process.pid });
  });

  it('answers POST /api/check with exactly the JSON of npm run check -- --json', async () => {
    const reply = await send(port, 'POST', '/api/check?lab=4', { origin: site });
    expect(reply.status).toBe(200);
    expect(reply.headers['content-type']).toMatch(/^application\/json/);
    expect(reply.body).toBe(toJson(mixedReport));
  });

  it('serves the running check as it goes on GET /api/check/progress, and 404 before any', async () => {
    progress = undefined;
    expect((await send(port, 'GET', '/api/check/progress', { origin: site })).status).toBe(404);
    progress = { lab: mixedReport.lab, finished: false, objectives: [{ id: 'a', title: 'A', points: 5, state: 'waiting', waitingFor: '>= 3 series', got: 'no series', remainingMs: 9000 }] };
    const reply = await send(port, 'GET', '/api/check/progress', { origin: site });
    expect(reply.status).toBe(200);
    expect(JSON.parse(reply.body)).toEqual(progress);
  });

  it('serves every lab\'s progress on GET /api/progress', async () => {
    const reply = await send(port, 'GET', '/api/progress', { origin: site });
    expect(reply.status).toBe(200);
    expect(JSON.parse(reply.body)).toEqual(labsProgress);
  });

  it('re-checks one objective with ?objective=, and refuses an id that cannot be one', async () => {
    asked.length = 0;
    expect((await send(port, 'POST', '/api/check?lab=4&objective=shop-scraped', { origin: site })).status).toBe(200);
    expect(asked).toEqual([{ lab: 4, objective: 'shop-scraped' }]);
    const bad = await send(port, 'POST', '/api/check?objective=%3Cscript%3E', { origin: site });
    expect(bad.status).toBe(400);
    expect(asked).toHaveLength(1);
  });

  it('runs one check for two clicks that overlap', async () => {
    let release!: () => void;
    next = () => new Promise((resolve) => (release = () => resolve(mixedReport)));
    const before = checks;
    const both = Promise.all([send(port, 'POST', '/api/check', { origin: site }), send(port, 'POST', '/api/check', { origin: site })]);
    await expect.poll(() => checks).toBe(before + 1);
    await new Promise((resolve) => setTimeout(resolve, 50));
    release();
    const replies = await both;
    expect(replies.map((r) => r.status)).toEqual([200, 200]);
    expect(checks).toBe(before + 1);
    next = async () => mixedReport;
  });

  it('turns a malformed workspace file into 422 and a stopped stack into 503, each with its fix', async () => {
    next = async () => {
      throw new UsageError('workspace/prometheus/rules/red.yml: line 5: bad indentation', 'Fix the YAML in that file.');
    };
    const usage = await send(port, 'POST', '/api/check', { origin: site });
    expect(usage.status).toBe(422);
    expect(JSON.parse(usage.body)).toEqual({ error: 'workspace/prometheus/rules/red.yml: line 5: bad indentation', fix: 'Fix the YAML in that file.' });
    expect(usage.headers['access-control-allow-origin']).toBe(site);

    next = async () => {
      throw new StackError('Prometheus is not reachable at http://127.0.0.1:9090', 'Start the lab with npm run lab:start 4.');
    };
    const stack = await send(port, 'POST', '/api/check', { origin: site });
    expect(stack.status).toBe(503);
    expect(JSON.parse(stack.body).fix).toContain('npm run lab:start 4');
    next = async () => mixedReport;
  });

  it('says when no lab is started, and refuses a lab that is not a number', async () => {
    lab = undefined;
    const none = await send(port, 'GET', '/api/lab', { origin: site });
    expect(none.status).toBe(404);
    expect(JSON.parse(none.body)).toMatchObject({ error: 'no lab is started', fix: expect.stringContaining('npm run lab:start') });
    lab = started;
    expect((await send(port, 'POST', '/api/check?lab=abc', { origin: site })).status).toBe(400);
  });

  it('names the endpoints on an unknown path, and the method on a wrong one', async () => {
    const unknown = await send(port, 'GET', '/admin', { origin: site });
    expect(unknown.status).toBe(404);
    expect(JSON.parse(unknown.body).fix).toContain('POST /api/check');
    const wrong = await send(port, 'GET', '/api/check', { origin: site });
    expect(wrong.status).toBe(405);
    expect(wrong.headers.allow).toBe('POST');
  });
});

describe('allowedOrigins', () => {
  it('is the site on 127.0.0.1 and localhost, plus the listed origins without trailing slashes', () => {
    expect(allowedOrigins(3030, ' http://127.0.0.1:40000/ , https://course.example ,')).toEqual([
      'http://127.0.0.1:3030',
      'http://localhost:3030',
      'http://127.0.0.1:40000',
      'https://course.example',
    ]);
    expect(allowedOrigins(3030, undefined)).toHaveLength(2);
  });
});
