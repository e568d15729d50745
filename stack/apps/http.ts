/**
 * A tiny HTTP service frame shared by the demo services. Every request gets, in this order:
 *   a SERVER span (continuing the caller's trace from the traceparent header),
 *   the route's injected fault (shed with a 503 over its capacity, a delay, or a 500),
 *   the handler,
 *   one latency observation with the trace id as exemplar, and one JSON log line.
 * Plus /metrics, /health, the fault admin endpoint (/admin/faults), a counter reset (POST /admin/restart) and
 * where OTLP telemetry goes (/admin/telemetry, export-route.ts).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { type Admissions, type Faults, admit, drawFault, parseFaults } from './faults.ts';
import { type ExportRoute, type requestCounter, type Via, vias } from './export-route.ts';
import type { Logger } from './log.ts';
import type { Metrics } from './metrics.ts';
import { context, propagation, tracer } from './telemetry.ts';

export interface Reply {
  status: number;
  body: unknown;
}

/** A failure that should answer with a given status (and be logged as an error when ≥ 500). */
export class HttpFailure extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * `annotate` puts attributes on the request's SERVER span and, as fields, on its log line: what the handler
 * learned about the request (lab 22's checkout says who paid, and how — data the collector must redact).
 */
export type Handler = (request: { body: unknown; query: URLSearchParams; params: string[]; annotate?: (fields: Record<string, string>) => void }) => Promise<Reply>;

export interface Route {
  method: 'GET' | 'POST';
  /** The route label used in metrics, logs and span names, e.g. "/stock/:id". */
  route: string;
  pattern: RegExp;
  handler: Handler;
}

export interface Telemetry {
  route: ExportRoute;
  requests: ReturnType<typeof requestCounter>;
}

export function startService(options: { name: string; host: string; port: number; routes: Route[]; metrics: Metrics; log: Logger; telemetry: Telemetry }): Promise<Server> {
  const { routes, metrics, log, telemetry } = options;
  let faults: Faults = {};
  let restartRequested = false;
  const admissions: Admissions = new Map();

  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://local');
    // Endpoints for the lab kit itself: no spans, no logs, no metrics.
    if (url.pathname === '/metrics') {
      const page = await metrics.registry.metrics();
      // A requested restart empties the counters right after a scrape has read them, so that nothing counted
      // before it is lost: a rate over the reset is then exact, and a lab can grade it tightly.
      if (restartRequested) {
        metrics.registry.resetMetrics();
        restartRequested = false;
      }
      return send(res, 200, page, metrics.registry.contentType);
    }
    // What a restart of the process does to its metrics, without the restart: every counter starts again from
    // zero (at the next scrape). Lab 3's load calls it every few minutes, so rate() has a counter reset to handle.
    if (url.pathname === '/admin/restart' && req.method === 'POST') {
      restartRequested = true;
      return sendJson(res, 202, { counters: 'reset at the next scrape' });
    }
    if (url.pathname === '/admin/faults') {
      if (req.method === 'PUT') {
        try {
          faults = parseFaults(JSON.parse(await readBody(req)));
        } catch (error) {
          return sendJson(res, 400, { error: (error as Error).message });
        }
      }
      return sendJson(res, 200, faults);
    }
    // Lab 21 points all three signals at the student's gateway, the stack tour adds the logs to the collector's;
    // every lab start points them back (lifecycle/start.ts).
    if (url.pathname === '/admin/telemetry') {
      if (req.method === 'PUT') {
        try {
          const { via } = JSON.parse(await readBody(req)) as { via?: unknown };
          if (!vias.includes(via as Via)) throw new Error(`via must be one of ${vias.map((v) => `"${v}"`).join(', ')}`);
          telemetry.route.set(via as Via);
        } catch (error) {
          return sendJson(res, 400, { error: (error as Error).message });
        }
      }
      return sendJson(res, 200, { via: telemetry.route.via() });
    }

    const match = routes.map((r) => ({ r, m: r.method === req.method ? r.pattern.exec(url.pathname) : null })).find((x) => x.m);
    const route = match?.r.route ?? 'unmatched';
    const parent = propagation.extract(context.active(), req.headers);
    const started = performance.now();

    await tracer().startActiveSpan(`${req.method} ${route}`, { kind: SpanKind.SERVER, attributes: { 'http.request.method': req.method ?? 'GET', 'http.route': route, 'url.path': url.pathname } }, parent, async (span) => {
      let reply: Reply;
      const annotations: Record<string, string> = {};
      const annotate = (fields: Record<string, string>) => {
        span.setAttributes(fields);
        Object.assign(annotations, fields);
      };
      try {
        if (!match) throw new HttpFailure(404, 'no such route');
        if (!admit(faults, admissions, route)) throw new HttpFailure(503, 'over capacity');
        const fault = drawFault(faults, route);
        if (fault.delayMs > 0) await sleep(fault.delayMs);
        if (fault.fail) throw new HttpFailure(500, 'injected fault');
        const body = req.method === 'POST' ? parseJson(await readBody(req)) : undefined;
        reply = await match.r.handler({ body, query: url.searchParams, params: match.m!.slice(1), annotate });
      } catch (error) {
        const status = error instanceof HttpFailure ? error.status : 500;
        reply = { status, body: { error: (error as Error).message } };
        if (status >= 500) {
          span.recordException(error as Error);
          span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
        }
      }
      const seconds = (performance.now() - started) / 1000;
      span.setAttribute('http.response.status_code', reply.status);
      const labels = { route, method: req.method ?? 'GET', status_code: String(reply.status) };
      // prom-client types exemplar labels as the metric's own label names; trace_id is the convention Grafana reads.
      const exemplarLabels = { trace_id: span.spanContext().traceId } as unknown as Partial<typeof labels>;
      metrics.requestDuration.observe({ labels, value: seconds, exemplarLabels });
      telemetry.requests.add(labels);
      const level = reply.status >= 500 ? 'error' : reply.status >= 400 ? 'warn' : 'info';
      const fields: Record<string, string | number> = { route, method: labels.method, status_code: reply.status, duration_ms: Math.round(seconds * 1000), ...annotations };
      if (reply.status >= 400) fields.error = String((reply.body as { error?: string })?.error ?? '');
      log(level, reply.status >= 500 ? `${route} failed` : 'request handled', fields);
      sendJson(res, reply.status, reply.body);
      span.end();
    });
  });

  return new Promise((resolve) => server.listen(options.port, options.host, () => resolve(server)));
}

