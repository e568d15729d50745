/**
 * The lab agent's HTTP server: a small JSON API on 127.0.0.1 that lets a lab page ask for the started lab, the
 * state of the stack, and a check (agent/api.ts lists the routes). What it does is passed in as
 * handlers, so this file knows HTTP and the origin policy and nothing about labs or engines.
 *
 * Only the course site may use it from a browser. A web page on any other origin could otherwise make the
 * student's browser trigger checks (which reload engines), so:
 *   - a request whose Origin is not one of `origins` gets 403, and no CORS header;
 *   - a request whose Host is not this loopback address gets 403 (a DNS-rebinding page cannot reach it);
 *   - a request without Origin (curl, the kit's own readiness probe) is served: it comes from this machine.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { LabKitError, StackError, UsageError } from '../lib/errors.ts';
import type { AgentError, AgentHealth, AgentLab, AgentProgress, AgentStack, CheckProgress, CheckReport } from './api.ts';

export interface AgentHandlers {
  /** The started lab, or undefined when none is. */
  lab(): Promise<AgentLab | undefined>;
  stack(): Promise<AgentStack>;
  /** Each lab's status and best score. */
  progress(): Promise<AgentProgress>;
  /** Grades the given lab (or the started one), or one objective of it; throws a LabKitError when it cannot. */
  check(lab?: number, objective?: string): Promise<CheckReport>;
  /** The running check (or the latest one) as it goes; undefined before the first. */
  checkProgress(): CheckProgress | undefined;
  /** The report as `npm run check -- --json` prints it. */
  toJson(report: CheckReport): string;
}

export interface AgentServerOptions {
  /** Web origins allowed to call the API, e.g. http://127.0.0.1:3030. */
  origins: string[];
  version: string;
  handlers: AgentHandlers;
  log?: (line: string) => void;
}

/** The site's own origins, plus any listed in O11Y_AGENT_ORIGINS (comma-separated) for a site served elsewhere. */
export function allowedOrigins(sitePort: number, extra: string | undefined): string[] {
  const listed = (extra ?? '')
    .split(',')
    .map((origin) => origin.trim().replace(/\/+$/, ''))
    .filter(Boolean);
  return [...new Set([`http://127.0.0.1:${sitePort}`, `http://localhost:${sitePort}`, ...listed])];
}

/** HTTP status for an error a handler threw: the student's file (422), the stack (503), or the kit (500). */
function statusOf(error: unknown): number {
  if (error instanceof UsageError) return 422;
  if (error instanceof StackError) return 503;
  return 500;
}

export function createAgentServer(options: AgentServerOptions): Server {
  const log = options.log ?? (() => undefined);
  // One check at a time per lab: a second click while one runs gets the same result.
  const running = new Map<string, Promise<CheckReport>>();

  const send = (res: ServerResponse, status: number, body: string) => {
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
    res.end(body);
  };
  const json = (res: ServerResponse, status: number, value: unknown) => send(res, status, `${JSON.stringify(value)}\n`);
  const fail = (res: ServerResponse, status: number, error: AgentError) => json(res, status, error);

  async function route(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const path = url.pathname.replace(/\/+$/, '');
    const allowed: Record<string, string> = { '/api/health': 'GET', '/api/lab': 'GET', '/api/stack': 'GET', '/api/progress': 'GET', '/api/check': 'POST', '/api/check/progress': 'GET' };
    if (!allowed[path]) return fail(res, 404, { error: `no such endpoint: ${path}`, fix: `The agent answers ${Object.entries(allowed).map(([p, m]) => `${m} ${p}`).join(', ')}.` });
    if (req.method !== allowed[path]) {
      res.setHeader('allow', allowed[path]!);
      return fail(res, 405, { error: `${req.method} is not allowed on ${path}`, fix: `Use ${allowed[path]}.` });
    }
    if (path === '/api/health') return json(res, 200, { ok: true, version: options.version, pid: process.pid } satisfies AgentHealth);
    if (path === '/api/lab') {
      const lab = await options.handlers.lab();
      return lab ? json(res, 200, lab) : fail(res, 404, { error: 'no lab is started', fix: 'Start one with npm run lab:start <n>.' });
    }
    if (path === '/api/stack') return json(res, 200, await options.handlers.stack());
    if (path === '/api/progress') return json(res, 200, await options.handlers.progress());
    if (path === '/api/check/progress') {
      const progress = options.handlers.checkProgress();
      return progress ? json(res, 200, progress) : fail(res, 404, { error: 'no check has run yet', fix: 'Press "Check my work", or POST /api/check.' });
    }

    const labParam = url.searchParams.get('lab');
    if (labParam !== null && !/^\d+$/.test(labParam)) return fail(res, 400, { error: `lab "${labParam}" is not a lab number`, fix: 'Use /api/check?lab=4, or leave lab out to check the started lab.' });
    const objective = url.searchParams.get('objective') ?? undefined;
    if (objective !== undefined && !/^[\w.-]+$/.test(objective)) return fail(res, 400, { error: `objective "${objective}" is not an objective id`, fix: 'Use the id /api/lab lists, e.g. /api/check?objective=p95-recorded.' });
    const key = `${labParam ?? 'started'} ${objective ?? '*'}`;
    let check = running.get(key);
    if (!check) {
      check = options.handlers.check(labParam === null ? undefined : Number(labParam), objective).finally(() => running.delete(key));
      running.set(key, check);
    }
    const report = await check;
    log(`check lab ${report.lab.number}: ${report.score}/${report.maxScore}, ${report.counts.pass} pass, ${report.counts.fail} fail, ${report.counts.error} error, ${report.counts.skipped} skipped`);
    return send(res, 200, options.handlers.toJson(report));
  }

  const server = createServer((req, res) => {
    const origin = req.headers.origin;
    // The port actually bound (tests listen on port 0).
    const port = (server.address() as AddressInfo).port;
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
    if (req.headers.host !== `127.0.0.1:${port}` && req.headers.host !== `localhost:${port}`) {
      log(`refused ${req.method} ${url.pathname}: Host ${req.headers.host ?? '(none)'}`);
      return fail(res, 403, { error: `the lab agent answers only on 127.0.0.1:${port}`, fix: 'Open the course site from this machine.' });
    }
    if (origin !== undefined) {
      if (!options.origins.includes(origin)) {
        log(`refused ${req.method} ${url.pathname} from origin ${origin}`);
        return fail(res, 403, { error: `origin ${origin} may not use the lab agent`, fix: `Open the course site at ${options.origins[0]}, or add the origin to O11Y_AGENT_ORIGINS before npm run lab:start.` });
      }
      res.setHeader('access-control-allow-origin', origin);
      res.setHeader('vary', 'Origin');
    }
    if (req.method === 'OPTIONS') {
      // A preflight from an allowed origin (Chrome also asks one before a page reaches a loopback address).
      res.writeHead(204, {
        'access-control-allow-methods': 'GET, POST',
        'access-control-allow-headers': 'content-type',
        'access-control-allow-private-network': 'true',
        'access-control-max-age': '600',
      });
      return res.end();
    }
    route(req, res, url).catch((error: unknown) => {
      const status = statusOf(error);
      const message = error instanceof Error ? error.message : String(error);
      const fix = error instanceof LabKitError ? error.fix : 'This is a bug in the lab agent; its log is .lab/logs/agent.log.';
      log(`${req.method} ${url.pathname} failed (${status}): ${message}`);
      if (!(error instanceof LabKitError) && error instanceof Error) log(error.stack ?? message);
      if (!res.headersSent) fail(res, status, { error: message, fix });
    });
  });
  return server;
}