/** An outgoing call with a CLIENT span and the trace context in its headers, so the trace continues downstream. */
export async function tracedFetch(name: string, url: string, init: RequestInit = {}): Promise<Response> {
  return tracer().startActiveSpan(name, { kind: SpanKind.CLIENT, attributes: { 'http.request.method': init.method ?? 'GET', 'url.full': url } }, async (span) => {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    propagation.inject(context.active(), headers);
    try {
      const response = await fetch(url, { ...init, headers, signal: AbortSignal.timeout(5000) });
      span.setAttribute('http.response.status_code', response.status);
      if (response.status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      return response;
    } catch (error) {
      span.recordException(error as Error);
      span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
      throw new HttpFailure(502, `${name} failed: ${(error as Error).message}`);
    } finally {
      span.end();
    }
  });
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let data = '';
    req.on('data', (chunk: Buffer) => (data += chunk.toString()));
    req.on('end', () => resolve(data));
    req.on('error', reject);
  });
}

function parseJson(text: string): unknown {
  if (!text) return {};
  try {
    return JSON.parse(text);
  } catch {
    throw new HttpFailure(400, 'request body is not JSON');
  }
}

function send(res: ServerResponse, status: number, body: string, contentType: string): void {
  res.writeHead(status, { 'content-type': contentType });
  res.end(body);
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  send(res, status, JSON.stringify(body ?? {}), 'application/json');
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
